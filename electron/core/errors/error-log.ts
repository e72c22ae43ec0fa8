import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

let logDir: string | undefined;

/** Where raw errors go (the data home's logs/ folder); set once by whoever opened the store. */
export function setErrorLogDir(dir: string): void {
  logDir = dir;
}

/** The log file raw errors are written to, when one is set. */
export function errorLogFile(): string | undefined {
  return logDir ? join(logDir, 'errors.log') : undefined;
}

/**
 * Keeps the raw error (class name, errno code, stack) for whoever investigates, one JSON line
 * per error; people read the plain sentence. Never throws: logging must not hide the error.
 */
export function logRawError(context: string, e: unknown): void {
  const file = errorLogFile();
  if (!file || !logDir) return;
  const err = e as NodeJS.ErrnoException;
  try {
    mkdirSync(logDir, { recursive: true, mode: 0o700 });
    appendFileSync(
      file,
      `${JSON.stringify({
        at: new Date().toISOString(),
        context,
        name: err?.name,
        code: err?.code,
        message: err?.message ?? String(e),
        stack: err?.stack,
      })}\n`,
      { mode: 0o600 },
    );
  } catch {
    // A full disk or a read-only home: the error itself still reaches the engineer.
  }
}

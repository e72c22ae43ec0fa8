import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../electron/browser-host/ensure-renderer';
import { CLI } from './run-cli';

export interface ServeProcess {
  /** The URL as printed, with its access token: what the engineer opens. */
  url: string;
  /** The certificate's fingerprint printed beside an https:// URL. */
  fingerprint?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `npm run serve` as the engineer starts it (same entry, same flags), on a data home of the
 * caller's, on a free port: resolves with the URL it prints on its own line (and, for HTTPS,
 * the fingerprint on the next).
 */
export async function startServe(home: string, args: string[] = []): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'electron/browser-host/serve.ts'), '--port', '0', ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, COMMISSIONER_HOME: home },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const { url, fingerprint } = await new Promise<{ url: string; fingerprint?: string }>(
    (resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        // Whole lines only: a chunk may end inside the URL.
        const lines = out.split('\n').slice(0, -1);
        const url = lines.find((l) => l.startsWith('http'))?.trim();
        const fingerprint = lines
          .map((l) => /^SHA-256 fingerprint (\S+)$/.exec(l)?.[1])
          .find((f) => f !== undefined);
        if (url?.startsWith('http:')) resolve({ url });
        else if (url && fingerprint) resolve({ url, fingerprint });
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code} before its URL`)));
    },
  );
  return {
    url,
    ...(fingerprint ? { fingerprint } : {}),
    process: child,
    stop: () => stopChild(child),
  };
}

/**
 * Opens a printed URL as a browser does on its first load: the answer sets the access cookie
 * and sends the browser on without the token. `cookie` is `name=value`, for later requests.
 */
export async function enter(url: string) {
  const entry = await fetch(url, { redirect: 'manual' });
  const setCookie = entry.headers.get('set-cookie') ?? '';
  return {
    status: entry.status,
    location: entry.headers.get('location'),
    setCookie,
    cookie: setCookie.split(';')[0] ?? '',
  };
}

/**
 * `commissioner margo serve` as the engineer starts it, on 127.0.0.1 and free ports, on the
 * data home `env` names: resolves with the WFM URL it prints on its own line.
 */
export async function startMargoServe(
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; process: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [CLI, 'margo', 'serve', '--host', '127.0.0.1', '--port', '0', '--trust-port', '0'],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve((out.split('\n')[0] as string).trim());
    });
    child.once('exit', (code) =>
      reject(new Error(`margo serve exited with ${code} before its URL`)),
    );
  });
  return {
    url,
    process: child,
    stop: () => stopChild(child),
  };
}

/** Ends a server started here (SIGTERM, as Ctrl+C would) and waits until it has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../electron/browser-host/ensure-renderer';

export interface ServeProcess {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `npm run serve` as the engineer starts it (same entry, same flags), on a data home of the
 * caller's, on a free port: resolves with the URL it prints on its own line.
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
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('http'));
      if (line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before its URL`)));
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const CLI = resolve(REPO_ROOT, 'electron/cli/commissioner.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as a user would. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; command?: string[]; input?: string } = {},
): Promise<CliRun> {
  const [cmd, ...pre] = options.command ?? [process.execPath, CLI];
  return new Promise((done, fail) => {
    const child = spawn(cmd as string, [...pre, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/**
 * Runs the CLI as an unprivileged user, for faults root cannot produce (an unreadable file).
 * When the tests already run unprivileged, it runs the CLI directly.
 */
export function runCliAsNobody(args: string[]): Promise<CliRun> {
  if (process.getuid?.() !== 0) return runCli(args);
  return runCli(args, {
    command: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI],
    env: { HOME: '/tmp', TMPDIR: '/tmp' },
  });
}

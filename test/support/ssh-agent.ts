import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const START_DEADLINE_MS = 5_000;

/** An OpenSSH agent of the test's own, holding the keys given (SSH_AUTH_SOCK = socket). */
export interface SshAgent {
  socket: string;
  stop(): Promise<void>;
}

/**
 * Starts `ssh-agent -D` (in the foreground, a child of this process) on a socket in `dir`
 * and adds the keys to it: what an engineer's desktop session has when they use one.
 */
export async function startSshAgent(dir: string, keys: string[]): Promise<SshAgent> {
  const socket = join(dir, 'agent.sock');
  rmSync(socket, { force: true });
  const child: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  const deadline = Date.now() + START_DEADLINE_MS;
  while (!existsSync(socket)) {
    if (child.exitCode !== null) throw new Error(`ssh-agent exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('ssh-agent did not start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (const key of keys) {
    await run('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
  }
  return {
    socket,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(socket, { force: true });
    },
  };
}

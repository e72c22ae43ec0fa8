import { isAbsolute, resolve } from 'node:path';

/**
 * The directory the engineer ran the command from. `npm run cli` runs scripts from the
 * package root, so there npm's INIT_CWD is the caller's directory; the installed
 * `commissioner` bin runs where it was called.
 */
export function callerDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.npm_lifecycle_event === 'cli' && env.INIT_CWD) return env.INIT_CWD;
  return process.cwd();
}

export function resolveFromCaller(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return isAbsolute(path) ? path : resolve(callerDirectory(env), path);
}

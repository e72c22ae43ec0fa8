import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (two folders above this file). */
export const REPO_ROOT = new URL('../..', import.meta.url).pathname;
export const RENDERER_OUT = join(REPO_ROOT, 'out', 'renderer');

/** The newest modification time under `dir` (files only). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * Builds the renderer (Vite) when out/renderer is missing or older than its sources, so
 * `npm run serve` works right after `npm ci` and stays fast afterwards.
 */
export function ensureRenderer(log: (line: string) => void): void {
  const index = join(RENDERER_OUT, 'index.html');
  const sources = Math.max(newest(join(REPO_ROOT, 'renderer')), newest(join(REPO_ROOT, 'shared')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  log('building the UI (once, after changes)…');
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const built = spawnSync(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      join(REPO_ROOT, 'renderer', 'vite.config.ts'),
      '--logLevel',
      'warn',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (built.status !== 0) throw new Error('building the UI failed (see above)');
}

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The Electron executable, or null when only the npm package (types, install script) is
 * present: its postinstall downloads the binary into dist/ and writes path.txt, which is
 * what `require('electron')` reads. Where that download is blocked, neither exists.
 */
export function electronBinary(): string | null {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  if (relative === '') return null;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  const binary = join(distDir, relative);
  return existsSync(binary) ? binary : null;
}

/** One line: what is missing, how to get it, and the way to use the app without it. */
export const ELECTRON_MISSING =
  'The Electron binary is not installed here (its download is blocked on this machine): on a connected machine run `npm install electron --foreground-scripts` (or `node node_modules/electron/install.js`) to fetch it; `npm run serve` gives the same app in a browser.';

// The CLI bundle's stamp (out/cli/stamp.json): which build is current and the state of every
// file it was built from. Plain JavaScript because the launcher reads it on every start,
// before anything could compile TypeScript; electron/build/bundle-cli.ts writes it.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP_FILE = 'stamp.json';

/**
 * The current build's entry, or why it cannot run: not built, or an input is not in the
 * state it was built from. States are compared for equality, never against a clock: ctime
 * moves on every write, rename or restore (cp -p, rsync -a, git checkout), and no tool sets
 * it back. One stat per input; no reading.
 */
export function checkCliBundle(root, outDir) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(outDir, STAMP_FILE), 'utf8'));
  } catch (error) {
    return { stale: error.code === 'ENOENT' ? 'it is not built yet' : 'its stamp is unreadable' };
  }
  for (const [input, mtimeMs, ctimeMs] of stamp.inputs) {
    // Concatenated, not joined: path.join costs as much as the stat on a cold start, and
    // every platform's file API accepts '/'.
    const stat = statSync(`${root}/${input}`, { throwIfNoEntry: false });
    if (!stat) return { stale: `${input} is gone` };
    if (stat.mtimeMs !== mtimeMs || stat.ctimeMs !== ctimeMs) return { stale: `${input} changed` };
  }
  return { entry: join(outDir, stamp.entry) };
}

/** Makes a build current; a concurrent reader sees the old stamp or the new one, whole. */
export function writeCliBundleStamp(outDir, stamp) {
  const temporary = join(outDir, `${STAMP_FILE}.${process.pid}`);
  writeFileSync(temporary, `${JSON.stringify(stamp)}\n`);
  renameSync(temporary, join(outDir, STAMP_FILE));
}

import { checkCliBundle } from '../../electron/build/cli-bundle-stamp.mjs';
import { bundleCli } from '../../electron/build/bundle-cli';
import { CLI_OUT, ROOT } from '../../electron/build/paths';

/**
 * Vitest global setup: the tests run the real `commissioner`, which rebuilds its bundle when
 * a source changed. Rebuilding once here, before the test files start it in parallel, keeps
 * every run from building its own copy (and lets an unprivileged run find it built).
 */
export default async function buildCliBundle(): Promise<void> {
  const { stale } = checkCliBundle(ROOT, CLI_OUT);
  if (stale) {
    console.log(`building the CLI bundle once for the tests (${stale})`);
    await bundleCli();
  }
}

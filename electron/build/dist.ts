// `npm run dist -- --linux|--win|--mac [--test-build] [more electron-builder flags]`: builds the
// app, then makes installers with electron-builder into dist/installers/ (a test build, which
// Playwright can drive, into dist/test-build/), then reads the fuses back from each unpacked
// app and fails if one is not as configured. Needs the internet (it downloads Electron, its
// packaging tools and better-sqlite3's Electron build): run it on a connected machine, never
// in CI here. See docs/packaging.md.
import { existsSync } from 'node:fs';
import { buildDesktop } from './build';
import {
  distArguments,
  distConfig,
  unpackedApps,
  writeDistConfig,
  type BuildKind,
  type Platform,
} from './dist-config';
import { fuseMismatches } from './fuses';
import { DEMO_KIT } from './paths';
import { BuildError, run, script } from './run';

// The version whose fuse and asar-integrity handling docs/packaging.md describes.
const ELECTRON_BUILDER = 'electron-builder@26.18.1';

await script(async () => {
  const { kind, platforms, builder } = distArguments(process.argv.slice(2));
  if (!existsSync(DEMO_KIT))
    throw new BuildError(
      `${DEMO_KIT} does not exist: it is built by npm run build:desktop from resources/demo/ (needs Debian's busybox-static or a busybox binary); the installers ship it`,
    );
  await buildDesktop({ minify: true });
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  let code = await run(npx, [
    '--yes',
    ELECTRON_BUILDER,
    '--config',
    writeDistConfig(kind),
    ...builder,
  ]);
  if (code === 0) code = await checkFuses(kind, platforms);
  // npmRebuild compiled better-sqlite3 in node_modules for Electron's ABI; put Node's back so
  // the CLI and the tests keep working in this checkout.
  console.log('rebuilding better-sqlite3 for Node (electron-builder left it built for Electron)');
  const rebuilt = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', [
    'rebuild',
    'better-sqlite3',
  ]);
  if (rebuilt !== 0)
    console.error('npm rebuild better-sqlite3 failed: run it before using the CLI or the tests');
  return code;
});

/** The fuses as electron-builder burnt them, read back from each app this run packed. */
async function checkFuses(kind: BuildKind, platforms: Platform[]): Promise<number> {
  const wanted = distConfig(kind).electronFuses;
  const apps = unpackedApps(kind, platforms);
  if (apps.length === 0) {
    console.error(`no unpacked app in ${distConfig(kind).directories.output}: fuses not checked`);
    return 1;
  }
  let failed = false;
  for (const app of apps) {
    const wrong = await fuseMismatches(app, wanted);
    if (wrong.length === 0) console.log(`fuses as configured (${kind} build): ${app}`);
    else {
      failed = true;
      console.error(`${app}: ${wrong.join('; ')} — do not ship it`);
    }
  }
  return failed ? 1 : 0;
}

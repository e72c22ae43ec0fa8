// `npm run dist -- --linux|--win|--mac [more electron-builder flags]`: builds the app, then
// makes installers with electron-builder into dist/installers/. Needs the internet (it
// downloads Electron, its packaging tools and better-sqlite3's Electron build): run it on a
// connected machine, never in CI here. See docs/packaging.md.
import { existsSync } from 'node:fs';
import { buildDesktop } from './build';
import { DEMO_KIT } from './paths';
import { BuildError, run, script } from './run';

const PLATFORMS = ['--linux', '--win', '--windows', '--mac', '--macos', '-l', '-w', '-m'];

await script(async () => {
  const flags = process.argv.slice(2);
  if (!flags.some((flag) => PLATFORMS.includes(flag)))
    throw new BuildError(
      'name the platform: npm run dist -- --linux (deb, AppImage), --win (nsis) or --mac (dmg)',
    );
  if (!existsSync(DEMO_KIT))
    throw new BuildError(
      `${DEMO_KIT} does not exist: it is built by npm run build:desktop from resources/demo/ (needs Debian's busybox-static or a busybox binary); the installers ship it`,
    );
  await buildDesktop({ minify: true });
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const code = await run(npx, [
    '--yes',
    'electron-builder@26',
    '--config',
    'electron-builder.yml',
    ...flags,
  ]);
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

// The desktop app starts, shows its first screen and exposes only the bridge: from the
// development tree (out/, on the Electron binary in node_modules) and, where one was made, as
// the packaged test build (`npm run dist -- --linux --test-build`: the release fuses but for the
// inspector, which Playwright's _electron.launch needs). Both need the Electron binary, whose
// download is blocked on the project's build machines: there the tests are skipped and say why.
// Run `npm run build:desktop` first (out/ is what the first launches).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, expect, test } from '@playwright/test';
import type { CommissionerBridge } from '../../shared/contract/bridge';
import { distConfig, unpackedApps, type Platform } from '../../electron/build/dist-config';
import { electronBinary } from '../../electron/build/electron-binary';
import { fuseMismatches } from '../../electron/build/fuses';
import { MAIN_BUNDLE, ROOT } from '../../electron/build/paths';

const SKIP_REASON =
  'the Electron binary is not installed on this machine (its download is blocked): on a connected machine, `npm install electron --foreground-scripts` fetches it, then `npm run build:desktop` and this test run';
const PLATFORM: Platform =
  process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'mac' : 'linux';
const TEST_BUILD_SKIP_REASON = `there is no packaged test build in dist/test-build/ for this platform (making one needs the Electron download): on a connected machine, \`npm run dist -- --${PLATFORM} --test-build\` makes it; a release build cannot be driven, its inspector fuse is off`;

interface PageGlobals {
  commissioner?: CommissionerBridge;
  require?: unknown;
  process?: unknown;
}

test('the desktop app starts, loads its first screen and exposes only the bridge', async () => {
  const binary = electronBinary();
  if (binary === null) console.log(`skipped: ${SKIP_REASON}`);
  test.skip(binary === null, SKIP_REASON);
  expect(existsSync(MAIN_BUNDLE), `${MAIN_BUNDLE} is missing: run npm run build:desktop`).toBe(
    true,
  );
  await startsAndShowsOnlyTheBridge(binary ?? '', [MAIN_BUNDLE]);
});

test('the packaged test build has its fuses, starts and exposes only the bridge', async () => {
  const [app] = unpackedApps('test', [PLATFORM]);
  if (app === undefined) console.log(`skipped: ${TEST_BUILD_SKIP_REASON}`);
  test.skip(app === undefined, TEST_BUILD_SKIP_REASON);
  const packaged = app ?? '';
  expect(await fuseMismatches(packaged, distConfig('test').electronFuses)).toEqual([]);
  const executable =
    PLATFORM === 'mac'
      ? join(packaged, 'Contents', 'MacOS', distConfig('test').productName)
      : packaged;
  await startsAndShowsOnlyTheBridge(executable, []);
});

async function startsAndShowsOnlyTheBridge(executablePath: string, args: string[]) {
  const home = mkdtempSync(join(tmpdir(), 'commissioner-e2e-'));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
  env.COMMISSIONER_HOME = home;

  const app = await _electron.launch({ executablePath, args, cwd: ROOT, env });
  try {
    const window = await app.firstWindow();
    await window.waitForSelector('[data-app-state="loaded"]', { timeout: 30_000 });
    await expect(window).toHaveTitle(/Commissioner/);
    expect(window.url()).toMatch(/^app:\/\/commissioner\//);

    // The page sees the bridge and nothing of Node or Electron.
    const page = await window.evaluate(() => {
      const g = globalThis as PageGlobals;
      return {
        bridge: g.commissioner ? Object.keys(g.commissioner).sort() : null,
        require: typeof g.require,
        process: typeof g.process,
      };
    });
    expect(page).toEqual({
      bridge: ['call', 'onEvent'],
      require: 'undefined',
      process: 'undefined',
    });

    // A call crosses the bridge, the IPC hop and the core.
    const info = await window.evaluate(() =>
      (globalThis as PageGlobals).commissioner?.call('app.info', {}),
    );
    expect(info).toMatchObject({ ok: true, result: { host: 'electron' } });

    // window.open is denied (for an app URL nothing opens at all), so there is one window.
    const opened = await window.evaluate(
      () =>
        (globalThis as unknown as { open(url: string): unknown }).open(
          'app://commissioner/index.html',
        ) !== null,
    );
    expect(opened).toBe(false);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  } finally {
    await app.close();
  }
  // The core ran against the test's own data home, and the window remembered its place.
  expect(existsSync(join(home, 'commissioner.db'))).toBe(true);
  expect(existsSync(join(home, 'desktop', 'window-state.json'))).toBe(true);
  rmSync(home, { recursive: true, force: true });
}

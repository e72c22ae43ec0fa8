import { expect, test } from '@playwright/test';
import { testIds } from '../../renderer/src/test-ids';
import { readE2eState } from './e2e-state';

/** Chunks that must not load with the catalog: each belongs to a screen or a pane of its own. */
const LATER = [
  'DevicesScreen',
  'CompatScreen',
  'ImportScreen',
  'DeployScreen',
  'DeploymentsScreen',
  'SettingsScreen',
  // The form library (react-jsonschema-form) and the Markdown parser.
  'ConfigForm',
  'MarkdownRendered',
];

interface PageGlobals {
  __violations: string[];
}

/** `assets/DevicesScreen-hw7YXv2G.js` → `DevicesScreen` (Vite's chunk name before its hash). */
function chunkName(url: string): string | null {
  const match = /\/assets\/(.+)-[\w-]{8}\.js$/.exec(new URL(url).pathname);
  return match ? (match[1] as string) : null;
}

test('the catalog loads only its own code, compressed and cached; a screen brings its chunk under the CSP', async ({
  browser,
}) => {
  const state = readE2eState();
  // A browser that has loaded nothing yet, as after a restart.
  const context = await browser.newContext();
  try {
    await context.addInitScript(() => {
      const page = window as unknown as PageGlobals;
      page.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        page.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
    const chunks: string[] = [];
    page.on('request', (r) => {
      const name = chunkName(r.url());
      if (name) chunks.push(name);
    });
    const entry = page.waitForResponse((r) => chunkName(r.url()) === 'index');
    const html = page.waitForResponse(
      (r) => r.request().resourceType() === 'document' && r.status() === 200,
    );
    await page.goto(state.url);
    await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
    await expect(page.getByTestId(testIds.catalog.screen)).toBeVisible();
    expect(chunks).toContain('index');
    expect(chunks.filter((c) => LATER.includes(c))).toEqual([]);

    // Hashed assets compressed at build time and kept by the browser; the page that names them
    // never kept.
    const entryHeaders = (await entry).headers();
    expect(['br', 'gzip']).toContain(entryHeaders['content-encoding']);
    expect(entryHeaders['cache-control']).toContain('immutable');
    expect((await html).headers()['cache-control']).toBe('no-store');

    // Another screen: its chunk comes when it is opened, and runs under the strict CSP.
    await page.getByTestId(testIds.shell.navTo('settings')).click();
    await expect(page.getByTestId(testIds.settings.screen)).toBeVisible();
    expect(chunks).toContain('SettingsScreen');
    expect(chunks).not.toContain('DevicesScreen');
    await page.getByTestId(testIds.shell.navTo('devices')).click();
    await expect(page.getByTestId(testIds.devices.screen)).toBeVisible();
    expect(chunks).toContain('DevicesScreen');
    expect(await page.evaluate(() => (window as unknown as PageGlobals).__violations)).toEqual([]);

    // A reload takes the entry chunk from the browser's cache: nothing of it crosses the wire.
    await page.reload();
    await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
    const transferred = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((r) => /\/assets\/index-[\w-]{8}\.js$/.test(r.name))
        .map((r) => (r as PerformanceResourceTiming).transferSize),
    );
    expect(transferred).toEqual([0]);
  } finally {
    await context.close();
  }
});

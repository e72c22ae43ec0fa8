import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { derived, testIds } from '../../renderer/src/test-ids';
import { readE2eState, SHOTS, type E2eState } from './e2e-state';

/**
 * The catalog side of the app, as a newcomer uses it: the browser host with the real core and
 * store, devices that are real Docker daemons. One story, in order, each step relying on the
 * one before (so the file runs serially); every screen is photographed into test-results.
 */
test.describe.configure({ mode: 'serial' });

const DEMO_APP = 'org-commissioner-demo-line-status';
const ARM_APP = 'com-example-arm-gateway';

let state: E2eState;
let page: Page;

async function shot(name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function pickFile(buttonTestId: string, path: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId(buttonTestId).click();
  await (await chooser).setFiles(path);
}

/** The job tray opens by itself while jobs run; the test sets it as it needs it. */
async function setTray(open: boolean) {
  const toggle = page.getByTestId(testIds.jobs.trayToggle);
  if ((await toggle.getAttribute('aria-expanded')) !== String(open)) await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', String(open));
}

test.beforeAll(async ({ browser }) => {
  state = readE2eState();
  page = await browser.newPage();
  // Any error the page logs is a failure of the UI, not noise.
  page.on('pageerror', (e) => {
    throw e;
  });
});

test.afterAll(async () => {
  await page.close();
});

test('first start: an empty catalog that says what to do, and offers the demo kit', async () => {
  await page.goto(state.url);
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
  await expect(page.getByTestId(testIds.catalog.screen)).toBeVisible();
  await expect(page.getByTestId(testIds.catalog.empty)).toContainText(/import/i);
  await shot('01-catalog-empty');
});

test('the access token: it leaves the address bar; a browser without it is turned away', async ({
  browser,
}) => {
  // The printed URL traded its token for the HttpOnly cookie: the page cannot read it.
  expect(page.url()).not.toContain('token=');
  expect(await page.evaluate(() => document.cookie)).toBe('');
  // Another browser (no cookie) at the address without the token: a page saying what to do,
  // and the app's own requests refused.
  const stranger = await browser.newContext();
  try {
    const other = await stranger.newPage();
    const response = await other.goto(new URL(state.url).origin);
    expect(response?.status()).toBe(401);
    await expect(other.locator('body')).toContainText('Open the address it printed');
    const { origin } = new URL(state.url);
    const call = await other.request.post(`${origin}/api/call`, {
      data: { op: 'app.info', request: {} },
      headers: { origin },
    });
    expect(call.status()).toBe(401);
  } finally {
    await stranger.close();
  }
});

test('the CSP the page runs under forbids eval and foreign origins', async () => {
  const response = await page.request.get(state.url);
  const csp = response.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).not.toMatch(/(^|\s)\*(\s|;|$)/);
  // An injected inline script and string-compiled code must not run (DevTools' own evaluate
  // is exempt from CSP, so the probes are made to run as page code would).
  await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.head.append(script);
    (setTimeout as unknown as (code: string, ms: number) => void)('window.__evalRan = true', 0);
    w.__probed = true;
  });
  await page.waitForTimeout(200);
  const ran = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return { inline: w.__inlineRan === true, evalRan: w.__evalRan === true, probed: w.__probed };
  });
  expect(ran).toEqual({ inline: false, evalRan: false, probed: true });
});

test('import the demo kit from the Import screen', async () => {
  await page.getByTestId(testIds.catalog.goImport).click();
  await expect(page.getByTestId(testIds.imports.screen)).toBeVisible();
  await shot('02-import-start');
  await page.getByTestId(testIds.catalog.importDemo).click();
  const job = page.getByTestId(testIds.imports.job);
  await expect(job).toHaveAttribute('data-state', 'succeeded');
  await expect(page.getByTestId(testIds.imports.resultSummary)).toContainText('3 imported');
  await expect(page.getByTestId(testIds.imports.resultPart('imported'))).toContainText(DEMO_APP);
  // Once imported, the offer is gone.
  await expect(page.getByTestId(testIds.catalog.importDemo)).toHaveCount(0);
  await shot('03-import-demo-done');
});

test('import a kit file through the file chooser', async () => {
  await pickFile(testIds.imports.kit, state.armKit);
  const job = page.getByTestId(testIds.imports.job);
  await expect(job).toHaveAttribute('data-state', 'succeeded');
  await expect(page.getByTestId(testIds.imports.resultPart('imported'))).toContainText(ARM_APP);
  // The first import is listed under the earlier ones.
  await expect(page.getByTestId(testIds.imports.history)).toBeVisible();
  await setTray(true);
  await expect(page.locator(`#${testIds.jobs.trayListElement}`)).toContainText('kit.tar');
  await shot('04-import-kit-done');
  await setTray(false);
});

test('a broken package is reported with its file, line and column, and not imported', async () => {
  const bad = join(state.root, 'bad-package');
  cpSync(join(state.root, 'arm-app', 'package'), bad, { recursive: true });
  const description = readFileSync(join(bad, 'margo.yaml'), 'utf8');
  expect(description).toContain(`id: ${ARM_APP}`);
  writeFileSync(
    join(bad, 'margo.yaml'),
    description.replace(`id: ${ARM_APP}`, 'id: Broken_Package!'),
  );
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId(testIds.imports.folder).click();
  await (await chooser).setFiles(bad);
  await expect(page.getByTestId(testIds.imports.job)).toHaveAttribute('data-state', 'succeeded');
  const invalid = page.getByTestId(testIds.imports.resultPart('invalid'));
  await expect(invalid).toContainText(/margo\.yaml:\d+:\d+/);
  await expect(page.getByTestId(testIds.imports.resultPart('imported'))).toHaveCount(0);
  await shot('05-import-invalid');

  // Neither is a file that is no kit at all imported; the job says why.
  const junk = join(state.root, 'not-a-kit.tar');
  writeFileSync(junk, 'this is not a tar archive\n'.repeat(100));
  await pickFile(testIds.imports.kit, junk);
  await expect(page.getByTestId(testIds.imports.job)).toHaveAttribute(
    'data-state',
    /succeeded|failed/,
  );
  await expect(page.getByTestId(testIds.imports.resultPart('refused'))).toContainText(
    /not-a-kit\.tar: the kit archive is damaged/,
  );
  await expect(page.getByTestId(testIds.imports.resultPart('imported'))).toHaveCount(0);
});

test('the catalog lists both apps and searches as you type', async () => {
  await page.getByTestId(testIds.shell.navTo('catalog')).click();
  await expect(page.getByTestId(testIds.catalog.screen)).toBeVisible();
  await expect(page.getByTestId(testIds.catalog.item(DEMO_APP))).toBeVisible();
  await expect(page.getByTestId(testIds.catalog.item(ARM_APP))).toBeVisible();
  await expect(page.getByTestId(testIds.catalog.count)).toContainText('2');
  // The package's own icon (an SVG, shown through <img>); initials for one without.
  await expect(page.getByTestId(testIds.catalog.item(DEMO_APP)).locator('img')).toHaveAttribute(
    'src',
    /^data:image\/svg\+xml;base64,/,
  );
  await expect(page.getByTestId(testIds.catalog.item(ARM_APP)).locator('img')).toHaveCount(0);
  // The demo kit carries no signature: its badge says so in words, not only in colour.
  const badge = page.getByTestId(testIds.catalog.trust(DEMO_APP));
  await expect(badge).toHaveText('Unsigned');
  await expect(badge).toHaveAttribute('data-verdict', 'unsigned');
  await shot('06-catalog-grid');

  await page.getByTestId(testIds.catalog.search).fill('line status');
  await expect(page.getByTestId(testIds.catalog.item(DEMO_APP))).toBeVisible();
  await expect(page.getByTestId(testIds.catalog.item(ARM_APP))).toHaveCount(0);
  await page.getByTestId(testIds.catalog.search).fill('zzzz-nothing');
  await expect(page.getByTestId(testIds.catalog.emptyFiltered)).toBeVisible();
  await page.getByTestId(testIds.catalog.clear).click();
  await expect(page.getByTestId(testIds.catalog.item(ARM_APP))).toBeVisible();

  await page.getByTestId(testIds.catalog.viewList).click();
  await expect(page.getByTestId(testIds.catalog.item(DEMO_APP))).toBeVisible();
  await shot('07-catalog-list');
});

test('the app detail shows the package texts, sanitized, and its profiles', async () => {
  await page.getByTestId(testIds.catalog.item(DEMO_APP)).click();
  const detail = page.getByTestId(testIds.app.detail);
  await expect(detail).toBeVisible();
  await expect(page.getByTestId(testIds.app.name)).toContainText(/line status/i);
  await expect(page.getByTestId(testIds.app.description)).not.toBeEmpty();
  await expect(page.getByTestId(testIds.app.releaseNotes)).not.toBeEmpty();
  await expect(page.getByTestId(testIds.app.profiles)).toContainText(/compose/i);
  // Markdown never brings scripts or event handlers into the page.
  expect(await detail.locator('script, iframe, [onerror], [onclick]').count()).toBe(0);
  // No device yet: the compatibility section says what to do.
  await expect(page.getByTestId(testIds.app.compatNone)).toBeVisible();
  // What the version brings, each with its signature verdict: the demo kit is unsigned.
  const signed = page.getByTestId(testIds.app.signatures).locator('li[data-kind="package"]');
  await expect(signed).toHaveAttribute('data-verdict', 'unsigned');
  await expect(signed).toContainText('Unsigned');
  await expect(signed).toContainText('it is not signed');
  await expect(
    page.getByTestId(testIds.app.signatures).locator('li[data-kind="image"]').first(),
  ).toHaveAttribute('data-verdict', 'unsigned');
  await shot('08-app-detail');
  await page.getByTestId(testIds.app.close).click();
  await expect(detail).toHaveCount(0);
});

for (const [index, name] of ['line-1', 'line-2'].entries()) {
  test(`add device ${name} with its TLS files and probe it`, async () => {
    const device = state.devices[index]!;
    await page.getByTestId(testIds.shell.navTo('devices')).click();
    await expect(page.getByTestId(testIds.devices.screen)).toBeVisible();
    if (index === 0) {
      await expect(page.getByTestId(testIds.devices.empty)).toBeVisible();
      await shot('09-devices-empty');
    }
    await page.getByTestId(testIds.devices.add).click();
    const dialog = page.getByTestId(testIds.devices.addDialog);
    await expect(dialog).toBeVisible();
    await page.getByTestId(testIds.devices.addName).fill(name);
    await page.getByTestId(testIds.devices.addHost).fill(device.url);
    await pickFile(testIds.devices.addTlsCa, device.ca);
    await expect(page.getByTestId(derived.fileName(testIds.devices.addTlsCa))).toHaveText(
      basename(device.ca),
    );
    await pickFile(testIds.devices.addTlsCert, device.cert);
    await pickFile(testIds.devices.addTlsKey, device.key);
    await expect(page.getByTestId(derived.fileName(testIds.devices.addTlsKey))).toHaveText(
      basename(device.key),
    );
    if (index === 0) await shot('10-device-add-dialog');
    await page.getByTestId(testIds.devices.addSubmit).click();
    await expect(dialog).toHaveCount(0);
    const row = page.getByTestId(testIds.devices.row(name));
    await expect(row).toBeVisible();
    await expect(page.getByTestId(testIds.devices.reachability(name))).toContainText(/reachable/i);
    await expect(page.getByTestId(testIds.devices.reachability(name))).not.toContainText(
      /unreachable/i,
    );
  });
}

test('a device that does not answer is added with a plain-language reason', async () => {
  await page.getByTestId(testIds.devices.add).click();
  await page.getByTestId(testIds.devices.addName).fill('spare');
  // Port 9 (discard) on a fleet device: nothing listens there.
  const first = state.devices[0]!;
  await page.getByTestId(testIds.devices.addHost).fill(`tcp://${first.host}:9`);
  await pickFile(testIds.devices.addTlsCa, first.ca);
  await pickFile(testIds.devices.addTlsCert, first.cert);
  await pickFile(testIds.devices.addTlsKey, first.key);
  await page.getByTestId(testIds.devices.addSubmit).click();
  await expect(page.getByTestId(testIds.devices.addDialog)).toHaveCount(0);
  await expect(page.getByTestId(testIds.devices.reachability('spare'))).toContainText(
    /unreachable/i,
  );
  await page.getByTestId(testIds.devices.open('spare')).click();
  await expect(page.getByTestId(testIds.devices.detailError)).toContainText(/refused|connect/i);
  await shot('11-devices');
  await page.getByTestId(testIds.devices.detailClose).click();
  await page.getByTestId(testIds.devices.remove('spare')).click();
  await page.getByTestId(testIds.devices.remove('dialog-confirm')).click();
  await expect(page.getByTestId(testIds.devices.row('spare'))).toHaveCount(0);
});

test('device detail shows the probed facts and capabilities', async () => {
  await page.getByTestId(testIds.devices.open('line-1')).click();
  await expect(page.getByTestId(testIds.devices.detail)).toBeVisible();
  await expect(page.getByTestId(testIds.devices.detailFacts)).toContainText(/amd64|x86_64/);
  await shot('12-device-detail');
  await page.getByTestId(testIds.devices.detailClose).click();
});

test('the matrix shows which app runs where, in colour and words, with the reasons', async () => {
  await page.getByTestId(testIds.shell.navTo('compat')).click();
  await expect(page.getByTestId(testIds.compat.screen)).toBeVisible();
  const ok = page.getByTestId(testIds.compat.cell(DEMO_APP, 'line-1'));
  const no = page.getByTestId(testIds.compat.cell(ARM_APP, 'line-2'));
  await expect(ok).toHaveAttribute('data-verdict', 'compatible');
  await expect(no).toHaveAttribute('data-verdict', 'incompatible');
  // Not colour alone: the cell carries a word.
  await expect(no).not.toHaveText('');
  await expect(no).toHaveAttribute('aria-label', /line-2/);

  // Keyboard: focusing the cell shows why.
  await no.focus();
  const tooltip = page.getByTestId(testIds.compat.tooltip);
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText('arm64');
  await shot('13-compat-focus');
  await no.blur();
  await expect(tooltip).toHaveCount(0);

  // Pointer: hovering shows it too.
  await no.hover();
  await expect(tooltip).toContainText('arm64');
  await shot('14-compat-hover');
});

test('the app detail shows compatibility per device with reasons', async () => {
  await page.getByTestId(testIds.shell.navTo('catalog')).click();
  await page.getByTestId(testIds.catalog.item(ARM_APP)).click();
  const compat = page.getByTestId(testIds.app.compat);
  await expect(compat).toBeVisible();
  await expect(page.getByTestId(testIds.app.compatDevice('line-1'))).toContainText('arm64');
  await expect(page.getByTestId(testIds.app.compatDevice('line-2'))).toContainText('arm64');
  await shot('15-app-detail-compat');
});

test('the runs-on filter keeps only the apps a device can run', async () => {
  await page.getByTestId(testIds.app.close).click();
  await page.getByTestId(testIds.catalog.filterRunsOn).selectOption({ label: 'line-1' });
  await expect(page.getByTestId(testIds.catalog.item(DEMO_APP))).toBeVisible();
  await expect(page.getByTestId(testIds.catalog.item(ARM_APP))).toHaveCount(0);
  await shot('16-catalog-runs-on');
});

test('settings switch the theme, and the choice is kept', async () => {
  await page.getByTestId(testIds.shell.navTo('settings')).click();
  await expect(page.getByTestId(testIds.settings.screen)).toBeVisible();
  const before = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.getByTestId(testIds.shell.themeToggle).click();
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
    .not.toBe(before);
  await shot('17-settings-dark');
  await page.reload();
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(
    before,
  );
});

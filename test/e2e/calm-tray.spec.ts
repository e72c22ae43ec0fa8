import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { derived, testIds } from '../../renderer/src/test-ids';
import { runCli } from '../support/run-cli';
import { startServe, type ServeProcess } from '../support/serve-process';
import { readE2eState, shoot } from './e2e-state';

/**
 * The calm job tray, at 1366×768 (the plant's ruggedized laptops): a TLS file picked for a
 * device does not open it, a package does; opened, it sits below the screen and never covers
 * the wizard's primary button; finished jobs can be cleared; it starts as it was left. Its
 * own browser host on its own data home: the shared host's catalog must start empty for
 * catalog.spec.ts, which runs after this one.
 */
test.describe.configure({ mode: 'serial' });

const APP = 'org-commissioner-demo-line-status';
const DEVICE = 'press-1';
const root = mkdtempSync(join(tmpdir(), 'commissioner-e2e-tray-'));
const env = { COMMISSIONER_HOME: join(root, 'home') };
let serve: ServeProcess;
let page: Page;

/** A contract call from the page's origin, as the UI makes it. */
async function call<T>(op: string, request: unknown = {}): Promise<T> {
  const origin = new URL(serve.url).origin;
  const res = await page.request.post(`${origin}/api/call`, {
    data: { op, request },
    headers: { origin },
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${op}: ${body.error?.message}`);
  return body.result as T;
}

async function pickFile(buttonTestId: string, path: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId(buttonTestId).click();
  await (await chooser).setFiles(path);
}

const toggle = () => page.getByTestId(testIds.jobs.trayToggle);

async function setTray(open: boolean) {
  if ((await toggle().getAttribute('aria-expanded')) !== String(open)) await toggle().click();
  await expect(toggle()).toHaveAttribute('aria-expanded', String(open));
}

/** Whether two boxes share any pixel. */
function intersect(
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The button is inside the window, apart from the tray, and nothing is drawn over it. */
async function clearOfTray(button: Locator) {
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('no viewport');
  const tray = await page.getByTestId(testIds.jobs.tray).boundingBox();
  const box = await button.boundingBox();
  if (!tray || !box) throw new Error('the tray or the button is not on screen');
  expect(intersect(tray, box), `tray ${JSON.stringify(tray)}, button ${JSON.stringify(box)}`).toBe(
    false,
  );
  expect(box.y + box.height).toBeLessThanOrEqual(tray.y);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  const hit = await page.evaluate(
    ({ x, y }) => document.elementFromPoint(x, y)?.closest('button')?.dataset['testid'] ?? null,
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
  );
  expect(hit).toBe(await button.getAttribute('data-testid'));
  return { tray, box };
}

test.beforeAll(async ({ browser }) => {
  const d = readE2eState().devices[0];
  if (!d) throw new Error('the e2e fleet has no device');
  const added = await runCli(
    ['devices', 'add', 'docker', DEVICE, '--host', d.url, '--tls-ca', d.ca].concat([
      '--tls-cert',
      d.cert,
      '--tls-key',
      d.key,
    ]),
    { env },
  );
  expect(added.code, added.stderr).toBe(0);
  serve = await startServe(env.COMMISSIONER_HOME);
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(serve.url);
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
  expect(page.viewportSize()).toEqual({ width: 1366, height: 768 });
});

test.afterAll(async () => {
  await page.close();
  await serve.stop();
  rmSync(root, { recursive: true, force: true });
});

test('a TLS file picked for a device is uploaded without opening the tray', async () => {
  const d = readE2eState().devices[0]!;
  // Any moment the tray is open counts, not only the end state.
  await page.evaluate((id) => {
    const toggle = document.querySelector(`[data-testid="${id}"]`);
    const w = window as unknown as { trayOpened: boolean };
    w.trayOpened = toggle?.getAttribute('aria-expanded') === 'true';
    new MutationObserver(() => {
      if (toggle?.getAttribute('aria-expanded') === 'true') w.trayOpened = true;
    }).observe(toggle as Element, { attributes: true });
  }, testIds.jobs.trayToggle);
  await page.getByTestId(testIds.shell.navTo('devices')).click();
  await page.getByTestId(testIds.devices.add).click();
  await expect(page.getByTestId(testIds.devices.addDialog)).toBeVisible();
  // A TCP address: the dialog asks for the mutual TLS files.
  await page.getByTestId(testIds.devices.addName).fill('press-2');
  await page.getByTestId(testIds.devices.addHost).fill(d.url);
  await pickFile(testIds.devices.addTlsCa, d.ca);
  await expect(page.getByTestId(derived.fileName(testIds.devices.addTlsCa))).toHaveText(
    basename(d.ca),
  );
  await pickFile(testIds.devices.addTlsKey, d.key);
  await expect(page.getByTestId(derived.fileName(testIds.devices.addTlsKey))).toHaveText(
    basename(d.key),
  );
  await shoot(page, 'tray-01-tls-upload');
  expect(await page.evaluate(() => (window as unknown as { trayOpened: boolean }).trayOpened)).toBe(
    false,
  );
  await expect(toggle()).toHaveAttribute('aria-expanded', 'false');
  await page.getByTestId(testIds.devices.dialogCancel(false)).click();
});

test('a package of several MiB opens it while it uploads', async () => {
  const big = join(root, 'not-a-kit.tar');
  // Not a kit: the import ends with a finished (failed) job and leaves the catalog as it was.
  writeFileSync(big, randomBytes(3 * 1024 * 1024));
  await page.getByTestId(testIds.shell.navTo('import')).click();
  await pickFile(testIds.imports.kit, big);
  await expect(toggle()).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId(testIds.imports.job)).not.toHaveAttribute('data-state', 'running');
});

test('opened, the tray leaves the wizard its primary button, from devices to the review', async () => {
  const { jobId } = await call<{ jobId: string }>('imports.start', {
    sources: [{ kind: 'demo' }],
  });
  await expect
    .poll(
      async () =>
        (await call<{ id: string; state: string }[]>('jobs.list')).find((j) => j.id === jobId)
          ?.state,
    )
    .toBe('succeeded');
  await page.getByTestId(testIds.shell.navTo('catalog')).click();
  // The card says where the app runs.
  await expect(page.getByTestId(testIds.catalog.reach(APP))).toHaveText('Runs on 1 of 1 device');
  await shoot(page, 'tray-03-catalog-card');
  await page.getByTestId(testIds.catalog.item(APP)).click();
  await page.getByTestId(testIds.app.deploy).click();
  await expect(page.getByTestId(testIds.deploy.step('devices'))).toBeVisible();
  await setTray(true);
  await expect(page.locator(`#${testIds.jobs.trayListElement}`)).toBeVisible();
  await page.getByTestId(testIds.deploy.device(DEVICE)).click();
  await expect(page.getByTestId(testIds.deploy.next)).toBeEnabled();
  const first = await clearOfTray(page.getByTestId(testIds.deploy.next));
  // The tray takes at most a quarter of the window (its header and its list).
  expect(first.tray.height).toBeLessThanOrEqual(768 * 0.25 + 48);
  await page.getByTestId(testIds.deploy.next).click();
  await expect(page.getByTestId(testIds.deploy.step('profile'))).toBeVisible();
  await page.getByTestId(testIds.deploy.next).click();
  await expect(page.getByTestId(testIds.deploy.step('configure'))).toBeVisible();
  await page.locator('#root_lineName').fill('Press hall A');
  await expect(page.getByTestId(testIds.deploy.next)).toBeEnabled();
  await clearOfTray(page.getByTestId(testIds.deploy.next));
  await page.getByTestId(testIds.deploy.next).click();
  await expect(page.getByTestId(testIds.deploy.step('review'))).toBeVisible();
  await expect(page.getByTestId(testIds.deploy.submit)).toBeEnabled();
  await clearOfTray(page.getByTestId(testIds.deploy.submit));
  await shoot(page, 'tray-02-review-with-tray-open');
});

test('finished jobs are cleared with one button; the tray starts as it was left', async () => {
  await setTray(true);
  const list = page.locator(`#${testIds.jobs.trayListElement}`);
  await expect(toggle()).toContainText('0 running · 2 finished');
  await page.getByTestId(testIds.jobs.clearFinished).click();
  await expect(toggle()).toHaveText(/Jobs\s*none$/);
  await expect(list.locator('[data-state]')).toHaveCount(0);
  await setTray(false);
  await page.reload();
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
  await expect(toggle()).toHaveAttribute('aria-expanded', 'false');
  // Cleared stays cleared: the core still keeps the jobs, this window does not list them.
  await expect(toggle()).toHaveText(/Jobs\s*none$/);
  await setTray(true);
  await page.reload();
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
  await expect(toggle()).toHaveAttribute('aria-expanded', 'true');
});

import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { derived, testIds } from '../../renderer/src/test-ids';
import { deviceCapabilities, margoClientRequest } from '../support/margo-device-client';
import { readE2eState, shoot, type E2eState } from './e2e-state';

/**
 * Onboarding a Margo device from Settings alone: serving is stopped and started again from
 * the page (the host was started with --margo), a client is added and its bundle downloaded
 * as a .zip, which the test unpacks and uses as the device does (a real mutual-TLS request),
 * the device shows in the client list without a reload, and revoking it refuses its next
 * request.
 */
test.describe.configure({ mode: 'serial' });

const CLIENT = 'line-gw';
const DEVICE = `${CLIENT}/gw-7`;

let state: E2eState;
let page: Page;
let dir: string;
let bundle: { url: string; ca: Buffer; cert: Buffer; key: Buffer };

const device = (method: string, path: string, body?: unknown) =>
  margoClientRequest(bundle, method, path, body);

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test.beforeAll(async ({ browser }) => {
  state = readE2eState();
  dir = join(state.root, 'margo-onboarding');
  mkdirSync(dir, { recursive: true });
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(state.url);
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
  await page.getByTestId(testIds.shell.navTo('settings')).click();
  await expect(page.getByTestId(testIds.margo.section)).toBeVisible();
});

test.afterAll(async () => {
  await page.close();
});

test('stops serving from Settings (the host started with --margo), and starts it again there', async () => {
  const serving = page.getByTestId(testIds.margo.state);
  // Started with --margo: serving already.
  await expect(serving).toHaveAttribute('data-serving', 'true');
  const before = new URL((await page.getByTestId(testIds.margo.wfmUrl).textContent()) ?? '');
  await page.getByTestId(testIds.margo.stop).click();
  await expect(page.getByTestId(testIds.margo.stopDialog)).toContainText(
    'keep running what they run now',
  );
  await page.getByTestId(derived.confirm(testIds.margo.stopDialog)).click();
  await expect(serving).toHaveAttribute('data-serving', 'false');
  expect(await portAnswers(Number(before.port))).toBe(false);

  await page.getByTestId(testIds.margo.host).fill('127.0.0.1');
  await page.getByTestId(testIds.margo.port).fill('0');
  await page.getByTestId(testIds.margo.trustPort).fill('0');
  await page.getByTestId(testIds.margo.start).click();
  await expect(serving).toHaveAttribute('data-serving', 'true');
  await expect(page.getByTestId(testIds.margo.wfmUrl)).toHaveText(/^https:\/\/127\.0\.0\.1:\d+$/);
  await expect(page.getByTestId(testIds.margo.trustBundleUrl)).toHaveText(
    /^https:\/\/127\.0\.0\.1:\d+\/\.well-known\/margo$/,
  );
  const ca = readFileSync(join(state.home, 'keys', 'margo', 'ca.pem'));
  await expect(page.getByTestId(testIds.margo.caFingerprint)).toHaveText(
    new X509Certificate(ca).fingerprint256,
  );
});

test('adds a client: the browser downloads its bundle as a .zip', async () => {
  await page.getByTestId(testIds.margo.add).click();
  await page.getByTestId(testIds.margo.addClientId).fill(CLIENT);
  await expect(page.getByTestId(testIds.margo.addDownload)).toHaveText(
    `Your browser downloads the bundle as ${CLIENT}-margo-bundle.zip.`,
  );
  const downloading = page.waitForEvent('download');
  await page.getByTestId(testIds.margo.addSubmit).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${CLIENT}-margo-bundle.zip`);
  const zip = join(dir, download.suggestedFilename());
  await download.saveAs(zip);
  await expect(page.getByTestId(testIds.margo.added)).toContainText(
    `Its bundle is downloaded as ${CLIENT}-margo-bundle.zip`,
  );
  await shoot(page, '34-margo-client-added');
  await page.getByTestId(testIds.margo.addedDone).click();

  // Unpacked by another zip implementation (Python's), as an engineer's tool would.
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, join(dir, 'unpacked')]);
  const files = join(dir, 'unpacked', CLIENT);
  const wfm = JSON.parse(readFileSync(join(files, 'wfm.json'), 'utf8')) as { url: string };
  expect(wfm.url).toBe(await page.getByTestId(testIds.margo.wfmUrl).textContent());
  bundle = {
    url: wfm.url,
    ca: readFileSync(join(files, 'ca.pem')),
    cert: readFileSync(join(files, 'cert.pem')),
    key: readFileSync(join(files, 'key.pem')),
  };
  await expect(page.getByTestId(testIds.margo.clientState(CLIENT))).toHaveText('● accepted');
  await expect(page.getByTestId(testIds.margo.clientContact(CLIENT))).toHaveText('never');
});

test('the device reports in with that bundle over mutual TLS; the list shows it at once', async () => {
  const put = await device('PUT', '/api/v1/capabilities/gw-7', deviceCapabilities('gw-7'));
  expect(put.status).toBe(201);
  // No reload: the list follows the report.
  await expect(page.getByTestId(testIds.margo.clientDevices(CLIENT))).toContainText(
    `${DEVICE} reported`,
  );
  await expect(page.getByTestId(testIds.margo.clientContact(CLIENT))).not.toHaveText('never');
  await shoot(page, '35-margo-device-reported');
});

test('revoking it says what the device will experience; its next request is refused', async () => {
  await page.getByTestId(testIds.margo.clientActions(CLIENT)).click();
  await page.getByTestId(testIds.margo.clientRevoke(CLIENT)).click();
  const dialog = page.getByTestId(testIds.margo.revokeDialog);
  await expect(dialog).toContainText('Its next request to this computer is refused');
  await expect(dialog).toContainText(`${DEVICE} keeps running what it runs now`);
  await shoot(page, '36-margo-revoke');
  await page.getByTestId(derived.confirm(testIds.margo.revokeDialog)).click();
  await expect(page.getByTestId(testIds.margo.client(CLIENT))).toHaveAttribute(
    'data-state',
    'revoked',
  );
  const refused = await device('GET', '/api/v1/deployments');
  expect(refused.status).toBe(403);
  expect(refused.text).toContain('not-authorized');
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { KeyAndCertificate } from '../../electron/core/identity/certificates';
import { addClient, getClient } from '../../electron/core/identity/margo-clients';
import { plantIdentity } from '../../electron/core/identity/plant-identity';
import { openStore } from '../../electron/core/store/store';
import { deviceCapabilities, margoClientRequest } from '../support/margo-device-client';
import { testIds } from '../../renderer/src/test-ids';
import { readE2eState, SHOTS, type E2eState } from './e2e-state';

/**
 * A Margo device in the app: its client (played here over real mutual TLS) reports its
 * capabilities, the device appears under Devices, the engineer deploys the demo app to it with
 * the wizard, the device pulls its desired state and reports installed, and the Deployments
 * screen follows — without a reload.
 */
test.describe.configure({ mode: 'serial' });

const APP = 'org-commissioner-demo-line-status';
const DEVICE = 'press-gw/gw-1';
let state: E2eState;
let page: Page;
let svid: KeyAndCertificate;
let ca = '';
let wfm: URL;

const device = (method: string, path: string, body?: unknown) =>
  margoClientRequest({ url: wfm, ca, cert: svid.certPem, key: svid.keyPem }, method, path, body);

async function shot(name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

test.beforeAll(async ({ browser }) => {
  state = readE2eState();
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  // Provisioning, as `margo client add` does it, in the served app's data home.
  const store = openStore(state.home);
  try {
    const identity = plantIdentity(store.paths);
    ca = identity.ca.certPem;
    if (getClient(store, 'press-gw')) {
      throw new Error('press-gw already exists: run the end-to-end tests on a fresh home');
    }
    svid = addClient(store, identity, 'press-gw').svid;
  } finally {
    store.close();
  }
  await page.goto(state.url);
  const origin = new URL(state.url).origin;
  const info = (await (
    await page.request.post(`${origin}/api/call`, {
      data: { op: 'app.info', request: {} },
      headers: { origin },
    })
  ).json()) as { result: { margo: { url: string } | null } };
  if (!info.result.margo) throw new Error('the browser host does not serve Margo devices');
  wfm = new URL(info.result.margo.url);
  // The demo app (imported by the catalog story already, unless this file runs alone).
  const started = (await (
    await page.request.post(`${origin}/api/call`, {
      data: { op: 'imports.start', request: { sources: [{ kind: 'demo' }] } },
      headers: { origin },
    })
  ).json()) as { result: { jobId: string } };
  await expect
    .poll(async () => {
      const jobs = (await (
        await page.request.post(`${origin}/api/call`, {
          data: { op: 'jobs.list', request: {} },
          headers: { origin },
        })
      ).json()) as { result: { id: string; state: string }[] };
      return jobs.result.find((j) => j.id === started.result.jobId)?.state;
    })
    .toBe('succeeded');
});

test.afterAll(async () => {
  await page.close();
});

test('a Margo device that reports its capabilities appears under Devices', async () => {
  await page.getByTestId(testIds.shell.navTo('devices')).click();
  const put = await device(
    'PUT',
    '/api/v1/capabilities/gw-1',
    deviceCapabilities('gw-1', {}, { line: 'press' }),
  );
  expect(put.status).toBe(201);
  // No reload: the view follows the report.
  await expect(page.getByTestId(testIds.devices.row(DEVICE))).toBeVisible();
  // Its report is its sign of life; "Probe all" does not turn it unreachable.
  await expect(page.getByTestId(testIds.devices.reachability(DEVICE))).toContainText(
    /^● reachable/,
  );
  await page.getByTestId(testIds.devices.probeAll).click();
  await expect(page.getByTestId(testIds.devices.probeNotice)).toContainText(/probed|reachable/, {
    timeout: 60_000,
  });
  await expect(page.getByTestId(testIds.devices.reachability(DEVICE))).toContainText(
    /^● reachable/,
  );
  await page.getByTestId(testIds.devices.open(DEVICE)).click();
  await expect(page.getByTestId(testIds.devices.detail)).toContainText('Margo client');
  await shot('31-margo-device');
  await page.getByTestId(testIds.devices.detailClose).click();
});

test('the wizard deploys the demo app to it: placed in its desired state', async () => {
  await page.goto(`${state.url.replace(/\/?(\?.*)?$/, '/')}#/deploy?app=${APP}`);
  await expect(page.getByTestId(testIds.deploy.device(DEVICE))).toHaveAttribute(
    'data-verdict',
    'compatible',
  );
  await page.getByTestId(testIds.deploy.device(DEVICE)).click();
  await page.getByTestId(testIds.deploy.next).click();
  await page.getByTestId(testIds.deploy.next).click();
  await expect(page.getByTestId(testIds.deploy.step('configure'))).toBeVisible();
  await page.locator('#root_lineName').fill('Gateway line');
  await page.getByTestId(testIds.deploy.next).click();
  await expect(page.getByTestId(testIds.deploy.plan(DEVICE))).toContainText(/place/, {
    timeout: 60_000,
  });
  await shot('32-margo-review');
  await page.getByTestId(testIds.deploy.submit).click();
  await expect(page.getByTestId(testIds.deploy.outcome(DEVICE))).toHaveAttribute(
    'data-state',
    'placed',
    { timeout: 60_000 },
  );
});

test('the device pulls it, reports installed, and the Deployments screen follows', async () => {
  const manifest = JSON.parse((await device('GET', '/api/v1/deployments')).text) as {
    manifestVersion: number;
    deployments: { deploymentId: string; url: string }[];
  };
  expect(manifest.deployments).toHaveLength(1);
  const entry = manifest.deployments[0]!;
  expect((await device('GET', entry.url)).text).toContain('Gateway line');
  await page.getByTestId(testIds.shell.navTo('deployments')).click();
  const row = page
    .locator(`[data-testid^="${testIds.deployments.rowPrefix}"]`)
    .filter({ hasText: DEVICE });
  await expect(row).toHaveAttribute('data-state', 'pending');
  const reported = await device('POST', `/api/v1/deployments/${entry.deploymentId}/status`, {
    deploymentId: entry.deploymentId,
    deviceId: 'gw-1',
    adoptedManifestVersion: manifest.manifestVersion,
    status: { state: 'installed' },
    components: [{ name: 'line-status', state: 'installed' }],
  });
  expect(reported.status).toBe(201);
  await expect(row).toHaveAttribute('data-state', 'installed');
  await row.click();
  await expect(page.getByTestId(testIds.deployments.timeline)).toContainText(
    'the device reports installed',
  );
  await shot('33-margo-installed');
});

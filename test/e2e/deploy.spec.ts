import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { derived, testIds } from '../../renderer/src/test-ids';
import { contractCalls } from './contract-calls';
import { readE2eState, SHOTS, type E2eState } from './e2e-state';

/**
 * Configure and deploy with the mouse: the demo app onto the two real devices, an update that
 * recreates one service, a revision that fails on the device and is rolled back, a removal.
 * Runs after catalog.spec.ts on the same host; what it needs (the demo app, the devices, the
 * broken 1.0.1 kit) it makes sure of through the contract, so it also runs alone.
 */
test.describe.configure({ mode: 'serial' });

const APP = 'org-commissioner-demo-line-status';
const DEVICES = ['line-1', 'line-2'];

let state: E2eState;
let page: Page;

async function shot(name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** A contract call from the page's origin, as the UI makes it. */
const call = <T>(op: string, request?: unknown): Promise<T> =>
  contractCalls(page, state.url).call<T>(op, request);

const upload = (purpose: string, path: string): Promise<string> =>
  contractCalls(page, state.url).upload(purpose, path);

async function importKit(source: { kind: 'demo' } | { kind: 'picked'; token: string }) {
  const { jobId } = await call<{ jobId: string }>('imports.start', { sources: [source] });
  await expect
    .poll(
      async () =>
        (await call<{ id: string; state: string }[]>('jobs.list')).find((j) => j.id === jobId)
          ?.state,
    )
    .toBe('succeeded');
}

async function openWizard(version?: string) {
  await page.goto(
    `${state.url.replace(/\/?(\?.*)?$/, '/')}#/deploy?app=${APP}${version ? `&version=${version}` : ''}`,
  );
  await expect(page.getByTestId(testIds.deploy.screen)).toBeVisible();
  await expect(page.getByTestId(testIds.deploy.step('devices'))).toBeVisible();
}

async function next() {
  await page.getByTestId(testIds.deploy.next).click();
}

/** rjsf's input for a parameter (its id is root_<parameter>). */
function field(parameter: string) {
  return page.locator(`#root_${parameter}`);
}

test.beforeAll(async ({ browser }) => {
  state = readE2eState();
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(state.url);
  await importKit({ kind: 'demo' });
  await contractCalls(page, state.url).addDevices(state, DEVICES);
});

test.afterAll(async () => {
  await page.close();
});

test('the wizard starts from the app: devices with their verdicts', async () => {
  await page.goto(state.url);
  await page.getByTestId(testIds.shell.navTo('catalog')).click();
  await page.getByTestId(testIds.catalog.item(APP)).click();
  await page.getByTestId(testIds.app.deploy).click();
  await expect(page.getByTestId(testIds.deploy.screen)).toBeVisible();
  for (const name of DEVICES) {
    await expect(page.getByTestId(testIds.deploy.device(name))).toContainText(/compatible/i);
  }
  await page.getByTestId(testIds.deploy.device('line-1')).click();
  await page.getByTestId(testIds.deploy.device('line-2')).click();
  await shot('20-deploy-devices');
  await next();
  await expect(page.getByTestId(testIds.deploy.step('profile'))).toBeVisible();
  await expect(
    page.getByTestId(testIds.deploy.profile('line-status-compose')).locator('input'),
  ).toBeChecked();
  await next();
});

test('invalid values show their exact errors under their fields, and block the review', async () => {
  await expect(page.getByTestId(testIds.deploy.step('configure'))).toBeVisible();
  // Where each value goes is shown beside the field.
  await expect(page.getByTestId(testIds.deploy.form)).toContainText('LINE_NAME');
  await field('lineName').fill('x'.repeat(41));
  await field('pollSeconds').fill('2');
  await expect(page.locator('#root_lineName__error')).toContainText(
    'must be at most 40 characters (is 41)',
  );
  await expect(page.locator('#root_pollSeconds__error')).toContainText('must be at least 5');
  await expect(page.getByTestId(testIds.deploy.next)).toBeDisabled();
  await shot('21-deploy-form-errors');
  await field('lineName').fill('Press line');
  await field('pollSeconds').fill('10');
  await expect(page.locator('#root_lineName__error')).toHaveCount(0);
  await expect(page.getByTestId(testIds.deploy.next)).toBeEnabled();
  await next();
});

test('the review shows the plan per device, the image to side-load and the YAML', async () => {
  await expect(page.getByTestId(testIds.deploy.step('review'))).toBeVisible();
  for (const name of DEVICES) {
    const card = page.getByTestId(testIds.deploy.plan(name));
    await expect(card).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId(testIds.deploy.planItem(name, 'board'))).toHaveAttribute(
      'data-action',
      'create',
    );
    await expect(page.getByTestId(testIds.deploy.planItem(name, 'heartbeat'))).toHaveAttribute(
      'data-action',
      'create',
    );
    await expect(card).toContainText('registry.plant.local/demo/line-status:1.0.0');
    await expect(page.getByTestId(testIds.deploy.digest(name))).toContainText('sha256:');
    // Each value, and where it goes.
    const lineName = page.getByTestId(testIds.deploy.planValue(name, 'lineName'));
    await expect(lineName).toContainText('Press line');
    await expect(lineName).toContainText('environment variable LINE_NAME of line-status');
  }
  await shot('22-deploy-review');
  await page.getByTestId(testIds.deploy.submit).click();
});

test('the deployment runs live and reaches installed on both devices', async () => {
  await expect(page.getByTestId(testIds.deploy.step('progress'))).toBeVisible();
  for (const name of DEVICES) {
    await expect(page.getByTestId(testIds.deploy.outcome(name))).toHaveAttribute(
      'data-state',
      'installed',
      { timeout: 120_000 },
    );
  }
  // State lives in the core: a reload shows the same job.
  await page.reload();
  await expect(page.getByTestId(testIds.deploy.outcome('line-1'))).toHaveAttribute(
    'data-state',
    'installed',
  );
  await shot('23-deploy-done');
});

test('the Deployments screen shows each device and component with Margo states', async () => {
  await page.getByTestId(testIds.shell.navTo('deployments')).click();
  await expect(page.getByTestId(testIds.deployments.screen)).toBeVisible();
  const rows = page.locator(`[data-testid^="${testIds.deployments.rowPrefix}"]`);
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute('data-state', 'installed');
  await rows.filter({ hasText: 'line-1' }).click();
  await expect(page.getByTestId(testIds.deployments.detail)).toBeVisible();
  await expect(page.getByTestId(testIds.deployments.component('line-status'))).toHaveAttribute(
    'data-state',
    'installed',
  );
  await expect(page.getByTestId(testIds.deployments.yaml)).toContainText('Press line');
  await expect(page.getByTestId(testIds.deployments.digest)).toContainText('sha256:');
  await page.getByTestId(testIds.deployments.logs).click();
  await expect(page.getByTestId(testIds.deployments.logsView)).toContainText('heartbeat');
  await shot('24-deployments');
});

test('an update changes one value and recreates only that service', async () => {
  await page.getByTestId(testIds.deployments.update).click();
  await expect(page.getByTestId(testIds.deploy.screen)).toBeVisible();
  await expect(page.getByTestId(testIds.deploy.device('line-1')).locator('input')).toBeChecked();
  await next();
  await next();
  await expect(page.getByTestId(testIds.deploy.step('configure'))).toBeVisible();
  await expect(field('lineName')).toHaveValue('Press line');
  // The port cannot change once installed: locked, and said why.
  await expect(field('port')).toBeDisabled();
  await field('lineName').fill('Press line 2');
  await shot('25-deploy-update-form');
  await next();
  await expect(page.getByTestId(testIds.deploy.planItem('line-1', 'board'))).toHaveAttribute(
    'data-action',
    'recreate',
    { timeout: 60_000 },
  );
  await expect(page.getByTestId(testIds.deploy.planItem('line-1', 'heartbeat'))).toHaveAttribute(
    'data-action',
    'unchanged',
  );
  await expect(page.getByTestId(testIds.deploy.plan('line-1'))).toContainText('LINE_NAME');
  await shot('26-deploy-update-review');
  await page.getByTestId(testIds.deploy.submit).click();
  await expect(page.getByTestId(testIds.deploy.outcome('line-1'))).toHaveAttribute(
    'data-state',
    'installed',
    { timeout: 120_000 },
  );
});

test('a revision that fails on the device is rolled back automatically, with its reason', async () => {
  await importKit({ kind: 'picked', token: await upload('import-kit', state.brokenUpdate) });
  await openWizard('1.0.1');
  await page.getByTestId(testIds.deploy.device('line-2')).click();
  await next();
  await next();
  await expect(page.getByTestId(testIds.deploy.step('configure'))).toBeVisible();
  await next();
  await expect(page.getByTestId(testIds.deploy.plan('line-2'))).toContainText(
    /update of revision/i,
    {
      timeout: 60_000,
    },
  );
  await page.getByTestId(testIds.deploy.submit).click();
  const outcome = page.getByTestId(testIds.deploy.outcome('line-2'));
  await expect(outcome).toHaveAttribute('data-state', 'rolled-back', { timeout: 150_000 });
  await expect(outcome).toContainText(/rolled back to revision 1/);
  await expect(outcome).toContainText(/exit|line\.conf/);
  await shot('27-deploy-rolled-back');
});

test('roll back by hand to the revision before the update', async () => {
  await page.getByTestId(testIds.shell.navTo('deployments')).click();
  await page
    .locator(`[data-testid^="${testIds.deployments.rowPrefix}"]`)
    .filter({ hasText: 'line-1' })
    .click();
  await expect(page.getByTestId(testIds.deployments.yaml)).toContainText('Press line 2');
  await page.getByTestId(testIds.deployments.rollback).click();
  await expect(page.getByTestId(testIds.deployments.rollbackDialog)).toContainText('revision 1');
  // What going back changes, in words.
  await expect(page.getByTestId(testIds.deployments.rollbackChanges)).toContainText(
    'lineName: Press line 2 → Press line',
  );
  await page.getByTestId(derived.confirm(testIds.deployments.rollbackDialog)).click();
  await expect(page.getByTestId(testIds.deployments.revision(1))).toHaveAttribute(
    'data-outcome',
    'installed',
    { timeout: 120_000 },
  );
  await expect(page.getByTestId(testIds.deployments.detail)).toHaveAttribute(
    'data-state',
    'installed',
  );
  await expect(page.getByTestId(testIds.deployments.yaml)).not.toContainText('Press line 2');
  await shot('28-deployment-rolled-back-by-hand');
});

test('remove a deployment, keeping its volumes unless asked', async () => {
  await page.getByTestId(testIds.shell.navTo('deployments')).click();
  await page
    .locator(`[data-testid^="${testIds.deployments.rowPrefix}"]`)
    .filter({ hasText: 'line-2' })
    .click();
  await expect(page.getByTestId(testIds.deployments.detail)).toBeVisible();
  await expect(page.getByTestId(testIds.deployments.revisions)).toContainText(
    /rolled-back|rolled back/,
  );
  await page.getByTestId(testIds.deployments.remove).click();
  await expect(page.getByTestId(testIds.deployments.removeVolumes)).toHaveAttribute(
    'data-checked',
    'false',
  );
  await shot('29-deployment-remove-dialog');
  await page.getByTestId(derived.confirm(testIds.deployments.removeDialog)).click();
  await expect(page.getByTestId(testIds.deployments.detail)).toHaveAttribute(
    'data-state',
    'removed',
    { timeout: 60_000 },
  );
  // Removed deployments leave the list; the switch shows them, their last revision `removed`.
  const row = page
    .locator(`[data-testid^="${testIds.deployments.rowPrefix}"]`)
    .filter({ hasText: 'line-2' });
  await expect(row).toHaveCount(0);
  await page.getByTestId(testIds.deployments.showRemoved).click();
  await expect(row).toHaveAttribute('data-state', 'removed');
  await expect(
    page.getByTestId(testIds.deployments.revisions).locator('[data-outcome="removed"]'),
  ).toHaveCount(1);
  await shot('30-deployment-removed');
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { derived, testIds } from '../../renderer/src/test-ids';
import { LINE_IMAGE, makeLineAppKit } from '../support/compose-app-fixture';
import { startServe, type ServeProcess } from '../support/serve-process';
import { contractCalls, type ContractCalls } from './contract-calls';
import { readE2eState, shoot, type E2eState } from './e2e-state';

/**
 * Every screen, its detail panes, the deploy wizard's steps and the dialogs that matter, in the
 * light and in the dark theme, checked with axe-core: no serious or critical violation. It runs
 * on a browser host of its own (its own data home: a catalog, two devices and one deployment
 * of its own), so the other specs find the shared host as they expect it; it removes its
 * deployment from the device at the end.
 */
test.describe.configure({ mode: 'serial' });

const DEMO_APP = 'org-commissioner-demo-line-status';
const APP = 'com-example-a11y-check';
const PROFILE = 'line-app-compose';
const DEVICES = ['line-1', 'line-2'];
/** Sleeps only: no ports, so it sits beside whatever the other specs deploy on the daemon. */
const COMPOSE = `services:
  board:
    image: ${LINE_IMAGE}
    command: [sh, -c, "exec sleep 100000"]
    stop_grace_period: 1s
`;
const THEMES = ['light', 'dark'] as const;

let state: E2eState;
let server: ServeProcess;
let context: BrowserContext;
let page: Page;
let core: ContractCalls;
let deploymentId: string;

/** The impacts this check refuses. */
const REFUSED = new Set(['serious', 'critical']);

/** axe's findings on the page as it is now, as lines a person can act on ('' when none). */
async function violations(where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => REFUSED.has(v.impact ?? ''))
    .map(
      (v) =>
        `${where}: ${v.id} (${v.impact}) — ${v.help}\n` +
        v.nodes
          .slice(0, 6)
          .map(
            (n) =>
              `    at ${n.target.join(' ')}${n.failureSummary ? `: ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`,
          )
          .join('\n'),
    );
}

function base(): string {
  return server.url.replace(/\/?(\?.*)?$/, '/');
}

async function open(hash: string, ready: string) {
  await page.goto(`${base()}${hash}`);
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
  await expect(page.getByTestId(ready).first()).toBeVisible();
}

/** Closes whichever dialog is open with Escape, and waits until it is gone. */
async function escapeDialog() {
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  state = readE2eState();
  const root = join(state.root, 'accessibility');
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  server = await startServe(home);
  // axe-core/playwright runs in a context of the test's own (it opens a page beside this one).
  context = await browser.newContext();
  page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(server.url);
  core = contractCalls(page, server.url);
  const kit = await makeLineAppKit(join(root, APP), { id: APP, compose: COMPOSE });
  const { jobId } = await core.call<{ jobId: string }>('imports.start', {
    sources: [
      { kind: 'demo' },
      { kind: 'picked', token: await core.upload('import-kit', kit.kit) },
    ],
  });
  expect(await core.jobEnded(jobId)).toBe('succeeded');
  await core.addDevices(state, DEVICES);
  const request = { id: APP, version: '1.0.0', profile: PROFILE, devices: ['line-1'], values: {} };
  const plan = await core.call<{ devices: { device: string; digest?: string }[] }>(
    'deploy.plan',
    request,
  );
  const reviewed = Object.fromEntries(plan.devices.map((d) => [d.device, d.digest ?? '']));
  const deploy = await core.call<{ jobId: string }>('deploy.start', { ...request, reviewed });
  expect(await core.jobEnded(deploy.jobId, 150_000)).toBe('succeeded');
  const listed = await core.call<{ id: string; appId: string }[]>('deployments.list');
  deploymentId = listed.find((d) => d.appId === APP)!.id;
});

test.afterAll(async () => {
  test.setTimeout(180_000);
  if (deploymentId) {
    const { jobId } = await core.call<{ jobId: string }>('deployments.remove', {
      id: deploymentId,
      volumes: true,
    });
    await core.jobEnded(jobId);
  }
  await context.close();
  await server.stop();
});

for (const theme of THEMES) {
  test(`every screen, pane, wizard step and dialog in the ${theme} theme: no serious or critical violation`, async () => {
    test.setTimeout(300_000);
    // The theme as the app keeps it: in this browser's storage, read at each load.
    await page.goto(server.url);
    await page.evaluate((mode) => localStorage.setItem('commissioner.theme', mode), theme);
    await page.reload();
    const found: string[] = [];
    const check = async (where: string) => {
      found.push(...(await violations(`${where} (${theme})`)));
    };

    await open('#/catalog', testIds.catalog.item(DEMO_APP));
    await expect(page.getByTestId(testIds.shell.themeToggle)).toHaveAttribute('data-theme', theme);
    await check('catalog');
    await open(`#/catalog?app=${DEMO_APP}`, testIds.app.detail);
    await expect(page.getByTestId(testIds.app.profiles)).toBeVisible();
    await check('app detail');
    await shoot(page, `a11y-app-detail-${theme}`);

    await open('#/compat', testIds.compat.screen);
    await check('compatibility');

    await open('#/devices', testIds.devices.row('line-1'));
    await check('devices');
    await open('#/devices?device=line-1', testIds.devices.deployments);
    await check('device detail');
    await page.getByTestId(testIds.devices.add).click();
    await expect(page.getByTestId(testIds.devices.dialog(false))).toBeVisible();
    await check('add device dialog');
    await escapeDialog();

    await open('#/deployments', testIds.deployments.row(deploymentId));
    await check('deployments');
    await open(`#/deployments?id=${deploymentId}`, testIds.deployments.detail);
    await expect(page.getByTestId(testIds.deployments.yaml)).toBeVisible();
    await check('deployment detail');
    await shoot(page, `a11y-deployment-detail-${theme}`);
    await page.getByTestId(testIds.deployments.remove).click();
    await expect(page.getByTestId(testIds.deployments.removeDialog)).toBeVisible();
    await check('remove deployment dialog');
    await page.getByTestId(derived.cancel(testIds.deployments.removeDialog)).click();

    await open(`#/deploy?app=${APP}`, testIds.deploy.step('devices'));
    await check('deploy: devices');
    await page.getByTestId(testIds.deploy.device('line-2')).click();
    await page.getByTestId(testIds.deploy.next).click();
    await expect(page.getByTestId(testIds.deploy.step('profile'))).toBeVisible();
    await check('deploy: profile');
    await page.getByTestId(testIds.deploy.next).click();
    await expect(page.getByTestId(testIds.deploy.step('configure'))).toBeVisible();
    await expect(page.getByTestId(testIds.deploy.form)).toBeVisible();
    await check('deploy: configure');
    await page.getByTestId(testIds.deploy.next).click();
    await expect(page.getByTestId(testIds.deploy.plan('line-2'))).toBeVisible({ timeout: 60_000 });
    await check('deploy: review');
    await shoot(page, `a11y-deploy-review-${theme}`);

    await open('#/import', testIds.imports.screen);
    await check('imports');

    await open('#/settings', testIds.settings.screen);
    await expect(page.getByTestId(testIds.margo.section)).toBeVisible();
    await check('settings');
    await page.getByTestId(testIds.trust.add).click();
    await expect(page.getByTestId(testIds.trust.addDialog)).toBeVisible();
    await check('add trust entry dialog');
    await escapeDialog();

    expect(
      found.length,
      `axe-core found serious or critical violations:\n${found.join('\n')}`,
    ).toBe(0);
  });
}

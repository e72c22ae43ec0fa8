import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { testIds } from '../../renderer/src/test-ids';
import { LINE_IMAGE, makeLineAppKit } from '../support/compose-app-fixture';
import { contractCalls, type ContractCalls } from './contract-calls';
import { readE2eState, shoot, type E2eState } from './e2e-state';

/**
 * The whole deploy story with the keyboard only, on a 1366×768 laptop screen: import a kit,
 * find its app with the search, open it, deploy it to a real device with a value changed,
 * review, deploy, and see it running. Only page.keyboard acts on the page (no click, no mouse);
 * the file chooser that Enter opens is answered as the engineer answers it. Its application
 * is its own; it removes what it deployed and imported, so it runs alone or among the others.
 */
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 768 } });

const APP = 'com-example-keyboard-line';
const NAME = 'Keyboard Line';
const DEVICE = 'line-1';
/** Sleeps only: no ports, so it sits beside whatever the other specs run on the device. */
const COMPOSE = `services:
  board:
    image: ${LINE_IMAGE}
    environment:
      SITE_NAME: \${SITE_NAME:-unknown}
    command: [sh, -c, "exec sleep 100000"]
    stop_grace_period: 1s
`;

let state: E2eState;
let page: Page;
let core: ContractCalls;
let kit: string;

/** Whether `target` has the keyboard focus. */
function focused(target: Locator): Promise<boolean> {
  return target.evaluate(
    (el) => el === document.activeElement || el.contains(document.activeElement),
  );
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, as someone tabbing through the
 * screen does; fails when it is not reached within `most` presses (not reachable by keyboard).
 */
async function tabTo(target: Locator, { most = 60, back = false } = {}): Promise<number> {
  await expect(target).toBeVisible();
  for (let presses = 0; presses <= most; presses++) {
    if (await focused(target)) return presses;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${String(target)} was not reached with ${most} ${back ? 'Shift+Tab' : 'Tab'}`);
}

test.beforeAll(async ({ browser }) => {
  state = readE2eState();
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(state.url);
  core = contractCalls(page, state.url);
  await core.addDevices(state, [DEVICE]);
  kit = (
    await makeLineAppKit(join(state.root, 'keyboard-deploy'), {
      id: APP,
      name: NAME,
      compose: COMPOSE,
    })
  ).kit;
});

test.afterAll(async () => {
  test.setTimeout(180_000);
  const mine = (await core.call<{ id: string; appId: string }[]>('deployments.list')).filter(
    (d) => d.appId === APP,
  );
  for (const d of mine) {
    const { jobId } = await core.call<{ jobId: string }>('deployments.remove', {
      id: d.id,
      volumes: true,
    });
    await core.jobEnded(jobId);
  }
  await core.call('catalog.remove', { id: APP }).catch(() => undefined);
  await page.close();
});

test('import a kit from the Imports screen with the keyboard', async () => {
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
  await tabTo(page.getByTestId(testIds.shell.navTo('import')));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(testIds.imports.screen)).toBeVisible();
  await tabTo(page.getByTestId(testIds.imports.kit));
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(kit);
  await expect(page.getByTestId(testIds.imports.job)).toHaveAttribute('data-state', 'succeeded', {
    timeout: 60_000,
  });
  await expect(page.getByTestId(testIds.imports.resultPart('imported'))).toContainText(APP);
});

test('find it with the search: ArrowDown enters the results, Enter opens the app', async () => {
  await tabTo(page.getByTestId(testIds.shell.navTo('catalog')), { back: true });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(testIds.catalog.screen)).toBeVisible();
  // "/" jumps to the search box from anywhere on the catalog.
  await page.keyboard.press('/');
  await expect(page.getByTestId(testIds.catalog.search)).toBeFocused();
  await page.keyboard.type('keyboard line');
  const item = page.getByTestId(testIds.catalog.item(APP));
  await expect(page.getByTestId(testIds.catalog.count)).toContainText('1 app');
  await page.keyboard.press('ArrowDown');
  await expect(item).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(testIds.app.detail)).toHaveAttribute('data-app-id', APP);
  await expect(page.getByTestId(testIds.app.name)).toContainText(NAME);
});

test('start the deploy, choose the device and the profile: each step’s heading takes the focus', async () => {
  await tabTo(page.getByTestId(testIds.app.deploy));
  await page.keyboard.press('Enter');
  const heading = page.getByTestId(testIds.deploy.stepHeading);
  await expect(heading).toContainText('Choose the devices');
  await expect(heading).toBeFocused();
  const checkbox = page.getByTestId(testIds.deploy.device(DEVICE)).locator('input');
  await tabTo(checkbox);
  await page.keyboard.press('Space');
  await expect(checkbox).toBeChecked();
  await tabTo(page.getByTestId(testIds.deploy.next));
  await page.keyboard.press('Enter');
  await expect(heading).toContainText('Choose the deployment profile');
  await expect(heading).toBeFocused();
  await expect(
    page.getByTestId(testIds.deploy.profile('line-app-compose')).locator('input'),
  ).toBeChecked();
  await tabTo(page.getByTestId(testIds.deploy.next));
  await page.keyboard.press('Enter');
});

test('fill the form, review the plan, deploy, and see it running', async () => {
  const heading = page.getByTestId(testIds.deploy.stepHeading);
  await expect(heading).toContainText('Set the configuration values');
  await expect(heading).toBeFocused();
  const site = page.locator('#root_siteName');
  await tabTo(site);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('Press Hall A');
  await expect(site).toHaveValue('Press Hall A');
  await shoot(page, 'keyboard-configure');
  await tabTo(page.getByTestId(testIds.deploy.next));
  await page.keyboard.press('Enter');

  await expect(heading).toContainText('Review what will change');
  await expect(heading).toBeFocused();
  await expect(page.getByTestId(testIds.deploy.planItem(DEVICE, 'board'))).toHaveAttribute(
    'data-action',
    'create',
    { timeout: 60_000 },
  );
  await expect(page.getByTestId(testIds.deploy.plan(DEVICE))).toContainText('Press Hall A');
  await shoot(page, 'keyboard-review');
  const submit = page.getByTestId(testIds.deploy.submit);
  await expect(submit).toBeEnabled();
  await tabTo(submit);
  await page.keyboard.press('Enter');

  await expect(page.getByTestId(testIds.deploy.outcome(DEVICE))).toHaveAttribute(
    'data-state',
    'installed',
    { timeout: 150_000 },
  );
  await expect(heading).toContainText('Deploying');

  // Running, as the Deployments screen sees it.
  await tabTo(page.getByTestId(testIds.shell.navTo('deployments')), { back: true, most: 80 });
  await page.keyboard.press('Enter');
  const row = page
    .locator(`[data-testid^="${testIds.deployments.rowPrefix}"]`)
    .filter({ hasText: NAME });
  await expect(row).toHaveAttribute('data-state', 'installed', { timeout: 60_000 });
  await shoot(page, 'keyboard-deployed');
});

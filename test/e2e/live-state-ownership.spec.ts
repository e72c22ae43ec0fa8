import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import Docker from 'dockerode';
import { OWNERSHIP_LABELS } from '../../shared/application-deployment/ownership-labels';
import { derived, testIds } from '../../renderer/src/test-ids';
import { LINE_COMPONENT, LINE_IMAGE, makeLineAppKit } from '../support/compose-app-fixture';
import { runCli } from '../support/run-cli';
import { contractCalls } from './contract-calls';
import { readE2eState, shoot, type E2eState } from './e2e-state';

/**
 * What really runs, with the mouse, against the real devices and a second laptop: the browser
 * host's data home is laptop A (the engineer at the screen), a second data home driven by the
 * CLI is laptop B (Ben). A container stopped by hand through the Docker API shows as drifted, in
 * words, after "Refresh all"; deploying over Ben's deployment needs the explicit take-over;
 * Ben's deployment found on a device is adopted from the device's detail without touching its
 * containers. Each test has its own application; the spec removes what it deployed and
 * imported, so it runs alone or among the others.
 */
test.describe.configure({ mode: 'serial' });

/** Generous: the machine running the suite is shared and loaded. */
const WAIT = { timeout: 60_000 };
const DRIFT_APP = 'com-example-drift-watch';
const TAKE_OVER_APP = 'com-example-take-over';
const ADOPT_APP = 'com-example-adopt';
const APPS = [DRIFT_APP, TAKE_OVER_APP, ADOPT_APP];
const PROFILE = 'line-app-compose';
/** Laptop A's names for the fleet's two daemons (those the other specs use too). */
const DEVICES = ['line-1', 'line-2'];
/** Laptop B's names for the same two daemons. */
const DEVICES_B = ['b-line-1', 'b-line-2'];
/** Two services that only sleep: no ports, so they sit beside whatever the other specs run. */
const COMPOSE = `services:
  board:
    image: ${LINE_IMAGE}
    command: [sh, -c, "exec sleep 100000"]
    stop_grace_period: 1s
  beat:
    image: ${LINE_IMAGE}
    command: [sh, -c, "exec sleep 100000"]
    stop_grace_period: 1s
`;

let state: E2eState;
let page: Page;
let homeB: string;

/** A contract call from the page's origin, as the UI makes it. */
const call = <T>(op: string, request?: unknown): Promise<T> =>
  contractCalls(page, state.url).call<T>(op, request);

const upload = (purpose: string, path: string): Promise<string> =>
  contractCalls(page, state.url).upload(purpose, path);

async function jobState(jobId: string): Promise<string | undefined> {
  let ended: string | undefined;
  await expect
    .poll(
      async () => {
        ended = (await call<{ id: string; state: string }[]>('jobs.list')).find(
          (j) => j.id === jobId,
        )?.state;
        return ended;
      },
      { timeout: 150_000 },
    )
    .not.toBe('running');
  return ended;
}

/** Laptop B: the real CLI on its own data home. */
async function cliB(args: string[]) {
  const run = await runCli(args, { env: { COMMISSIONER_HOME: homeB }, cwd: state.root });
  if (run.code !== 0) {
    throw new Error(`commissioner ${args.join(' ')}: exit ${run.code}\n${run.stdout}${run.stderr}`);
  }
  return run;
}

/** A client of a fleet daemon, as another tool or person on the plant LAN reaches it. */
function deviceDocker(index: number): Docker {
  const d = state.devices[index]!;
  return new Docker({
    host: d.host,
    port: Number(new URL(d.url.replace(/^tcp:/, 'https:')).port),
    protocol: 'https',
    ca: readFileSync(d.ca),
    cert: readFileSync(d.cert),
    key: readFileSync(d.key),
  });
}

/** The app's containers on a device, by service: id and labels. */
async function containersOf(index: number, app: string) {
  const list = await deviceDocker(index).listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${app}-${LINE_COMPONENT}`] },
  });
  return Object.fromEntries(
    list.map((c) => [c.Labels['com.docker.compose.service'] ?? '', { id: c.Id, labels: c.Labels }]),
  );
}

async function deploymentOf(app: string): Promise<{ id: string; device: string } | undefined> {
  return (await call<{ id: string; appId: string; device: string }[]>('deployments.list')).find(
    (d) => d.appId === app,
  );
}

async function openWizard(app: string) {
  await page.goto(`${state.url.replace(/\/?(\?.*)?$/, '/')}#/deploy?app=${app}`);
  await expect(page.getByTestId(testIds.deploy.screen)).toBeVisible(WAIT);
  await expect(page.getByTestId(testIds.deploy.step('devices'))).toBeVisible(WAIT);
}

async function openDeployments() {
  await page.goto(`${state.url.replace(/\/?(\?.*)?$/, '/')}#/deployments`);
  await expect(page.getByTestId(testIds.deployments.screen)).toBeVisible(WAIT);
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(600_000);
  state = readE2eState();
  const root = join(state.root, 'live-state-ownership');
  homeB = join(root, 'laptop-b');
  mkdirSync(homeB, { recursive: true });
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(state.url);

  const kits: Record<string, string> = {};
  for (const app of APPS) {
    kits[app] = (await makeLineAppKit(join(root, app), { id: app, compose: COMPOSE })).kit;
  }
  // Laptop A (the browser host): the three apps and its two devices.
  const { jobId } = await call<{ jobId: string }>('imports.start', {
    sources: await Promise.all(
      APPS.map(async (app) => ({
        kind: 'picked',
        token: await upload('import-kit', kits[app]!),
      })),
    ),
  });
  expect(await jobState(jobId)).toBe('succeeded');
  await contractCalls(page, state.url).addDevices(state, DEVICES);

  // Laptop B: Ben, the apps he deploys, the same two daemons under his own names.
  await cliB(['installation', '--engineer', 'Ben', '--json']);
  await cliB(['import', kits[TAKE_OVER_APP]!, kits[ADOPT_APP]!]);
  for (const [i, name] of DEVICES_B.entries()) {
    const d = state.devices[i]!;
    await cliB([
      'devices',
      'add',
      'docker',
      name,
      '--host',
      d.url,
      '--tls-ca',
      d.ca,
      '--tls-cert',
      d.cert,
      '--tls-key',
      d.key,
    ]);
  }
});

test.afterAll(async () => {
  test.setTimeout(600_000);
  // Laptop A removes what it deployed, adopted or took over (Ben's included: confirmed).
  const mine = (
    await call<{ id: string; appId: string }[]>('deployments.list', { includeRemoved: false })
  ).filter((d) => APPS.includes(d.appId));
  for (const d of mine) {
    const { jobId } = await call<{ jobId: string }>('deployments.remove', {
      id: d.id,
      volumes: true,
      takeOver: true,
    });
    await jobState(jobId);
  }
  // Whatever Ben's laptop still has on a device when a test stopped half-way.
  for (const [i, app] of [
    [1, TAKE_OVER_APP],
    [0, ADOPT_APP],
  ] as const) {
    if (Object.keys(await containersOf(i, app)).length === 0) continue;
    const listed = await runCli(['deployments', 'list', '--json'], {
      env: { COMMISSIONER_HOME: homeB },
      cwd: state.root,
    });
    const rows = JSON.parse(listed.stdout || '[]') as { id: string; appId: string }[];
    for (const row of rows.filter((r) => r.appId === app)) {
      await runCli(['deployments', 'remove', row.id, '--take-over', '--purge-volumes', '--yes'], {
        env: { COMMISSIONER_HOME: homeB },
        cwd: state.root,
      });
    }
  }
  for (const app of APPS) await call('catalog.remove', { id: app });
  await page.close();
});

test('a container stopped by hand shows as drifted in words after Refresh all, with the time of the check', async () => {
  // Laptop A deploys, as the wizard does it: plan, then start what was reviewed.
  const request = {
    id: DRIFT_APP,
    version: '1.0.0',
    profile: PROFILE,
    devices: ['line-1'],
    values: {},
  };
  const plan = await call<{ devices: { ok: boolean; device: string; digest?: string }[] }>(
    'deploy.plan',
    request,
  );
  const reviewed = Object.fromEntries(plan.devices.map((d) => [d.device, d.digest ?? '']));
  const { jobId } = await call<{ jobId: string }>('deploy.start', { ...request, reviewed });
  expect(await jobState(jobId)).toBe('succeeded');
  const deployment = (await deploymentOf(DRIFT_APP))!;

  await openDeployments();
  const row = page.getByTestId(testIds.deployments.row(deployment.id));
  await expect(row).toHaveAttribute('data-state', 'installed', WAIT);
  // Asked before anything changed: still installed (services with a command and no restart
  // policy once read as "installing", which took the deployment out of the watch), no drift.
  const checked = page.getByTestId(testIds.deployments.rowChecked(deployment.id));
  const firstPress = Date.now();
  await page.getByTestId(testIds.deployments.refreshAll).click();
  await expect
    .poll(async () => Date.parse((await checked.getAttribute('data-checked-at')) ?? ''), WAIT)
    .toBeGreaterThanOrEqual(firstPress);
  await expect(page.getByTestId(testIds.deployments.refreshAll)).toBeEnabled(WAIT);
  await expect(row).toHaveAttribute('data-state', 'installed');
  await expect(page.getByTestId(testIds.deployments.rowDrift(deployment.id))).toHaveCount(0);

  // Someone stops the board on the device, outside Commissioner.
  const board = (await containersOf(0, DRIFT_APP)).board!;
  await deviceDocker(0).getContainer(board.id).stop({ t: 1 });

  const pressed = Date.now();
  await page.getByTestId(testIds.deployments.refreshAll).click();
  await expect(page.getByTestId(testIds.deployments.refreshAllError)).toHaveCount(0);
  const drift = page.getByTestId(testIds.deployments.rowDrift(deployment.id));
  await expect(drift).toContainText('container board was stopped outside Commissioner', WAIT);
  await expect(drift).not.toContainText('beat');
  // The device was asked after the press, and the row says when.
  await expect
    .poll(async () => Date.parse((await checked.getAttribute('data-checked-at')) ?? ''), WAIT)
    .toBeGreaterThanOrEqual(pressed);
  await expect(checked).toHaveText(/^checked (\d+ seconds?|\d+ minutes?) ago$/, WAIT);
  // The Margo state stays what the device shows: the board does not run.
  await expect(row).toHaveAttribute('data-state', 'failed', WAIT);
  // Away from the button: its tooltip would cover the row in the picture.
  await page.mouse.move(0, 0);
  await shoot(page, '40-deployments-drift');

  // The deployment's detail says the same under its component.
  await page.getByTestId(testIds.deployments.open(deployment.id)).click();
  await expect(page.getByTestId(testIds.deployments.detail)).toBeVisible(WAIT);
  await expect(
    page.getByTestId(derived.drift(testIds.deployments.component(LINE_COMPONENT))),
  ).toContainText('container board was stopped outside Commissioner', WAIT);
  await shoot(page, '41-deployment-drift-detail');
});

test('deploying over another laptop’s deployment says who installed it and needs the explicit take-over', async () => {
  // Ben deploys from laptop B first.
  await cliB(['deploy', TAKE_OVER_APP, '--device', DEVICES_B[1]!, '--yes']);
  const before = await containersOf(1, TAKE_OVER_APP);
  const installationB = before.board!.labels[OWNERSHIP_LABELS.installation];
  expect(before.board!.labels[OWNERSHIP_LABELS.engineer]).toBe('Ben');

  await openWizard(TAKE_OVER_APP);
  await page.getByTestId(testIds.deploy.device('line-2')).click();
  await page.getByTestId(testIds.deploy.next).click();
  await expect(page.getByTestId(testIds.deploy.step('profile'))).toBeVisible(WAIT);
  await page.getByTestId(testIds.deploy.next).click();
  await expect(page.getByTestId(testIds.deploy.step('configure'))).toBeVisible(WAIT);
  await page.getByTestId(testIds.deploy.next).click();
  await expect(page.getByTestId(testIds.deploy.step('review'))).toBeVisible(WAIT);

  const warning = page.getByTestId(testIds.deploy.takeOver);
  await expect(warning).toContainText(`installed by Ben on ${hostname()} at `, WAIT);
  await expect(warning).toContainText('revision 1');
  const confirm = page.getByTestId(testIds.deploy.confirmTakeOver);
  await expect(confirm).toHaveAttribute('data-checked', 'false');
  await expect(page.getByTestId(testIds.deploy.plan('line-2'))).toBeVisible(WAIT);
  await expect(page.getByTestId(testIds.deploy.submit)).toBeDisabled();
  await shoot(page, '42-deploy-take-over-review');
  // Nothing happened on the device while reviewing.
  expect(await containersOf(1, TAKE_OVER_APP)).toEqual(before);

  await confirm.click();
  await expect(confirm).toHaveAttribute('data-checked', 'true');
  await expect(page.getByTestId(testIds.deploy.submit)).toBeEnabled();
  await page.getByTestId(testIds.deploy.submit).click();
  await expect(page.getByTestId(testIds.deploy.outcome('line-2'))).toHaveAttribute(
    'data-state',
    'installed',
    { timeout: 150_000 },
  );
  await shoot(page, '43-deploy-taken-over');

  // The device's record now names laptop A, and Ben's laptop sees it so. (Containers whose
  // configuration did not change are kept, with the labels of the revision that made them.)
  const installationA = (
    JSON.parse(
      (
        await runCli(['installation', '--json'], {
          env: { COMMISSIONER_HOME: state.home },
          cwd: state.root,
        })
      ).stdout,
    ) as { installation: string }
  ).installation;
  expect(installationA).not.toBe(installationB);
  const shown = JSON.parse((await cliB(['devices', 'show', DEVICES_B[1]!, '--json'])).stdout) as {
    deployments: { appId: string; revision: number; owner: { installation: string } }[];
  };
  const found = shown.deployments.find((d) => d.appId === TAKE_OVER_APP);
  expect(found?.owner.installation).toBe(installationA);
  // The numbers continue the device's history: Ben's 1, A's 2.
  expect(found?.revision).toBe(2);
});

test('a deployment another laptop made shows in the device’s detail and is adopted without touching its containers', async () => {
  await cliB(['deploy', ADOPT_APP, '--device', DEVICES_B[0]!, '--yes']);
  const before = await containersOf(0, ADOPT_APP);
  expect(Object.keys(before).sort()).toEqual(['beat', 'board']);
  expect(await deploymentOf(ADOPT_APP)).toBeUndefined();

  await page.goto(`${state.url.replace(/\/?(\?.*)?$/, '/')}#/devices`);
  await expect(page.getByTestId(testIds.devices.screen)).toBeVisible(WAIT);
  await page.getByTestId(testIds.devices.open('line-1')).click();
  await expect(page.getByTestId(testIds.devices.detail)).toBeVisible(WAIT);
  const found = page.getByTestId(testIds.devices.deployment(ADOPT_APP));
  await expect(found).toContainText(`deployed by Ben on ${hostname()}`, WAIT);
  await expect(found).toHaveAttribute('data-ours', 'false');
  const adopt = page.getByTestId(testIds.devices.adopt(ADOPT_APP));
  await expect(adopt).toBeVisible();
  await found.scrollIntoViewIfNeeded();
  await shoot(page, '44-device-foreign-deployment');
  await adopt.click();
  await expect(adopt).toHaveCount(0, WAIT);
  await expect(page.getByTestId(testIds.devices.adoptError)).toHaveCount(0);
  await expect(found).not.toContainText('not in this laptop’s records', WAIT);

  await page.getByTestId(testIds.shell.navTo('deployments')).click();
  await expect(page.getByTestId(testIds.deployments.screen)).toBeVisible(WAIT);
  const adopted = (await deploymentOf(ADOPT_APP))!;
  expect(adopted.device).toBe('line-1');
  const row = page.getByTestId(testIds.deployments.row(adopted.id));
  await expect(row).toContainText(ADOPT_APP, WAIT);
  await expect(row).toHaveAttribute('data-state', 'installed', WAIT);
  // Asked again, the device still runs Ben's containers, and nothing counts as drifted.
  const pressed = Date.now();
  await page.getByTestId(testIds.deployments.refreshAll).click();
  const checked = page.getByTestId(testIds.deployments.rowChecked(adopted.id));
  await expect
    .poll(async () => Date.parse((await checked.getAttribute('data-checked-at')) ?? ''), WAIT)
    .toBeGreaterThanOrEqual(pressed);
  await expect(checked).toHaveText(/^checked /);
  await expect(page.getByTestId(testIds.deployments.refreshAll)).toBeEnabled(WAIT);
  await expect(page.getByTestId(testIds.deployments.rowDrift(adopted.id))).toHaveCount(0);
  await expect(row).toHaveAttribute('data-state', 'installed');
  await shoot(page, '45-deployment-adopted');
  expect(await containersOf(0, ADOPT_APP)).toEqual(before);
});

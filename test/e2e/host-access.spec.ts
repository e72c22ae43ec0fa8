import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { testIds } from '../../renderer/src/test-ids';
import { LINE_IMAGE, makeLineAppKit } from '../support/compose-app-fixture';
import { readE2eState, SHOTS, type E2eState } from './e2e-state';

/**
 * An application that gets the device itself (a service without its system-call filter that
 * mounts the device's whole file system; `privileged` is reviewed alike, but this sandbox's
 * daemons cannot grant every capability), with the mouse against a real device: the catalog says what it needs,
 * the review lists it above everything and deploys only once the checkbox naming it is
 * checked, and a device set to deny host access finds the app incompatible. It leaves the
 * catalog, the devices and the deployments as it found them.
 */
test.describe.configure({ mode: 'serial' });

const APP = 'com-example-host-agent';
const PROFILE = 'line-app-compose';
const DEVICE = 'line-1';
const COMPOSE = `services:
  agent:
    image: ${LINE_IMAGE}
    command: [sh, -c, "exec sleep 100000"]
    security_opt: [seccomp=unconfined]
    volumes:
      - /:/host:ro
    stop_grace_period: 1s
`;

let state: E2eState;
let page: Page;

async function shot(name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function call<T>(op: string, request: unknown = {}): Promise<T> {
  const origin = new URL(state.url).origin;
  const res = await page.request.post(`${origin}/api/call`, {
    data: { op, request },
    headers: { origin },
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${op}: ${body.error?.message}`);
  return body.result as T;
}

async function upload(purpose: string, path: string): Promise<string> {
  const origin = new URL(state.url).origin;
  const res = await page.request.put(
    `${origin}/api/upload?purpose=${purpose}&name=${encodeURIComponent(basename(path))}`,
    { data: readFileSync(path), headers: { origin } },
  );
  return ((await res.json()) as { token: string }).token;
}

async function jobEnded(jobId: string): Promise<void> {
  await expect
    .poll(
      async () =>
        (await call<{ id: string; state: string }[]>('jobs.list')).find((j) => j.id === jobId)
          ?.state,
      { timeout: 120_000 },
    )
    .not.toBe('running');
}

test.beforeAll(async ({ browser }) => {
  state = readE2eState();
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(state.url);
  const kit = await makeLineAppKit(join(state.root, 'host-agent'), {
    id: APP,
    compose: COMPOSE,
  });
  const { jobId } = await call<{ jobId: string }>('imports.start', {
    sources: [{ kind: 'picked', token: await upload('import-kit', kit.kit) }],
  });
  await jobEnded(jobId);
  const have = (await call<{ name: string }[]>('devices.list')).map((d) => d.name);
  if (!have.includes(DEVICE)) {
    const d = state.devices[0]!;
    await call('devices.add', {
      name: DEVICE,
      host: d.url,
      tls: {
        ca: await upload('tls-ca', d.ca),
        cert: await upload('tls-cert', d.cert),
        key: await upload('tls-key', d.key),
      },
    });
  }
});

test.afterAll(async () => {
  await call('devices.update', { name: DEVICE, hostAccess: 'allow' });
  const mine = (await call<{ id: string; appId: string }[]>('deployments.list')).filter(
    (d) => d.appId === APP,
  );
  for (const d of mine) {
    const { jobId } = await call<{ jobId: string }>('deployments.remove', {
      id: d.id,
      volumes: true,
    });
    await jobEnded(jobId);
  }
  await call('catalog.remove', { id: APP });
  await page.close();
});

test('the catalog detail says what the app needs of a device', async () => {
  await page.goto(`${state.url.replace(/\/?(\?.*)?$/, '/')}#/catalog`);
  await page.getByTestId(testIds.catalog.item(APP)).click();
  const needs = page.getByTestId(testIds.app.hostAccessProfile(PROFILE));
  await expect(needs).toContainText('service agent turns off its system-call filter');
  await expect(needs).toContainText("mounts the device's whole file system (/)");
  await shot('30-app-host-access');
});

test('the review lists the host access first, and deploys only once it is allowed', async () => {
  await page.getByTestId(testIds.app.deploy).click();
  await expect(page.getByTestId(testIds.deploy.step('devices'))).toBeVisible();
  await page.getByTestId(testIds.deploy.device(DEVICE)).click();
  await page.getByTestId(testIds.deploy.next).click();
  await expect(page.getByTestId(testIds.deploy.step('profile'))).toBeVisible();
  await page.getByTestId(testIds.deploy.next).click();
  await expect(page.getByTestId(testIds.deploy.step('configure'))).toBeVisible();
  await page.getByTestId(testIds.deploy.next).click();
  const review = page.getByTestId(testIds.deploy.step('review'));
  const allow = page.getByTestId(testIds.deploy.allowHostAccess);
  await expect(allow).toBeVisible({ timeout: 60_000 });
  await expect(allow).toContainText('service agent turns off its system-call filter');
  await expect(allow).toHaveAttribute('data-checked', 'false');
  await expect(page.getByTestId(testIds.deploy.planHostAccess(DEVICE))).toContainText('2 critical');
  // Above everything else: the allowance comes before the device's plan.
  const [allowBox, planBox] = await Promise.all([
    allow.boundingBox(),
    page.getByTestId(testIds.deploy.plan(DEVICE)).boundingBox(),
  ]);
  expect(allowBox!.y).toBeLessThan(planBox!.y);
  await expect(review).toContainText('Allow this access');
  const submit = page.getByTestId(testIds.deploy.submit);
  await expect(submit).toBeDisabled();
  await shot('31-review-host-access');
  await allow.click();
  await expect(allow).toHaveAttribute('data-checked', 'true');
  await expect(submit).toBeEnabled();
  await allow.click();
  await expect(submit).toBeDisabled();
  await allow.click();
  await submit.click();
  await expect(page.getByTestId(testIds.deploy.outcome(DEVICE))).toHaveAttribute(
    'data-state',
    'installed',
    { timeout: 120_000 },
  );
});

test('a device set to deny host access makes the app incompatible, with the reason', async () => {
  await page.getByTestId(testIds.shell.navTo('devices')).click();
  await page.getByTestId(testIds.devices.open(DEVICE)).click();
  const setting = page.getByTestId(testIds.devices.hostAccess);
  await expect(setting).toHaveAttribute('data-value', 'allow');
  await setting.getByLabel(/^Deny/).check();
  await expect(setting).toHaveAttribute('data-value', 'deny');
  await shot('32-device-host-access');
  await page.goto(`${state.url.replace(/\/?(\?.*)?$/, '/')}#/deploy?app=${APP}`);
  await expect(page.getByTestId(testIds.deploy.device(DEVICE))).toHaveAttribute(
    'data-verdict',
    'incompatible',
  );
  await expect(page.getByTestId(testIds.deploy.deviceDisabled(DEVICE))).toContainText(
    'the device denies host access',
  );
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { derived, testIds } from '../../renderer/src/test-ids';
import { selfSignedCertificate } from '../support/trust-certificates';
import { readE2eState, shoot, type E2eState } from './e2e-state';

/**
 * Settings → Trust with the mouse, against the real core and store: a CA certificate (made
 * here, so the spec needs nothing outside the repo) is added through the browser's file
 * chooser, `*` is set to strict, a narrower policy trusts the certificate, and removing the
 * certificate names that policy first. It leaves the trust store and policies as it found
 * them (a strict policy left behind would refuse the other specs' unsigned kits).
 */
test.describe.configure({ mode: 'serial' });

const ENTRY = 'e2e-plant-ca';
const NARROW = 'com.acme.*';

let state: E2eState;
let page: Page;
let certPath: string;

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

test.beforeAll(async ({ browser }) => {
  state = readE2eState();
  page = await browser.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  const dir = join(state.root, 'trust-settings');
  mkdirSync(dir, { recursive: true });
  certPath = join(dir, 'plant-ca.pem');
  const ca = selfSignedCertificate({ commonName: 'Plant Signing CA', organization: 'E2E Plant' });
  writeFileSync(certPath, ca.certPem);
  await page.goto(state.url);
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
});

test.afterAll(async () => {
  // Whatever a failure left behind goes, so the other specs' imports are not held to it.
  for (const scope of ['*', NARROW]) {
    await call('trust.removePolicy', { scope }).catch(() => undefined);
  }
  await call('trust.remove', { name: ENTRY, dropFromPolicies: true }).catch(() => undefined);
  await page.close();
});

test('adds a CA certificate through the file chooser; it is listed with its subject', async () => {
  await page.getByTestId(testIds.shell.navTo('settings')).click();
  const section = page.getByTestId(testIds.trust.section);
  await expect(section).toBeVisible();
  await expect(page.getByTestId(testIds.trust.entry(ENTRY))).toHaveCount(0);

  await page.getByTestId(testIds.trust.add).click();
  const dialog = page.getByTestId(testIds.trust.addDialog);
  await expect(dialog).toBeVisible();
  await page.getByTestId(testIds.trust.addName).fill(ENTRY);
  await page.getByTestId(testIds.trust.addTypeOption('ca')).check();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId(testIds.trust.addFile).click();
  await (await chooser).setFiles(certPath);
  await expect(page.getByTestId(derived.fileName(testIds.trust.addFile))).toHaveText(
    'plant-ca.pem',
  );
  await expect(page.getByTestId(testIds.trust.addFile)).toBeEnabled();
  await shoot(page, 'trust-01-add');
  await page.getByTestId(testIds.trust.addSubmit).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId(testIds.trust.entry(ENTRY));
  await expect(row).toContainText('Certificate authority');
  await expect(row).toContainText('O=E2E Plant, CN=Plant Signing CA');
  const listed = await call<{ name: string; type: string }[]>('trust.list');
  expect(listed.find((e) => e.name === ENTRY)?.type).toBe('ca');
});

test('sets * to strict, and a narrower policy that trusts the certificate', async () => {
  await page.getByTestId(testIds.trust.setPolicy).click();
  await page.getByTestId(testIds.trust.policyScope).fill('*');
  await expect(page.getByTestId(testIds.trust.policyDialog)).toContainText('Covers everything');
  await page.getByTestId(testIds.trust.policyLevelOption('strict')).check();
  await page.getByTestId(testIds.trust.policySubmit).click();
  await expect(page.getByTestId(testIds.trust.policyDialog)).toBeHidden();
  await expect(page.getByTestId(testIds.trust.policyLevel('*'))).toHaveText(
    'Refuse unsigned or invalid',
  );

  await page.getByTestId(testIds.trust.setPolicy).click();
  await page.getByTestId(testIds.trust.policyScope).fill(NARROW);
  await page.getByTestId(testIds.trust.policyLevelOption('audit')).check();
  await page.getByTestId(testIds.trust.policyTrustAll).uncheck();
  await page.getByTestId(testIds.trust.policyTrustEntry(ENTRY)).check();
  await page.getByTestId(testIds.trust.policySubmit).click();
  await expect(page.getByTestId(testIds.trust.policyDialog)).toBeHidden();
  const narrow = page.getByTestId(testIds.trust.policy(NARROW));
  await expect(narrow).toContainText('Warn and record');
  await expect(narrow).toContainText(ENTRY);
  await shoot(page, 'trust-02-policies');

  const policies =
    await call<{ scope: string; level: string; trust: string[] | null }[]>('trust.policies');
  expect(policies.map((p) => [p.scope, p.level, p.trust])).toEqual([
    [NARROW, 'audit', [ENTRY]],
    ['*', 'strict', null],
  ]);
});

test('removing the certificate names the policy that trusts it, then drops it from there', async () => {
  await page.getByTestId(testIds.trust.entryRemove(ENTRY)).click();
  const dialog = page.getByTestId(testIds.trust.removeDialog);
  await expect(dialog.getByTestId(testIds.trust.removeUsedBy)).toContainText(
    `The policies for ${NARROW} trust ${ENTRY}`,
  );
  await shoot(page, 'trust-03-remove');
  await dialog.getByTestId(derived.confirm(testIds.trust.removeDialog)).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId(testIds.trust.entry(ENTRY))).toHaveCount(0);
  await expect(page.getByTestId(testIds.trust.policy(NARROW))).toContainText(
    'No entry (nothing can verify)',
  );
});

test('removes both policies: nothing is required any more', async () => {
  for (const scope of [NARROW, '*']) {
    await page.getByTestId(testIds.trust.policyRemove(scope)).click();
    const dialog = page.getByTestId(testIds.trust.policyRemoveDialog);
    await dialog.getByTestId(derived.confirm(testIds.trust.policyRemoveDialog)).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId(testIds.trust.policy(scope))).toHaveCount(0);
  }
  await expect(page.getByTestId(testIds.trust.policiesEmpty)).toBeVisible();
  expect(await call<unknown[]>('trust.policies')).toEqual([]);
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { AuditEntry } from '../../shared/audit/audit-entry';
import { testIds } from '../../renderer/src/test-ids';
import { readPdf } from '../support/pdf-text';
import { runCli } from '../support/run-cli';
import { startServe, type ServeProcess } from '../support/serve-process';
import { readE2eState, shoot } from './e2e-state';

/**
 * A shared station with named accounts (issue 18), in a real Chromium: the host's login page,
 * an admin adding an account in Settings → Accounts, what a viewer is offered (reading, the
 * commissioning report) and not (deploying, devices, settings), Log out, and the audit trail
 * naming who logged in and who was refused. Its own browser host on its own data home:
 * accounts on the shared e2e host would put every other spec behind a login.
 */
test.describe.configure({ mode: 'serial' });

const root = mkdtempSync(join(tmpdir(), 'commissioner-e2e-accounts-'));
const env = { COMMISSIONER_HOME: join(root, 'home') };
const DEVICE = 'press-1';
let serve: ServeProcess;
let origin: string;
let page: Page;

test.beforeAll(async ({ browser }) => {
  for (const [name, role] of [
    ['ana', 'admin'],
    ['vera', 'viewer'],
  ] as const) {
    const added = await runCli(['users', 'add', name, '--role', role, '--password-stdin'], {
      env,
      input: `${name} password long\n`,
    });
    expect(added.code, added.stderr).toBe(0);
  }
  // A real device of the fleet, so the report has one to name.
  const d = readE2eState().devices[0];
  if (!d) throw new Error('the e2e fleet has no device');
  const device = await runCli(
    ['devices', 'add', 'docker', DEVICE, '--host', d.url, '--tls-ca', d.ca].concat([
      '--tls-cert',
      d.cert,
      '--tls-key',
      d.key,
    ]),
    { env },
  );
  expect(device.code, device.stderr).toBe(0);
  serve = await startServe(env.COMMISSIONER_HOME);
  origin = new URL(serve.url).origin;
  page = await browser.newPage({ acceptDownloads: true });
  page.on('pageerror', (e) => {
    throw e;
  });
});

test.afterAll(async () => {
  await page.close();
  await serve.stop();
  rmSync(root, { recursive: true, force: true });
});

async function logIn(name: string, password: string) {
  await page.goto(`${origin}/`);
  await expect(page).toHaveURL(`${origin}/login`);
  await page.getByTestId(testIds.login.name).fill(name);
  await page.getByTestId(testIds.login.password).fill(password);
  await page.getByTestId(testIds.login.submit).click();
}

async function loggedInAs(name: string, role: string) {
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
  await expect(page.getByTestId(testIds.shell.sessionAccount)).toContainText(name);
  await expect(page.getByTestId(testIds.shell.sessionAccount)).toHaveAttribute('data-role', role);
}

async function logOut() {
  await page.getByTestId(testIds.shell.sessionLogout).click();
  await expect(page).toHaveURL(`${origin}/login?notice=logged-out`);
}

test('the login page: a wrong password is refused in plain words', async () => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await logIn('vera', 'not her password');
  await expect(page).toHaveURL(`${origin}/login?notice=failed`);
  await expect(page.getByTestId(testIds.login.notice)).toContainText(
    'That name and password do not match an account',
  );
  expect(violations).toEqual([]);
});

test('an admin adds an operator account in Settings → Accounts', async () => {
  await logIn('ana', 'ana password long');
  await loggedInAs('ana', 'admin');
  await page.getByTestId(testIds.shell.navTo('settings')).click();
  const section = page.getByTestId(testIds.accounts.section);
  await expect(section.getByTestId(testIds.accounts.row('vera'))).toHaveAttribute(
    'data-role',
    'viewer',
  );
  // Her own account: a new password, but no removing it.
  await expect(page.getByTestId(testIds.accounts.changePassword('ana'))).toBeVisible();
  await expect(page.getByTestId(testIds.accounts.remove('ana'))).toHaveCount(0);

  await page.getByTestId(testIds.accounts.add).click();
  await page.getByTestId(testIds.accounts.name).fill('otto');
  await page.getByTestId(testIds.accounts.roleOption('operator')).check();
  await page.getByTestId(testIds.accounts.password).fill('otto password long');
  await page.getByTestId(testIds.accounts.passwordAgain).fill('otto password long');
  await page.getByTestId(testIds.accounts.submit).click();
  await expect(page.getByTestId(testIds.accounts.notice)).toHaveText('otto was added as operator.');
  await expect(page.getByTestId(testIds.accounts.row('otto'))).toHaveAttribute(
    'data-role',
    'operator',
  );
  await page.getByTestId(testIds.accounts.section).scrollIntoViewIfNeeded();
  await shoot(page, '50-settings-accounts');
  await logOut();
});

test('a viewer reads and reports, and is offered no Deploy, no Imports and no changes', async () => {
  await logIn('vera', 'vera password long');
  await loggedInAs('vera', 'viewer');
  await expect(page.getByTestId(testIds.shell.navTo('import'))).toHaveCount(0);
  // The page cannot read the session cookie.
  expect(await page.evaluate(() => document.cookie)).toBe('');
  // Even asked directly, the core refuses.
  const answer = await page.evaluate(async () => {
    const res = await fetch('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ op: 'imports.start', request: { sources: [{ kind: 'demo' }] } }),
    });
    return (await res.json()) as { ok: boolean; error?: { name: string } };
  });
  expect(answer).toMatchObject({ ok: false, error: { name: 'forbidden' } });

  await page.getByTestId(testIds.shell.navTo('devices')).click();
  await expect(page.getByTestId(testIds.devices.row(DEVICE))).toBeVisible();
  await expect(page.getByTestId(testIds.devices.probe(DEVICE))).toBeVisible();
  await expect(page.getByTestId(testIds.devices.add)).toHaveCount(0);
  await expect(page.getByTestId(testIds.devices.edit(DEVICE))).toHaveCount(0);
  await expect(page.getByTestId(testIds.devices.remove(DEVICE))).toHaveCount(0);

  // The commissioning report: a PDF the browser downloads, naming the device.
  await page.getByTestId(testIds.devices.reportAll).click();
  const downloading = page.waitForEvent('download');
  await page.getByTestId(testIds.devices.reportFormat('pdf')).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const bytes = readFileSync(await download.path());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(readPdf(bytes).text).toContain(DEVICE);
  await expect(page.getByTestId(testIds.devices.reportMade)).toHaveAttribute(
    'data-digest',
    /^sha256:[0-9a-f]{64}$/,
  );

  await page.getByTestId(testIds.shell.navTo('settings')).click();
  await expect(page.getByTestId(testIds.trust.section)).toContainText(
    'Only an admin changes what is trusted.',
  );
  await shoot(page, '52-settings-viewer');
  for (const id of [
    testIds.trust.add,
    testIds.trust.setPolicy,
    testIds.margo.start,
    testIds.margo.add,
    testIds.settings.engineerSave,
    testIds.settings.watchIntervalSave,
    testIds.accounts.section,
  ]) {
    await expect(page.getByTestId(id), id).toHaveCount(0);
  }

  // The wizard's address typed by hand: one sentence instead of the wizard.
  await page.goto(`${origin}/#/deploy?app=com-example-line&version=1.0.0`);
  await expect(page.getByTestId(testIds.deploy.roleRefused)).toHaveText(
    'Your role (viewer) cannot deploy: ask an operator or an admin.',
  );
  await expect(page.getByTestId(testIds.deploy.next)).toHaveCount(0);
  await shoot(page, '51-deploy-role-refused');
  await page.goto(`${origin}/#/import`);
  await expect(page.getByTestId(testIds.imports.roleRefused)).toHaveText(
    'Your role (viewer) cannot import packages: ask an operator or an admin.',
  );
  await expect(page.getByTestId(testIds.imports.kit)).toHaveCount(0);
});

test('Log out ends the session: the login page, and the app is closed to this browser', async () => {
  await logOut();
  await page.goto(`${origin}/`);
  await expect(page).toHaveURL(`${origin}/login`);
});

test('the account the admin added logs in as an operator: Imports, but no devices to manage', async () => {
  await logIn('otto', 'otto password long');
  await loggedInAs('otto', 'operator');
  await expect(page.getByTestId(testIds.shell.navTo('import'))).toBeVisible();
  await page.getByTestId(testIds.shell.navTo('devices')).click();
  await expect(page.getByTestId(testIds.devices.row(DEVICE))).toBeVisible();
  await expect(page.getByTestId(testIds.devices.add)).toHaveCount(0);
  await page.getByTestId(testIds.shell.navTo('settings')).click();
  await expect(page.getByTestId(testIds.settings.screen)).toBeVisible();
  await expect(page.getByTestId(testIds.accounts.section)).toHaveCount(0);
});

test('the audit trail names who logged in, who was refused, and who added the account', async () => {
  const listed = await runCli(['audit', 'list', '--json'], { env });
  expect(listed.code, listed.stderr).toBe(0);
  const entries = JSON.parse(listed.stdout) as AuditEntry[];
  const by = (user: string, operation: string) =>
    entries.filter((e) => e.actor.user === user && e.operation === operation);
  expect(by('vera', 'login').map((e) => e.outcome.result)).toEqual(['refused', 'ok']);
  expect(by('vera', 'login')[1]).toMatchObject({ target: 'vera', actor: { via: 'browser' } });
  // Her direct call to import, refused by the core before anything ran.
  expect(by('vera', 'import')).toEqual([
    expect.objectContaining({
      outcome: expect.objectContaining({ result: 'refused', error: 'forbidden' }),
    }),
  ]);
  // What a viewer may do is recorded as hers too: the report handed over.
  expect(by('vera', 'report').map((e) => e.outcome.result)).toEqual(['ok']);
  expect(by('ana', 'users.add')).toEqual([
    expect.objectContaining({ target: 'otto', outcome: { result: 'ok' } }),
  ]);
  expect(by('otto', 'login').map((e) => e.outcome.result)).toEqual(['ok']);
  // A password is never in the trail, only that one was set.
  expect(listed.stdout).not.toContain('password long');
});

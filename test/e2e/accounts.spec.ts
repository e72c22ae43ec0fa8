import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { testIds } from '../../renderer/src/test-ids';
import { runCli } from '../support/run-cli';
import { startServe, type ServeProcess } from '../support/serve-process';

/**
 * A shared station with named accounts (issue 18), in a real Chromium: the host's login page,
 * what a viewer is offered, Log out. Its own browser host on its own data home: accounts on
 * the shared e2e host would put every other spec behind a login.
 */
test.describe.configure({ mode: 'serial' });

const root = mkdtempSync(join(tmpdir(), 'commissioner-e2e-accounts-'));
const env = { COMMISSIONER_HOME: join(root, 'home') };
let serve: ServeProcess;
let origin: string;
let page: Page;

test.beforeAll(async ({ browser }) => {
  for (const [name, role] of [
    ['vera', 'viewer'],
    ['otto', 'operator'],
  ] as const) {
    const added = await runCli(['users', 'add', name, '--role', role, '--password-stdin'], {
      env,
      input: `${name} password long\n`,
    });
    expect(added.code, added.stderr).toBe(0);
  }
  serve = await startServe(env.COMMISSIONER_HOME);
  origin = new URL(serve.url).origin;
  page = await browser.newPage();
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

test('a viewer sees who is logged in and is offered no Deploy and no Imports', async () => {
  await logIn('vera', 'vera password long');
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
  await expect(page.getByTestId(testIds.shell.sessionAccount)).toContainText('vera');
  await expect(page.getByTestId(testIds.shell.sessionAccount)).toHaveAttribute(
    'data-role',
    'viewer',
  );
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
});

test('Log out ends the session: the login page, and the app is closed to this browser', async () => {
  await page.getByTestId(testIds.shell.sessionLogout).click();
  await expect(page).toHaveURL(`${origin}/login?notice=logged-out`);
  await page.goto(`${origin}/`);
  await expect(page).toHaveURL(`${origin}/login`);
});

test('an operator is offered Imports', async () => {
  await logIn('otto', 'otto password long');
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
  await expect(page.getByTestId(testIds.shell.navTo('import'))).toBeVisible();
  await expect(page.getByTestId(testIds.shell.sessionAccount)).toHaveAttribute(
    'data-role',
    'operator',
  );
});

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { derived, testIds } from '../../renderer/src/test-ids';
import { readE2eState, shoot, type E2eState } from './e2e-state';

/**
 * Settings → Backup with the mouse, against the real core and store of the browser host: a
 * backup made with a passphrase typed twice is downloaded by Chromium; uploaded again with a
 * wrong passphrase it is refused with nothing changed; with the right one it replaces the data
 * home the host runs on (with what it held a moment ago, so the specs after this one find the
 * same station), and the restore is on the trail.
 */
test.describe.configure({ mode: 'serial' });

const PASSPHRASE = 'e2e station, line seven';

let state: E2eState;
let page: Page;
let saved = '';

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
  await page.goto(state.url);
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
});

test.afterAll(async () => {
  await page.close();
});

test('makes a backup and the browser downloads it; the last backup time shows', async () => {
  await page.getByTestId(testIds.shell.navTo('settings')).click();
  const section = page.getByTestId(testIds.backup.section);
  await expect(section).toBeVisible();
  const create = page.getByTestId(testIds.backup.create);
  await page.getByTestId(testIds.backup.passphrase).fill(PASSPHRASE);
  await page.getByTestId(testIds.backup.passphraseAgain).fill(`${PASSPHRASE}!`);
  await expect(create).toBeDisabled();
  await page.getByTestId(testIds.backup.passphraseAgain).fill(PASSPHRASE);
  await expect(create).toBeEnabled();
  const download = page.waitForEvent('download');
  await create.click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^commissioner-backup-.+\.cbackup$/);
  const dir = join(state.root, 'backup-settings');
  mkdirSync(dir, { recursive: true });
  saved = join(dir, file.suggestedFilename());
  await file.saveAs(saved);
  expect(readFileSync(saved).subarray(0, 26).toString()).toBe('MARGO-COMMISSIONER-BACKUP\n');
  await expect(page.getByTestId(testIds.backup.made)).toContainText('Backup downloaded as');
  await expect(page.getByTestId(testIds.backup.last)).not.toHaveAttribute('data-last', '');
  await expect(page.getByTestId(testIds.backup.reminder)).toHaveCount(0);
  await shoot(page, 'backup-01-made');
});

test('a wrong passphrase is refused in the dialog; the right one restores the station', async () => {
  const before = await call<{ lastBackupAt: string }>('backups.status');
  await page.getByTestId(testIds.backup.restore).click();
  const dialog = page.getByTestId(testIds.backup.restoreDialog);
  await expect(dialog).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId(testIds.backup.restoreFile).click();
  await (await chooser).setFiles(saved);
  await expect(page.getByTestId(derived.fileName(testIds.backup.restoreFile))).toHaveText(
    saved.split('/').pop() as string,
  );
  await page.getByTestId(testIds.backup.restorePassphrase).fill('not the passphrase');
  await page.getByTestId(testIds.backup.restoreConfirm).click();
  await expect(page.getByTestId(testIds.backup.restoreError)).toContainText(
    'the passphrase does not open',
  );
  await shoot(page, 'backup-02-refused');
  await page.getByTestId(testIds.backup.restorePassphrase).fill(PASSPHRASE);
  await page.getByTestId(testIds.backup.restoreConfirm).click();
  await expect(dialog).toBeHidden({ timeout: 60_000 });
  await expect(page.getByTestId(testIds.backup.restored)).toContainText(
    'Its audit trail is intact',
  );
  await shoot(page, 'backup-03-restored');
  // The station goes on with the restored home: the status is the backup's own time.
  const after = await call<{ lastBackupAt: string }>('backups.status');
  expect(after.lastBackupAt).toBe(before.lastBackupAt);
  await page.getByTestId(testIds.shell.navTo('catalog')).click();
  await expect(page.locator('#root')).toHaveAttribute('data-app-state', 'loaded');
});

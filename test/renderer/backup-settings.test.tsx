import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BackupSettings } from '../../renderer/src/screens/settings/BackupSettings';
import { AppProvider } from '../../renderer/src/state/app-state';
import { derived, testIds } from '../../renderer/src/test-ids';
import { memoryCore } from './support/render-with-app';

const NEVER = { lastBackupAt: null, reminderDays: 7, daysSince: null, due: true };
const SUMMARY = {
  devices: 3,
  deployments: 2,
  margoClients: 1,
  applications: 4,
  users: 0,
  trustEntries: 1,
  auditEntries: 40,
  auditHead: 'ab'.repeat(32),
  trustDomain: 'plant-1a2b3c4d.commissioner',
};

function setup(host: 'browser' | 'electron' = 'browser') {
  const core = memoryCore();
  core.host = host;
  render(
    <AppProvider transport={core}>
      <BackupSettings />
    </AppProvider>,
  );
  return core;
}

const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('Settings → Backup', { timeout: 20_000 }, () => {
  it('reminds before the first backup; makes one with a passphrase typed twice and downloads it', async () => {
    const core = setup();
    await waitFor(() => expect(core.callsOf('backups.status')).toHaveLength(1));
    act(() => core.callsOf('backups.status')[0]?.answer(NEVER));
    expect((await screen.findByTestId(testIds.backup.reminder)).textContent).toContain(
      'No backup yet',
    );
    const create = screen.getByTestId(testIds.backup.create);
    type(testIds.backup.passphrase, 'short');
    expect(create.hasAttribute('disabled')).toBe(true);
    type(testIds.backup.passphrase, 'a long enough passphrase');
    type(testIds.backup.passphraseAgain, 'a long enough passphrasf');
    expect(create.hasAttribute('disabled')).toBe(true);
    type(testIds.backup.passphraseAgain, 'a long enough passphrase');
    expect(create.hasAttribute('disabled')).toBe(false);
    fireEvent.click(create);
    await waitFor(() => expect(core.callsOf('backups.create')).toHaveLength(1));
    expect(core.callsOf('backups.create')[0]?.request).toEqual({
      passphrase: 'a long enough passphrase',
      withStore: false,
      to: { kind: 'download' },
    });
    const ticket = { token: 't1', name: 'commissioner-backup-2026-12-06-1400.cbackup', size: 2048 };
    act(() =>
      core.callsOf('backups.create')[0]?.answer({
        backupId: '7a3f1c2e-0000-4000-8000-000000000001',
        createdAt: '2026-12-06T14:00:00.000Z',
        bytes: 2048,
        withStore: false,
        files: 5,
        leftOut: ['com-example-line-app@1.0.0'],
        file: null,
        download: ticket,
      }),
    );
    const made = await screen.findByTestId(testIds.backup.made);
    expect(made.textContent).toContain('downloaded as commissioner-backup-2026-12-06-1400.cbackup');
    expect(made.textContent).toContain('com-example-line-app@1.0.0');
    expect(core.downloads).toEqual([ticket]);
    // The passphrase is not kept in the form once used.
    expect((screen.getByTestId(testIds.backup.passphrase) as HTMLInputElement).value).toBe('');
    // The status is asked again: the reminder goes once the backup is recorded.
    await waitFor(() => expect(core.callsOf('backups.status')).toHaveLength(2));
    act(() =>
      core.callsOf('backups.status')[1]?.answer({
        lastBackupAt: '2026-12-06T14:00:00.000Z',
        reminderDays: 7,
        daysSince: 0,
        due: false,
      }),
    );
    await waitFor(() => expect(screen.queryByTestId(testIds.backup.reminder)).toBeNull());
    expect(screen.getByTestId(testIds.backup.last).getAttribute('data-last')).toBe(
      '2026-12-06T14:00:00.000Z',
    );
  });

  it('restores an uploaded backup: a refusal is shown in the dialog, then the restore is said', async () => {
    const core = setup();
    core.pickFile = () => Promise.resolve({ token: 'u1', name: 'laptop-a.cbackup', kind: 'file' });
    await waitFor(() => expect(core.callsOf('backups.status')).toHaveLength(1));
    act(() => core.callsOf('backups.status')[0]?.answer(NEVER));
    fireEvent.click(screen.getByTestId(testIds.backup.restore));
    await screen.findByTestId(testIds.backup.restoreDialog);
    const confirm = screen.getByTestId(testIds.backup.restoreConfirm);
    expect(confirm.hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByTestId(testIds.backup.restoreFile));
    expect(
      (await screen.findByTestId(derived.fileName(testIds.backup.restoreFile))).textContent,
    ).toBe('laptop-a.cbackup');
    type(testIds.backup.restorePassphrase, 'the wrong one');
    fireEvent.click(confirm);
    await waitFor(() => expect(core.callsOf('backups.restore')).toHaveLength(1));
    expect(core.callsOf('backups.restore')[0]?.request).toEqual({
      file: 'u1',
      passphrase: 'the wrong one',
    });
    act(() =>
      core.callsOf('backups.restore')[0]?.fail({
        name: 'refused',
        message:
          'the passphrase does not open laptop-a.cbackup: nothing was restored; give the passphrase it was made with, exactly as typed then',
        details: { reasons: ['wrong passphrase'] },
      }),
    );
    expect((await screen.findByTestId(testIds.backup.restoreError)).textContent).toContain(
      'the passphrase does not open laptop-a.cbackup',
    );
    type(testIds.backup.restorePassphrase, 'the right one');
    fireEvent.click(confirm);
    await waitFor(() => expect(core.callsOf('backups.restore')).toHaveLength(2));
    act(() =>
      core.callsOf('backups.restore')[1]?.answer({
        backupId: '7a3f1c2e-0000-4000-8000-000000000001',
        createdAt: '2026-12-06T14:00:00.000Z',
        createdBy: 'margo-commissioner 0.1.0',
        from: 'laptop-a',
        withStore: true,
        summary: SUMMARY,
        leftOut: [],
        auditIntact: true,
      }),
    );
    const restored = await screen.findByTestId(testIds.backup.restored);
    expect(restored.textContent).toContain('on laptop-a: 3 devices, 2 deployments');
    expect(restored.textContent).toContain('Its audit trail is intact');
    expect(screen.queryByTestId(testIds.backup.restoreDialog)).toBeNull();
  });

  it('in the desktop app: the save dialog chooses the file; cancelling it makes nothing', async () => {
    const core = setup('electron');
    await waitFor(() => expect(core.callsOf('backups.status')).toHaveLength(1));
    act(() => core.callsOf('backups.status')[0]?.answer(NEVER));
    type(testIds.backup.passphrase, 'a long enough passphrase');
    type(testIds.backup.passphraseAgain, 'a long enough passphrase');
    const create = screen.getByTestId(testIds.backup.create);
    expect(create.textContent).toBe('Back up to a file…');
    fireEvent.click(create);
    await waitFor(() => expect(create.hasAttribute('disabled')).toBe(false));
    expect(core.callsOf('backups.create')).toEqual([]);
  });
});

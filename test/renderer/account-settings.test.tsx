import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../shared/contract/accounts';
import type { Role } from '../../shared/contract/roles';
import { AccountSettings } from '../../renderer/src/screens/settings/AccountSettings';
import { AppProvider, useApp } from '../../renderer/src/state/app-state';
import { derived, testIds } from '../../renderer/src/test-ids';
import { APP_INFO } from './support/app-info';
import { MemoryTransport } from './support/memory-transport';

const ana: AccountView = {
  name: 'ana',
  role: 'admin',
  createdAt: '2026-12-01T08:00:00.000Z',
  passwordChangedAt: '2026-12-01T08:00:00.000Z',
};
const vera: AccountView = {
  name: 'vera',
  role: 'viewer',
  createdAt: '2026-12-02T08:00:00.000Z',
  passwordChangedAt: '2026-12-03T09:30:00.000Z',
};

/** `users.list` and the writes wait for the test's answer; the session is `account` as `role`. */
function setup(account: string | null, role: Role | null) {
  const core = new MemoryTransport({
    'app.info': () => APP_INFO,
    'jobs.list': () => [],
    'session.current': () => ({ account, role }),
  });
  render(
    <AppProvider transport={core}>
      <SessionKnown />
      <AccountSettings />
    </AppProvider>,
  );
  return core;
}

function SessionKnown() {
  const { session } = useApp();
  return session ? <span data-testid="session-known" /> : null;
}

async function listed(core: MemoryTransport, accounts: AccountView[], n = 1) {
  await waitFor(() => expect(core.callsOf('users.list')).toHaveLength(n));
  act(() => core.callsOf('users.list')[n - 1]?.answer(accounts));
}

function type(testId: string, text: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value: text } });
}

// MUI dialogs take over a second on their first render beside other test files on two cores.
describe('Settings → Accounts', { timeout: 20_000 }, () => {
  it('lists the accounts for an admin: name, role, added, password changed; no removing oneself', async () => {
    const core = setup('ana', 'admin');
    await listed(core, [ana, vera]);
    const row = await screen.findByTestId(testIds.accounts.row('vera'));
    expect(row.getAttribute('data-role')).toBe('viewer');
    expect(row.textContent).toContain('Viewer');
    expect(row.textContent).toContain(new Date(vera.createdAt).toLocaleString());
    expect(row.textContent).toContain(new Date(vera.passwordChangedAt).toLocaleString());
    expect(screen.getByTestId(testIds.accounts.row('ana')).textContent).toContain('ana (you)');
    expect(screen.getByTestId(testIds.accounts.remove('vera'))).toBeTruthy();
    expect(screen.queryByTestId(testIds.accounts.remove('ana'))).toBeNull();
    expect(screen.getByTestId(testIds.accounts.changePassword('ana'))).toBeTruthy();
    // Words for people: no hash, no option names of the command line.
    const text = screen.getByTestId(testIds.accounts.section).textContent ?? '';
    expect(text).not.toMatch(/--|scrypt|\$/);
  });

  it('is not there for an operator', async () => {
    const operator = setup('otto', 'operator');
    await screen.findByTestId('session-known');
    expect(screen.queryByTestId(testIds.accounts.section)).toBeNull();
    expect(operator.callsOf('users.list')).toHaveLength(0);
  });

  it('is not there without accounts (the desktop app, the token host), though everything else is offered there', async () => {
    const station = setup(null, null);
    await screen.findByTestId('session-known');
    expect(screen.queryByTestId(testIds.accounts.section)).toBeNull();
    expect(station.callsOf('users.list')).toHaveLength(0);
  });

  it('adds an account: checks the name, the length and the repetition before asking the core', async () => {
    const core = setup('ana', 'admin');
    await listed(core, [ana]);
    fireEvent.click(await screen.findByTestId(testIds.accounts.add));
    const dialog = await screen.findByTestId(testIds.accounts.dialog);

    type(testIds.accounts.name, 'Otto Smith');
    type(testIds.accounts.password, 'short');
    fireEvent.click(screen.getByTestId(testIds.accounts.submit));
    expect(dialog.textContent).toContain('An account name is 1 to 64 lower-case letters');
    expect(dialog.textContent).toContain('A password has at least 10 characters');

    type(testIds.accounts.name, 'otto');
    type(testIds.accounts.password, 'a long password');
    type(testIds.accounts.passwordAgain, 'a long passw0rd');
    fireEvent.click(screen.getByTestId(testIds.accounts.submit));
    expect(dialog.textContent).toContain('The two passwords differ');
    expect(core.callsOf('users.add')).toHaveLength(0);

    type(testIds.accounts.passwordAgain, 'a long password');
    fireEvent.click(screen.getByTestId(testIds.accounts.roleOption('viewer')));
    fireEvent.click(screen.getByTestId(testIds.accounts.submit));
    await waitFor(() => expect(core.callsOf('users.add')).toHaveLength(1));
    expect(core.callsOf('users.add')[0]?.request).toEqual({
      name: 'otto',
      role: 'viewer',
      password: 'a long password',
    });
    const otto = { ...vera, name: 'otto' };
    act(() => core.callsOf('users.add')[0]?.answer(otto));
    expect((await screen.findByTestId(testIds.accounts.notice)).textContent).toBe(
      'otto was added as viewer.',
    );
    await listed(core, [ana, otto], 2);
    expect(await screen.findByTestId(testIds.accounts.row('otto'))).toBeTruthy();
    expect(screen.queryByTestId(testIds.accounts.dialog)).toBeNull();
  });

  it("shows the core's refusal in the dialog (a name already taken), and keeps what was typed", async () => {
    const core = setup('ana', 'admin');
    await listed(core, [ana, vera]);
    fireEvent.click(await screen.findByTestId(testIds.accounts.add));
    await screen.findByTestId(testIds.accounts.dialog);
    type(testIds.accounts.name, 'vera');
    type(testIds.accounts.password, 'a long password');
    type(testIds.accounts.passwordAgain, 'a long password');
    fireEvent.click(screen.getByTestId(testIds.accounts.submit));
    await waitFor(() => expect(core.callsOf('users.add')).toHaveLength(1));
    // The core's default role is not assumed: the dialog offers operator first.
    expect(core.callsOf('users.add')[0]?.request.role).toBe('operator');
    act(() =>
      core.callsOf('users.add')[0]?.fail({
        name: 'already-exists',
        message: 'there is already an account named vera: choose another name',
        details: { thing: 'account', name: 'vera' },
      }),
    );
    const refused = await screen.findByTestId(testIds.accounts.dialogError);
    expect(refused.textContent).toContain('there is already an account named vera');
    expect((screen.getByTestId(testIds.accounts.name) as HTMLInputElement).value).toBe('vera');
  });

  it("changes a password, and says that one's own session then ends", async () => {
    const core = setup('ana', 'admin');
    await listed(core, [ana, vera]);
    fireEvent.click(await screen.findByTestId(testIds.accounts.changePassword('ana')));
    const dialog = await screen.findByTestId(testIds.accounts.dialog);
    expect(dialog.textContent).toContain('New password for ana');
    expect(dialog.textContent).toContain('log in again with the new password');
    expect(within(dialog).queryByTestId(testIds.accounts.name)).toBeNull();
    fireEvent.click(screen.getByTestId(testIds.accounts.cancel));
    await waitFor(() => expect(screen.queryByTestId(testIds.accounts.dialog)).toBeNull());

    fireEvent.click(screen.getByTestId(testIds.accounts.changePassword('vera')));
    expect((await screen.findByTestId(testIds.accounts.dialog)).textContent).toContain(
      'Whoever is logged in as vera is logged out',
    );
    type(testIds.accounts.password, 'another long one');
    type(testIds.accounts.passwordAgain, 'another long one');
    fireEvent.click(screen.getByTestId(testIds.accounts.submit));
    await waitFor(() => expect(core.callsOf('users.setPassword')).toHaveLength(1));
    expect(core.callsOf('users.setPassword')[0]?.request).toEqual({
      name: 'vera',
      password: 'another long one',
    });
    act(() => core.callsOf('users.setPassword')[0]?.answer(vera));
    expect((await screen.findByTestId(testIds.accounts.notice)).textContent).toBe(
      'The password of vera was changed.',
    );
  });

  it('removes an account after asking, and shows why when the core refuses', async () => {
    const core = setup('ana', 'admin');
    await listed(core, [ana, vera]);
    fireEvent.click(await screen.findByTestId(testIds.accounts.remove('vera')));
    const dialog = await screen.findByTestId(testIds.accounts.removeDialog);
    expect(dialog.textContent).toContain('vera can no longer log in');
    fireEvent.click(screen.getByTestId(derived.confirm(testIds.accounts.removeDialog)));
    await waitFor(() => expect(core.callsOf('users.remove')).toHaveLength(1));
    expect(core.callsOf('users.remove')[0]?.request).toEqual({ name: 'vera' });
    act(() =>
      core.callsOf('users.remove')[0]?.fail({
        name: 'not-found',
        message: 'there is no account named vera: see the accounts',
        details: { thing: 'account', name: 'vera' },
      }),
    );
    expect(
      (await screen.findByTestId(derived.error(testIds.accounts.removeDialog))).textContent,
    ).toContain('there is no account named vera');

    fireEvent.click(screen.getByTestId(derived.confirm(testIds.accounts.removeDialog)));
    await waitFor(() => expect(core.callsOf('users.remove')).toHaveLength(2));
    act(() => core.callsOf('users.remove')[1]?.answer({}));
    expect((await screen.findByTestId(testIds.accounts.notice)).textContent).toBe(
      'vera was removed.',
    );
    await listed(core, [ana], 2);
    await waitFor(() => expect(screen.queryByTestId(testIds.accounts.row('vera'))).toBeNull());
  });
});

import { AccountName, Password, type AccountView } from '../../../shared/contract/accounts';
import { CommissionerError, notFound } from '../../../shared/contract/contract-error';
import { Role } from '../../../shared/contract/roles';
import type { AccountStanding } from '../contract-handlers/app-core-api';
import { auditAccountEvent } from '../accounts/account-audit';
import { audited } from '../audit/audited';
import { decoyHash, hashPassword, verifyPassword } from '../accounts/password-hash';
import {
  accountHash,
  accountRow,
  deleteAccount,
  insertAccount,
  listAccountRows,
  updateAccountHash,
} from '../store/accounts-table';
import type { Store } from '../store/store';

/** The browser host's named accounts: who may log in, with which role. */
export function listAccounts(store: Store): AccountView[] {
  return listAccountRows(store);
}

/** The account's view; not-found naming it otherwise. */
export function account(store: Store, name: string): AccountView {
  const row = accountRow(store, name);
  if (!row) throw missing(name);
  return row;
}

export function addAccount(
  store: Store,
  request: { name: string; role: string; password: string },
): Promise<AccountView> {
  return audited(
    store,
    {
      operation: 'users.add',
      target: String(request.name).slice(0, 64),
      // The password's presence, never its value.
      inputs: { role: String(request.role).slice(0, 20), password: 'set' },
    },
    async () => {
      const name = checked(AccountName, request.name, 'name');
      const role = checked(Role, request.role, 'role', 'a role is viewer, operator or admin');
      const password = checked(Password, request.password, 'password');
      if (accountRow(store, name)) {
        throw new CommissionerError(
          'already-exists',
          `there is already an account named ${name}: choose another name, or change its password`,
          { thing: 'account', name },
        );
      }
      insertAccount(store, name, role, await hashPassword(password));
      return account(store, name);
    },
  );
}

export function removeAccount(store: Store, name: string, by?: string): void {
  audited(store, { operation: 'users.remove', target: name }, () => {
    if (by === name) {
      throw new CommissionerError(
        'refused',
        'an account cannot remove itself: another admin removes it',
        { reasons: ['own account'] },
      );
    }
    if (!deleteAccount(store, name)) throw missing(name);
  });
}

export function setAccountPassword(
  store: Store,
  name: string,
  newPassword: string,
): Promise<AccountView> {
  return audited(
    store,
    { operation: 'users.setPassword', target: name, inputs: { password: 'set' } },
    async () => {
      const password = checked(Password, newPassword, 'password');
      if (!accountRow(store, name)) throw missing(name);
      updateAccountHash(store, name, await hashPassword(password));
      return account(store, name);
    },
  );
}

/**
 * The caller a name and password stand for, or undefined. A name without an account is
 * checked against a decoy hash, so a refusal takes as long either way and does not tell
 * which names exist. Every attempt is audited; the password never is.
 */
export async function authenticate(
  store: Store,
  name: string,
  password: string,
): Promise<AccountStanding | undefined> {
  const stored = accountHash(store, name);
  const matches = await verifyPassword(password, stored ?? (await decoyHash()));
  const row = stored !== undefined && matches ? accountRow(store, name) : undefined;
  auditAccountEvent(store, {
    operation: 'login',
    target: name.slice(0, 64),
    // Whoever typed the name: the entry says which account was tried, not who the station's user is.
    by: name.slice(0, 64),
    outcome: row
      ? { result: 'ok' }
      : { result: 'refused', reason: 'wrong name or password', error: 'forbidden' },
  });
  return row ? standingOf(row) : undefined;
}

/** The account as it is now (it may have been removed or changed since its session began). */
export function accountStanding(store: Store, name: string): AccountStanding | undefined {
  const row = accountRow(store, name);
  return row ? standingOf(row) : undefined;
}

function standingOf(row: AccountView): AccountStanding {
  return {
    caller: { account: row.name, role: row.role },
    passwordChangedAt: row.passwordChangedAt,
  };
}

function missing(name: string) {
  return notFound(
    'account',
    name,
    `there is no account named ${name}: the list of accounts shows the names there are`,
  );
}

function checked<T>(
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
  },
  value: unknown,
  field: string,
  message?: string,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new CommissionerError(
    'invalid-input',
    message ?? parsed.error.issues[0]?.message ?? `the ${field} is not valid`,
    { field },
  );
}

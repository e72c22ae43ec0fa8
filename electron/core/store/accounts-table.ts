import type { AccountView } from '../../../shared/contract/accounts';
import type { Role } from '../../../shared/contract/roles';
import { namedStatements } from './statements';
import type { Store } from './store';

const SQL = namedStatements({
  list: `SELECT name, role, created_at AS createdAt, password_changed_at AS passwordChangedAt
         FROM accounts ORDER BY name`,
  get: `SELECT name, role, created_at AS createdAt, password_changed_at AS passwordChangedAt
        FROM accounts WHERE name = ?`,
  hash: 'SELECT password_hash FROM accounts WHERE name = ?',
  any: 'SELECT EXISTS (SELECT 1 FROM accounts)',
  insert: `INSERT INTO accounts (name, role, password_hash, created_at, password_changed_at)
           VALUES (?, ?, ?, ?, ?)`,
  remove: 'DELETE FROM accounts WHERE name = ?',
  setHash: 'UPDATE accounts SET password_hash = ?, password_changed_at = ? WHERE name = ?',
});

export function listAccountRows(store: Store): AccountView[] {
  return SQL(store.db).list.all() as AccountView[];
}

export function accountRow(store: Store, name: string): AccountView | undefined {
  return SQL(store.db).get.get(name) as AccountView | undefined;
}

export function accountHash(store: Store, name: string): string | undefined {
  return SQL(store.db).hash.pluck().get(name) as string | undefined;
}

/** Whether any account exists: the browser host then asks everyone to log in. */
export function anyAccount(store: Store): boolean {
  return SQL(store.db).any.pluck().get() === 1;
}

export function insertAccount(store: Store, name: string, role: Role, hash: string): void {
  const now = new Date().toISOString();
  SQL(store.db).insert.run(name, role, hash, now, now);
}

export function deleteAccount(store: Store, name: string): boolean {
  return SQL(store.db).remove.run(name).changes > 0;
}

export function updateAccountHash(store: Store, name: string, hash: string): boolean {
  return SQL(store.db).setHash.run(hash, new Date().toISOString(), name).changes > 0;
}

import { CommissionerError } from '../../../shared/contract/contract-error';
import type { TrustEntryType, TrustLevel } from '../../../shared/contract/trust';
import { namedStatements } from './statements';
import type { Store } from './store';

/** A trust-store entry as kept: the checked file's bytes and what was read from them. */
export interface TrustEntryRecord {
  name: string;
  type: TrustEntryType;
  content: Buffer;
  fingerprint: string;
  subjects: string[];
  notBefore: string | null;
  notAfter: string | null;
  addedAt: string;
}

export interface TrustPolicyRecord {
  /** Canonical scope text (shared/trust/policy-scope.ts). */
  scope: string;
  level: TrustLevel;
  /** Entry names this scope trusts; null = every entry of the store. */
  trust: string[] | null;
  identities: string[];
  updatedAt: string;
}

const SQL = namedStatements({
  entries: 'SELECT * FROM trust_entries ORDER BY name',
  entriesOfTypes:
    'SELECT * FROM trust_entries WHERE type IN (SELECT value FROM json_each(?)) ORDER BY name',
  entry: 'SELECT * FROM trust_entries WHERE name = ?',
  insertEntry: `INSERT INTO trust_entries (name, type, content, fingerprint, subjects, not_before, not_after, added_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  deleteEntry: 'DELETE FROM trust_entries WHERE name = ?',
  scopesNaming: 'SELECT scope FROM trust_policy_entries WHERE entry = ? ORDER BY scope',
  dropEntry: 'DELETE FROM trust_policy_entries WHERE entry = ?',
  usage: 'SELECT entry, scope FROM trust_policy_entries ORDER BY scope',
  policies: 'SELECT * FROM trust_policies ORDER BY scope',
  policy: 'SELECT * FROM trust_policies WHERE scope = ?',
  policyEntries:
    'SELECT e.name FROM trust_policy_entries p JOIN trust_entries e ON e.name = p.entry WHERE p.scope = ? ORDER BY e.name',
  upsertPolicy: `INSERT INTO trust_policies (scope, level, trusts_all, identities, updated_at) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (scope) DO UPDATE SET scope = excluded.scope, level = excluded.level,
                   trusts_all = excluded.trusts_all, identities = excluded.identities, updated_at = excluded.updated_at`,
  clearPolicyEntries: 'DELETE FROM trust_policy_entries WHERE scope = ?',
  addPolicyEntry: 'INSERT INTO trust_policy_entries (scope, entry) VALUES (?, ?)',
  deletePolicy: 'DELETE FROM trust_policies WHERE scope = ?',
  version: 'SELECT version FROM trust_version WHERE id = 1',
});

interface EntryRow {
  name: string;
  type: TrustEntryType;
  content: Buffer;
  fingerprint: string;
  subjects: string;
  not_before: string | null;
  not_after: string | null;
  added_at: string;
}

interface PolicyRow {
  scope: string;
  level: TrustLevel;
  trusts_all: 0 | 1;
  identities: string;
  updated_at: string;
}

function toEntry(row: EntryRow): TrustEntryRecord {
  return {
    name: row.name,
    type: row.type,
    content: row.content,
    fingerprint: row.fingerprint,
    // Written by insertTrustEntry from checked values.
    subjects: JSON.parse(row.subjects) as string[],
    notBefore: row.not_before,
    notAfter: row.not_after,
    addedAt: row.added_at,
  };
}

export function trustEntries(store: Store, types?: readonly TrustEntryType[]): TrustEntryRecord[] {
  const rows = types
    ? SQL(store.db).entriesOfTypes.all(JSON.stringify(types))
    : SQL(store.db).entries.all();
  return (rows as EntryRow[]).map(toEntry);
}

/** The entry of that name (names compare without regard to case). */
export function trustEntry(store: Store, name: string): TrustEntryRecord | null {
  const row = SQL(store.db).entry.get(name) as EntryRow | undefined;
  return row ? toEntry(row) : null;
}

export function insertTrustEntry(store: Store, entry: TrustEntryRecord): void {
  try {
    SQL(store.db).insertEntry.run(
      entry.name,
      entry.type,
      entry.content,
      entry.fingerprint,
      JSON.stringify(entry.subjects),
      entry.notBefore,
      entry.notAfter,
      entry.addedAt,
    );
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw entryExists(entry.name);
    }
    throw e;
  }
  store.changes.announce('trust');
}

export function entryExists(name: string): CommissionerError<'already-exists'> {
  return new CommissionerError(
    'already-exists',
    `the trust store already has an entry named ${name}: remove it first or choose another name`,
    { thing: 'trust-entry', name },
  );
}

/** The scopes whose policies name each entry (by entry name as stored). */
export function trustEntryUsage(store: Store): Map<string, string[]> {
  const usage = new Map<string, string[]>();
  for (const { entry, scope } of SQL(store.db).usage.all() as { entry: string; scope: string }[]) {
    const key = entry.toLowerCase();
    usage.set(key, [...(usage.get(key) ?? []), scope]);
  }
  return usage;
}

/**
 * Removes an entry and, in the same transaction, its name from the policies naming it.
 * Returns those policies' scopes; false when there is no such entry.
 */
export function deleteTrustEntry(store: Store, name: string): { droppedFrom: string[] } | false {
  const sql = SQL(store.db);
  const result = store.db
    .transaction(() => {
      const droppedFrom = sql.scopesNaming.pluck().all(name) as string[];
      sql.dropEntry.run(name);
      return sql.deleteEntry.run(name).changes > 0 ? { droppedFrom } : false;
    })
    .immediate();
  if (result) store.changes.announce('trust');
  return result;
}

function toPolicy(store: Store, row: PolicyRow): TrustPolicyRecord {
  return {
    scope: row.scope,
    level: row.level,
    trust:
      row.trusts_all === 1
        ? null
        : (SQL(store.db).policyEntries.pluck().all(row.scope) as string[]),
    identities: JSON.parse(row.identities) as string[],
    updatedAt: row.updated_at,
  };
}

export function trustPolicies(store: Store): TrustPolicyRecord[] {
  return (SQL(store.db).policies.all() as PolicyRow[]).map((row) => toPolicy(store, row));
}

export function trustPolicy(store: Store, scope: string): TrustPolicyRecord | null {
  const row = SQL(store.db).policy.get(scope) as PolicyRow | undefined;
  return row ? toPolicy(store, row) : null;
}

/**
 * Sets a scope's policy (replacing one there was), its trusted entries with it. The entries
 * must exist: the foreign key refuses a name that does not (the use case says which first).
 */
export function putTrustPolicy(store: Store, policy: TrustPolicyRecord): void {
  const sql = SQL(store.db);
  store.db
    .transaction(() => {
      sql.clearPolicyEntries.run(policy.scope);
      sql.upsertPolicy.run(
        policy.scope,
        policy.level,
        policy.trust === null ? 1 : 0,
        JSON.stringify(policy.identities),
        policy.updatedAt,
      );
      for (const name of policy.trust ?? []) sql.addPolicyEntry.run(policy.scope, name);
    })
    .immediate();
  store.changes.announce('trust');
}

/** Removes a scope's policy; false when there was none. */
export function deleteTrustPolicy(store: Store, scope: string): boolean {
  const removed = SQL(store.db).deletePolicy.run(scope).changes > 0;
  if (removed) store.changes.announce('trust');
  return removed;
}

/** A number that grows with every change of entries or policies (kept by triggers). */
export function trustStoreVersion(store: Store): number {
  return SQL(store.db).version.pluck().get() as number;
}

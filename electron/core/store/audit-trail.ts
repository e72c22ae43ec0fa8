import {
  AuditEntry,
  AuditRecord,
  GENESIS_HASH,
  hashedContent,
} from '../../../shared/audit/audit-entry';
import { sha256Hex } from '../audit/audit-hash';
import { namedStatements } from './statements';
import type { Store } from './store';

const SQL = namedStatements({
  head: 'SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1',
  insert: `INSERT INTO audit_trail (seq, time, actor, operation, target, inputs, outcome, digests, prev, hash)
           VALUES (@seq, @time, @actor, @operation, @target, @inputs, @outcome, @digests, @prev, @hash)`,
  all: 'SELECT * FROM audit_trail ORDER BY seq',
  since: 'SELECT * FROM audit_trail WHERE time >= ? ORDER BY seq',
});

/** A row as SQLite holds it: JSON members still text, so a tampered row is read as it is. */
export interface AuditRow {
  seq: number;
  time: string;
  actor: string;
  operation: string;
  target: string;
  inputs: string;
  outcome: string;
  digests: string;
  prev: string;
  hash: string;
}

/**
 * Appends one entry to the trail: the next seq, the time, the previous entry's hash and its
 * own, in one IMMEDIATE transaction so two processes appending at once still make one chain.
 * The record is checked first: a secret value has no field to hide in (inputs are flat).
 */
export function appendAudit(store: Store, record: AuditRecord): AuditEntry {
  const checked = AuditRecord.parse(record);
  return store.db
    .transaction(() => {
      const head = SQL(store.db).head.get() as { seq: number; hash: string } | undefined;
      const content = {
        ...checked,
        seq: (head?.seq ?? 0) + 1,
        time: new Date().toISOString(),
        prev: head?.hash ?? GENESIS_HASH,
      };
      const entry: AuditEntry = { ...content, hash: sha256Hex(hashedContent(content)) };
      SQL(store.db).insert.run({
        seq: entry.seq,
        time: entry.time,
        actor: JSON.stringify(entry.actor),
        operation: entry.operation,
        target: entry.target,
        inputs: JSON.stringify(entry.inputs),
        outcome: JSON.stringify(entry.outcome),
        digests: JSON.stringify(entry.digests),
        prev: entry.prev,
        hash: entry.hash,
      });
      return entry;
    })
    .immediate();
}

/** Every row in seq order, as stored (for `audit verify`, which must see tampering as it is). */
export function auditRows(store: Store): AuditRow[] {
  return SQL(store.db).all.all() as AuditRow[];
}

export interface AuditFilter {
  /** ISO time: entries at or after it. */
  since?: string;
  /** Entries whose target or inputs name this device. */
  device?: string;
}

/** Entries in seq order, parsed (rows that no longer parse are skipped: `audit verify` names them). */
export function auditEntries(store: Store, filter: AuditFilter = {}): AuditEntry[] {
  const rows = (
    filter.since !== undefined ? SQL(store.db).since.all(filter.since) : SQL(store.db).all.all()
  ) as AuditRow[];
  const entries: AuditEntry[] = [];
  for (const row of rows) {
    const entry = parseAuditRow(row);
    if (!entry) continue;
    if (filter.device !== undefined && !namesDevice(entry, filter.device)) continue;
    entries.push(entry);
  }
  return entries;
}

/** A stored row as an entry, or undefined when its JSON or shape was broken. */
export function parseAuditRow(row: AuditRow): AuditEntry | undefined {
  try {
    const parsed = AuditEntry.safeParse({
      ...row,
      actor: JSON.parse(row.actor),
      inputs: JSON.parse(row.inputs),
      outcome: JSON.parse(row.outcome),
      digests: JSON.parse(row.digests),
    });
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The hash of the trail's last entry; null while the trail is empty. */
export function auditHead(store: Store): string | null {
  const head = SQL(store.db).head.get() as { hash: string } | undefined;
  return head?.hash ?? null;
}

/** The device an entry concerns: its target, or an input `device` / `devices`. */
export function namesDevice(entry: AuditEntry, device: string): boolean {
  if (entry.target === device) return true;
  const { device: one, devices } = entry.inputs;
  return one === device || (Array.isArray(devices) && devices.includes(device));
}

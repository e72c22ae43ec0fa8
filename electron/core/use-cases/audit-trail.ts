import { readFileSync } from 'node:fs';
import { AuditEntry } from '../../../shared/audit/audit-entry';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { verifyChain, type ChainLink, type ChainVerdict } from '../audit/verify-chain';
import {
  auditEntries,
  auditRows,
  parseAuditRow,
  type AuditFilter,
  type AuditRow,
} from '../store/audit-trail';
import { writeDurably } from '../store/durable-write';
import type { Store } from '../store/store';

/** `audit verify`: the store's trail walked from its first entry. */
export function verifyAuditTrail(store: Store): ChainVerdict {
  return verifyChain(auditRows(store).map(linkOfRow));
}

/**
 * `audit verify --file`: an export checked on its own (anywhere: it needs no data home). A
 * line that is not an entry is an altered entry, at the position it takes.
 */
export function verifyAuditExport(path: string): ChainVerdict {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CommissionerError(
      'invalid-input',
      `cannot read ${path}: give the .jsonl file \`audit export\` wrote`,
      { field: 'file' },
      { cause: e },
    );
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return verifyChain(lines.map((line, i) => linkOfLine(line, i + 1)));
}

/** `audit list`: entries in order, optionally since a time and naming a device. */
export function listAuditEntries(
  store: Store,
  filter: { since?: string; device?: string },
): AuditEntry[] {
  const checked: AuditFilter = {};
  if (filter.since !== undefined) checked.since = sinceTime(filter.since);
  if (filter.device !== undefined) checked.device = filter.device;
  return auditEntries(store, checked);
}

/**
 * `audit export -o file.jsonl`: every entry, one JSON object per line in seq order, with its
 * prev and hash, so the chain can be verified elsewhere (`audit verify --file`). Rows are
 * written as stored, tampered or not: an export is evidence, not a clean copy.
 */
export function exportAuditTrail(
  store: Store,
  path: string,
): { entries: number; head: string | null } {
  const rows = auditRows(store);
  const text = rows.map((row) => JSON.stringify(exportedRow(row))).join('\n');
  writeDurably(path, Buffer.from(rows.length > 0 ? `${text}\n` : ''));
  return { entries: rows.length, head: rows.at(-1)?.hash ?? null };
}

function exportedRow(row: AuditRow): unknown {
  const member = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  return {
    seq: row.seq,
    time: row.time,
    actor: member(row.actor),
    operation: row.operation,
    target: row.target,
    inputs: member(row.inputs),
    outcome: member(row.outcome),
    digests: member(row.digests),
    prev: row.prev,
    hash: row.hash,
  };
}

function linkOfRow(row: AuditRow): ChainLink {
  return { seq: row.seq, prev: row.prev, hash: row.hash, entry: parseAuditRow(row) };
}

function linkOfLine(line: string, position: number): ChainLink {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { seq: position, prev: '', hash: '', entry: undefined };
  }
  const fields = (value ?? {}) as Partial<Record<'seq' | 'prev' | 'hash', unknown>>;
  const parsed = AuditEntry.safeParse(value);
  return {
    seq: typeof fields.seq === 'number' ? fields.seq : position,
    prev: typeof fields.prev === 'string' ? fields.prev : '',
    hash: typeof fields.hash === 'string' ? fields.hash : '',
    entry: parsed.success ? parsed.data : undefined,
  };
}

/** `--since`: a date or a date and time as ISO 8601 (`2026-12-06`, `2026-12-06T14:00Z`). */
function sinceTime(text: string): string {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim()) || Number.isNaN(ms)) {
    throw new CommissionerError(
      'invalid-input',
      `"${text}" is not a time: give a date or a date and time, as 2026-12-06 or 2026-12-06T14:00`,
      { field: 'since' },
    );
  }
  return new Date(ms).toISOString();
}

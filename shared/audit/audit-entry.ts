import { z } from 'zod';

/**
 * Who did something: the operating-system user (desktop app, CLI) or the account name
 * (browser host with accounts), the engineer name set once for the station, the host the
 * Commissioner ran on, and the face the request came through.
 */
export const Actor = z.strictObject({
  user: z.string().max(200),
  engineer: z.string().max(100).optional(),
  host: z.string().max(255),
  via: z.enum(['cli', 'desktop', 'browser']),
});
export type Actor = z.infer<typeof Actor>;

/** How an operation ended: done, refused by a rule (nothing changed), or failed on the way. */
export const AuditOutcome = z.discriminatedUnion('result', [
  z.strictObject({ result: z.literal('ok') }),
  z.strictObject({ result: z.literal('refused'), reason: z.string(), error: z.string() }),
  z.strictObject({ result: z.literal('failed'), reason: z.string(), error: z.string() }),
]);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

/**
 * A summary of an operation's inputs: plain values (names, versions, flags), never a secret:
 * a secret parameter is listed by name in `secrets` (its presence), its value nowhere.
 */
export const AuditInputs = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]),
);
export type AuditInputs = z.infer<typeof AuditInputs>;

/** Digests involved: package manifest, ApplicationDeployment bytes, images. */
export const AuditDigests = z.strictObject({
  package: z.string().optional(),
  applicationDeployment: z.array(z.string()).optional(),
  images: z.array(z.string()).optional(),
});
export type AuditDigests = z.infer<typeof AuditDigests>;

/** What a face or a use case hands to `appendAudit`: the store adds seq, time and the chain. */
export const AuditRecord = z.strictObject({
  actor: Actor,
  /** The operation, in the contract's spelling (`deploy.start` → `deploy`, see audit-operations). */
  operation: z.string().min(1).max(100),
  /** What it acted on: a device, an application id@version, a deployment id, a user… */
  target: z.string().max(500),
  inputs: AuditInputs,
  outcome: AuditOutcome,
  digests: AuditDigests,
});
export type AuditRecord = z.infer<typeof AuditRecord>;

/** One entry of the trail as stored and exported (one JSON line per entry in an export). */
export const AuditEntry = AuditRecord.extend({
  seq: z.number().int().positive(),
  /** ISO 8601, UTC, milliseconds. */
  time: z.string(),
  /** The previous entry's hash (64 zeros for the first). */
  prev: z.string().regex(/^[0-9a-f]{64}$/),
  /** sha256 over the canonical JSON of the entry without `hash` (prev included). */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The bytes an entry's hash is taken over: JSON with keys sorted at every level and no
 * spaces, so any implementation (and `audit verify --file` elsewhere) gets the same bytes.
 * Undefined members are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  const members = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${members.join(',')}}`;
}

/** The hashed content of an entry: everything but its own hash. */
export function hashedContent(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, time, actor, operation, target, inputs, outcome, digests, prev } = entry;
  return canonicalJson({ seq, time, actor, operation, target, inputs, outcome, digests, prev });
}

import { z } from 'zod';
import { TrustEntryType, TrustLevel } from './trust';

/**
 * The laptop's trust store and trust policy as every face shows them. `trust list --json` and
 * `trust policy list --json` print these shapes: add fields, never rename or reshape.
 */

/** Letters, digits, `.`, `_` and `-`, at most 64: it is typed on command lines and in policies. */
export const TrustEntryName = z
  .string()
  .regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, dots, dashes and underscores only')
  .max(64, 'at most 64 characters');

export const TrustEntryView = z.strictObject({
  name: z.string(),
  type: TrustEntryType,
  /** `sha256:<hex>` of the first certificate (DER), of the key (SPKI DER), or of the trusted root file. */
  fingerprint: z.string(),
  /** Certificate subjects (one per certificate), the kind of key, or who a trusted root trusts. */
  subjects: z.array(z.string()),
  /** From when, and until when, every certificate of the entry is valid; null for keys and roots. */
  notBefore: z.string().nullable(),
  notAfter: z.string().nullable(),
  addedAt: z.string(),
  /** The policy scopes that name this entry (`--trust`); policies trusting every entry are not listed. */
  usedBy: z.array(z.string()),
});
export type TrustEntryView = z.infer<typeof TrustEntryView>;

/** Adding an entry: the file as a picked token (the desktop dialog or a browser upload). */
export const AddTrustEntry = z.strictObject({
  name: z.string(),
  type: TrustEntryType,
  file: z.string(),
});
export type AddTrustEntry = z.infer<typeof AddTrustEntry>;

/** The entry just added, with what may keep it from working (expired, not a CA …). */
export const AddedTrustEntry = TrustEntryView.extend({ warnings: z.array(z.string()) });
export type AddedTrustEntry = z.infer<typeof AddedTrustEntry>;

export const RemoveTrustEntry = z.strictObject({
  name: z.string(),
  /** Policies naming the entry: drop it from them. Without it, such a removal is refused. */
  dropFromPolicies: z.boolean().optional(),
});

export const RemovedTrustEntry = z.strictObject({
  name: z.string(),
  /** The scopes whose policies named it and no longer do. */
  droppedFrom: z.array(z.string()),
  /** Of those, the scopes whose policies now trust no entry at all (signatures cannot verify there). */
  trustingNothing: z.array(z.string()),
});
export type RemovedTrustEntry = z.infer<typeof RemovedTrustEntry>;

export const TrustPolicyView = z.strictObject({
  /** Canonical: `*`, an application id pattern, `org:<name>`, or a registry/repository pattern. */
  scope: z.string(),
  kind: z.enum(['all', 'app', 'org', 'repository']),
  level: TrustLevel,
  /** The trust-store entries this scope trusts; null = every entry of the store. */
  trust: z.array(z.string()).nullable(),
  /** Signer subject DNs this scope trusts; empty = any signer the trusted entries vouch for. */
  identities: z.array(z.string()),
  updatedAt: z.string(),
});
export type TrustPolicyView = z.infer<typeof TrustPolicyView>;

export const SetTrustPolicy = z.strictObject({
  scope: z.string(),
  level: TrustLevel,
  /** Entry names; absent, null or empty = every entry. */
  trust: z.array(z.string()).nullable().optional(),
  identities: z.array(z.string()).optional(),
});
export type SetTrustPolicy = z.infer<typeof SetTrustPolicy>;

export const TrustScope = z.strictObject({ scope: z.string() });

/** The levels in words, for people (the UI, the CLI's text output). */
export const LEVEL_WORDS: Record<TrustLevel, string> = {
  strict: 'Refuse unsigned or invalid',
  audit: 'Warn and record',
  skip: 'Do not check',
};

import { z } from 'zod';
import { Diagnostic } from '../validation/diagnostic';
import { ArtifactTrust } from './trust';

export const ItemKind = z.enum(['application', 'compose', 'helm', 'image']);
export type ItemKind = z.infer<typeof ItemKind>;

export const ImportedItem = z.strictObject({
  kind: ItemKind,
  /** The reference the item is stored under (`id:version` for packages, `registry/repo:tag`). */
  ref: z.string(),
  id: z.string().optional(),
  version: z.string().optional(),
  digest: z.string(),
  source: z.string(),
});
export type ImportedItem = z.infer<typeof ImportedItem>;

export const ConflictItem = ImportedItem.extend({
  existingDigest: z.string(),
  message: z.string(),
});
export type ConflictItem = z.infer<typeof ConflictItem>;

export const InvalidItem = z.strictObject({
  kind: ItemKind.optional(),
  ref: z.string().optional(),
  source: z.string(),
  message: z.string(),
  diagnostics: z.array(Diagnostic),
});
export type InvalidItem = z.infer<typeof InvalidItem>;

export const SourceProblem = z.strictObject({
  source: z.string(),
  message: z.string(),
  /** The archive member or blob that caused a refusal, when there is one. */
  member: z.string().optional(),
});
export type SourceProblem = z.infer<typeof SourceProblem>;

/** The summary of `import` (and of the import job the UI runs). */
export const ImportReport = z.strictObject({
  imported: z.array(ImportedItem),
  unchanged: z.array(ImportedItem),
  conflicts: z.array(ConflictItem),
  invalid: z.array(InvalidItem),
  /** Whole sources refused (unsafe member, integrity failure, bomb): nothing of them was kept. */
  refused: z.array(SourceProblem),
  /** Sources that could not be read at all (missing path, unreachable registry). */
  unreadable: z.array(SourceProblem),
  /** Things a folder scan or a kit held that are not importable (with why). */
  skipped: z.array(SourceProblem),
  /**
   * The signature verdict of every package, component and image checked (imported, unchanged,
   * or in a source a strict trust policy refused), under the policy that applies to it.
   */
  signatures: z.array(ArtifactTrust),
});
export type ImportReport = z.infer<typeof ImportReport>;

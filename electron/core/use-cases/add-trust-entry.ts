import { audited } from '../audit/audited';
import { basename } from 'node:path';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { TrustEntryType } from '../../../shared/contract/trust';
import { TrustEntryName, type TrustEntryView } from '../../../shared/contract/trust-store';
import { entryExists, insertTrustEntry, trustEntry } from '../store/trust-store';
import type { Store } from '../store/store';
import { checkTrustFile, readTrustFile } from '../trust/trust-file-check';

export interface AddTrustEntryInput {
  name: string;
  /** ca | tsa | signingAuthority | sigstore-key | sigstore-root (checked here). */
  type: string;
  /** The file to trust; its bytes are copied into the store. */
  path: string;
  /** How the engineer knows the file (the name they chose); its base name by default. */
  shown?: string;
}

export interface AddedTrustEntry {
  entry: TrustEntryView;
  /** What may keep the entry from working, though it was added (expired, not a CA …). */
  warnings: string[];
}

/**
 * Adds a file to the laptop trust store under a name: the name and type checked, the file
 * read once (at most 1 MiB) and checked for its type (certificates parse; a key is a public
 * key of a kind Sigstore uses; a trusted root is one; a private key is refused), then the
 * checked bytes kept in the store — the original may go. Nothing is written when refused.
 */
function addTrustEntryNow(store: Store, input: AddTrustEntryInput): AddedTrustEntry {
  const name = TrustEntryName.safeParse(input.name);
  if (!name.success) {
    throw invalid(
      `the entry name "${input.name}" is not allowed: ${name.error.issues[0]?.message ?? 'invalid'}`,
      'name',
    );
  }
  const type = TrustEntryType.safeParse(input.type);
  if (!type.success) {
    throw invalid(
      `unknown trust entry type "${input.type}": use ca, tsa, signingAuthority, sigstore-key or sigstore-root`,
      'type',
    );
  }
  if (trustEntry(store, input.name)) throw entryExists(input.name);
  const shown = input.shown ?? basename(input.path);
  const checked = checkTrustFile(readTrustFile(input.path, shown), type.data, shown);
  const addedAt = new Date().toISOString();
  insertTrustEntry(store, {
    name: input.name,
    type: type.data,
    content: checked.bytes,
    fingerprint: checked.fingerprint,
    subjects: checked.subjects,
    notBefore: checked.notBefore,
    notAfter: checked.notAfter,
    addedAt,
  });
  return {
    entry: {
      name: input.name,
      type: type.data,
      fingerprint: checked.fingerprint,
      subjects: checked.subjects,
      notBefore: checked.notBefore,
      notAfter: checked.notAfter,
      addedAt,
      usedBy: [],
    },
    warnings: checked.warnings,
  };
}

function invalid(message: string, field: string): CommissionerError<'invalid-input'> {
  return new CommissionerError('invalid-input', message, { field });
}

/** Adds a file to the laptop trust store (audited, with its fingerprint). */
export function addTrustEntry(store: Store, input: AddTrustEntryInput): AddedTrustEntry {
  return audited(
    store,
    {
      operation: 'trust.add',
      target: input.name,
      inputs: { type: input.type, file: input.shown ?? basename(input.path) },
    },
    () => addTrustEntryNow(store, input),
    (r) => ({ inputs: { fingerprint: r.entry.fingerprint } }),
  );
}

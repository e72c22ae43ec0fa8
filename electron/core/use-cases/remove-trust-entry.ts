import { audited } from '../audit/audited';
import { CommissionerError, notFound } from '../../../shared/contract/contract-error';
import type { RemovedTrustEntry } from '../../../shared/contract/trust-store';
import { deleteTrustEntry, trustEntry, trustEntryUsage, trustPolicies } from '../store/trust-store';
import type { Store } from '../store/store';

/**
 * Removes an entry from the trust store. When policies name it, the removal is refused unless
 * `dropFromPolicies` says to drop it from them too; a policy left naming no entry then trusts
 * none (never every entry: removing trust must not widen it) and is reported.
 */
function removeTrustEntryNow(
  store: Store,
  name: string,
  { dropFromPolicies = false }: { dropFromPolicies?: boolean } = {},
): RemovedTrustEntry {
  const entry = trustEntry(store, name);
  if (!entry) {
    throw notFound('trust-entry', name, `the trust store has no entry named ${name}`);
  }
  const usedBy = trustEntryUsage(store).get(entry.name.toLowerCase()) ?? [];
  if (usedBy.length > 0 && !dropFromPolicies) {
    throw new CommissionerError(
      'refused',
      `the trust policies of ${usedBy.join(', ')} trust ${entry.name}: confirm that it may be dropped from them, then remove it`,
      { reasons: usedBy.map((scope) => `the policy of ${scope} trusts ${entry.name}`) },
    );
  }
  const removed = deleteTrustEntry(store, entry.name);
  if (!removed) {
    throw notFound('trust-entry', name, `the trust store has no entry named ${name}`);
  }
  const dropped = new Set(removed.droppedFrom.map((s) => s.toLowerCase()));
  const trustingNothing = trustPolicies(store)
    .filter((p) => dropped.has(p.scope.toLowerCase()) && p.trust !== null && p.trust.length === 0)
    .map((p) => p.scope);
  return { name: entry.name, droppedFrom: removed.droppedFrom, trustingNothing };
}

/** Removes an entry from the trust store (audited; see removeTrustEntryNow). */
export function removeTrustEntry(
  store: Store,
  name: string,
  options: { dropFromPolicies?: boolean } = {},
): RemovedTrustEntry {
  return audited(
    store,
    {
      operation: 'trust.remove',
      target: name,
      inputs: { dropFromPolicies: options.dropFromPolicies === true },
    },
    () => removeTrustEntryNow(store, name, options),
    (r) => ({ inputs: { droppedFrom: r.droppedFrom } }),
  );
}

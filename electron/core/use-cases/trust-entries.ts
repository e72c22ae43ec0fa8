import type { TrustEntryView } from '../../../shared/contract/trust-store';
import { trustEntries, trustEntryUsage, type TrustEntryRecord } from '../store/trust-store';
import type { Store } from '../store/store';

/** The trust store's entries by name, each with the policy scopes naming it. */
export function listTrustEntries(store: Store): TrustEntryView[] {
  const usage = trustEntryUsage(store);
  return trustEntries(store).map((entry) => trustEntryView(entry, usage));
}

export function trustEntryView(
  entry: TrustEntryRecord,
  usage: Map<string, string[]>,
): TrustEntryView {
  return {
    name: entry.name,
    type: entry.type,
    fingerprint: entry.fingerprint,
    subjects: entry.subjects,
    notBefore: entry.notBefore,
    notAfter: entry.notAfter,
    addedAt: entry.addedAt,
    usedBy: usage.get(entry.name.toLowerCase()) ?? [],
  };
}

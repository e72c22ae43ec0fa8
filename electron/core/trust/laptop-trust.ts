import type { TrustEntryType } from '../../../shared/contract/trust';
import type { NotaryTrust, TrustAnchor } from '../signatures/notary-trust';
import { trustEntries, type TrustEntryRecord } from '../store/trust-store';
import type { Store } from '../store/store';
import { readCertificates, readPublicKey, spkiPem } from './trust-content';

/** What Sigstore verification trusts: provisioned keys and trusted roots, by entry name. */
export interface SigstoreTrust {
  keys: { name: string; pem: string }[];
  trustedRoots: { name: string; json: unknown }[];
}

/**
 * The laptop trust store as a Notary Project verification takes it: the certificates of the
 * `ca`, `signingAuthority` and `tsa` entries (an entry holding a bundle becomes one anchor per
 * certificate, each with the entry's name). `entryNames` is a policy's `--trust` list (absent:
 * every entry; empty: none); `identities` its trusted signer subjects.
 */
export function laptopNotaryTrust(
  store: Store,
  entryNames?: string[],
  identities?: string[],
): NotaryTrust {
  const trust: NotaryTrust = { ca: [], signingAuthority: [], tsa: [] };
  for (const entry of chosen(store, ['ca', 'signingAuthority', 'tsa'], entryNames)) {
    const read = readCertificates(entry.content);
    // Checked when added; a row that no longer reads trusts nothing rather than failing all.
    if (!read.ok) continue;
    const anchors: TrustAnchor[] = read.certificates.map((c) => ({ name: entry.name, der: c.raw }));
    trust[entry.type as 'ca' | 'signingAuthority' | 'tsa'].push(...anchors);
  }
  if (identities && identities.length > 0) trust.identities = [...identities];
  return trust;
}

/** The Sigstore keys (as SPKI PEM) and trusted roots (parsed JSON) of the laptop trust store. */
export function laptopSigstoreTrust(store: Store, entryNames?: string[]): SigstoreTrust {
  const trust: SigstoreTrust = { keys: [], trustedRoots: [] };
  for (const entry of chosen(store, ['sigstore-key', 'sigstore-root'], entryNames)) {
    if (entry.type === 'sigstore-key') {
      const key = readPublicKey(entry.content);
      if (key) trust.keys.push({ name: entry.name, pem: spkiPem(key) });
    } else {
      try {
        trust.trustedRoots.push({
          name: entry.name,
          json: JSON.parse(entry.content.toString('utf8')),
        });
      } catch {
        // Checked when added; see above.
      }
    }
  }
  return trust;
}

function chosen(
  store: Store,
  types: TrustEntryType[],
  entryNames: string[] | undefined,
): TrustEntryRecord[] {
  const entries = trustEntries(store, types);
  if (entryNames === undefined) return entries;
  const wanted = new Set(entryNames.map((n) => n.toLowerCase()));
  return entries.filter((e) => wanted.has(e.name.toLowerCase()));
}

import type { TrustEntryType } from '../../../../shared/contract/trust';
import type { TrustEntryView, TrustPolicyView } from '../../../../shared/contract/trust-store';

/** Entry types in words, with what each is for. */
export const TYPE_WORDS: Record<TrustEntryType, { label: string; help: string }> = {
  ca: {
    label: 'Certificate authority',
    help: 'Root (or intermediate) certificates that Notary Project signing certificates chain to',
  },
  signingAuthority: {
    label: 'Signing authority',
    help: 'Certificates of a signing service whose signatures carry an authentic signing time',
  },
  tsa: {
    label: 'Timestamp authority',
    help: 'Roots of timestamp services; once one is trusted, signatures must carry a trusted timestamp',
  },
  'sigstore-key': {
    label: 'Sigstore public key',
    help: 'The public key a supplier signs Sigstore bundles with',
  },
  'sigstore-root': {
    label: 'Sigstore trusted root',
    help: 'A trusted_root.json provisioned for this site (certificate, timestamp and log authorities)',
  },
};

/** "2024-01-01 – 2034-01-01", "expired 2023-06-27", or "" for keys and roots. */
export function validityText(entry: TrustEntryView, now = Date.now()): string {
  if (!entry.notBefore || !entry.notAfter) return '';
  const to = Date.parse(entry.notAfter);
  if (to < now) return `expired ${entry.notAfter.slice(0, 10)}`;
  if (Date.parse(entry.notBefore) > now) return `valid from ${entry.notBefore.slice(0, 10)}`;
  return `${entry.notBefore.slice(0, 10)} – ${entry.notAfter.slice(0, 10)}`;
}

/** The first 16 hex digits, grouped: enough to compare with what the supplier says. */
export function shortFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/^sha256:/, '').slice(0, 16);
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}

export function trustedText(policy: TrustPolicyView): string {
  if (policy.trust === null) return 'Every entry';
  return policy.trust.length > 0 ? policy.trust.join(', ') : 'No entry (nothing can verify)';
}

export function identitiesText(policy: TrustPolicyView): string {
  return policy.identities.length > 0 ? policy.identities.join('; ') : 'Any signer';
}

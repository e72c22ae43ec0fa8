/**
 * What a Notary Project verification trusts: certificates grouped by trust-store type, as the
 * laptop's trust store (policy-filtered) or a `--trust-store <dir>` provides them.
 */
export interface TrustAnchor {
  /** How the entry is named to people: the laptop trust-store name, or `ca/root.pem` for a folder. */
  name: string;
  /** DER bytes of one certificate (an entry holding a bundle becomes several anchors with one name). */
  der: Buffer;
}

export interface NotaryTrust {
  /** Roots (or intermediates) for `notary.x509` signatures. */
  ca: TrustAnchor[];
  /** Roots for `notary.x509.signingAuthority` signatures. */
  signingAuthority: TrustAnchor[];
  /** Timestamp-authority roots; when any is given, a trusted timestamp is required (`verifyTimestamp: always`). */
  tsa: TrustAnchor[];
  /**
   * Trusted identities (notation's `x509.subject: …` without the prefix, or `*`); empty or
   * absent = any identity the chain vouches for.
   */
  identities?: string[];
}

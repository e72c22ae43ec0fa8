import { z } from 'zod';
import { Digest } from '../oci/descriptors';

/**
 * Signature verification results as every face shows them. The shapes of `trust verify*`
 * (`ArtifactVerification`) are relied on by scripts outside the repo: add fields, never
 * rename or reshape.
 */

/** `jws` and `cose` are Notary Project envelopes; `sigstore` a Sigstore bundle. */
export const SignatureFormat = z.enum(['jws', 'cose', 'sigstore']);
export type SignatureFormat = z.infer<typeof SignatureFormat>;

export const SignatureVerdict = z.enum(['verified', 'invalid']);
export type SignatureVerdict = z.infer<typeof SignatureVerdict>;

export const ArtifactVerdict = z.enum(['verified', 'unsigned', 'invalid']);
export type ArtifactVerdict = z.infer<typeof ArtifactVerdict>;

/** One signature's check. `reason` says in plain words which check failed (null when verified). */
export const SignatureCheck = z.object({
  /** The signature: its manifest digest in a layout/registry, else the digest of the envelope or bundle file. */
  digest: Digest,
  format: SignatureFormat,
  verdict: SignatureVerdict,
  /** The signing certificate's subject DN (or the key's fingerprint for key-signed bundles); null when unreadable. */
  signer: z.string().nullable(),
  reason: z.string().nullable(),
  /** The trust-store entry the chain (or key) ends in, when verified. */
  trustedBy: z.string().nullable().optional(),
  /** Signing time claimed by the signer (ISO 8601), when the envelope carries one. */
  signedAt: z.string().nullable().optional(),
  /** Time proven by a trusted timestamp (RFC 3161 genTime or a transparency log), when there is one. */
  timestampedAt: z.string().nullable().optional(),
});
export type SignatureCheck = z.infer<typeof SignatureCheck>;

/** An artifact is `verified` when at least one of its signatures verifies; the others are still listed. */
export const ArtifactVerification = z.object({
  artifact: Digest,
  verdict: ArtifactVerdict,
  signatures: z.array(SignatureCheck),
});
export type ArtifactVerification = z.infer<typeof ArtifactVerification>;

/** Types of trust-store entries (`trust add --type`). */
export const TrustEntryType = z.enum([
  'ca',
  'tsa',
  'signingAuthority',
  'sigstore-key',
  'sigstore-root',
]);
export type TrustEntryType = z.infer<typeof TrustEntryType>;

/** Notary trust policy levels: strict refuses, audit records and warns, skip does nothing. */
export const TrustLevel = z.enum(['strict', 'audit', 'skip']);
export type TrustLevel = z.infer<typeof TrustLevel>;

/** What the artifact is, as the store knows it. */
export const TrustedArtifactKind = z.enum(['package', 'component', 'image']);
export type TrustedArtifactKind = z.infer<typeof TrustedArtifactKind>;

/**
 * The stored verification result of one package version, compose component or image, as
 * `catalog show --json` (`signatures`), the catalog badge, the app detail and the deploy review
 * show it. Re-evaluated whenever trust entries or policies change.
 */
export const ArtifactTrust = z.object({
  artifact: Digest,
  kind: TrustedArtifactKind,
  /** The package id@version, the component name@revision, or the image reference. */
  name: z.string(),
  /** The format of the signature that decided the verdict; null when unsigned. */
  format: SignatureFormat.nullable(),
  verdict: ArtifactVerdict,
  signer: z.string().nullable(),
  trustedBy: z.string().nullable(),
  signedAt: z.string().nullable(),
  timestampedAt: z.string().nullable().optional(),
  reason: z.string().nullable(),
  /** The policy that applies to the artifact and what it requires. */
  policy: z.object({ scope: z.string().nullable(), level: TrustLevel }),
  /** Every signature found, verified or not. */
  signatures: z.array(SignatureCheck).optional(),
});
export type ArtifactTrust = z.infer<typeof ArtifactTrust>;

import type {
  ArtifactTrust,
  ArtifactVerdict,
  SignatureFormat,
  TrustedArtifactKind,
} from '../contract/trust';
import { LEVEL_WORDS } from '../contract/trust-store';

/**
 * Signature verdicts and the trust policy in words for people, the same on every face: the
 * catalog badge, the app detail, the deploy review, the CLI's text and the refusal a deploy
 * gets. Pure: no Node, no DOM.
 */

export const VERDICT_WORDS: Record<ArtifactVerdict, string> = {
  verified: 'Signed',
  unsigned: 'Unsigned',
  invalid: 'Signature invalid',
};

export const FORMAT_WORDS: Record<SignatureFormat, string> = {
  jws: 'Notary Project signature (JWS)',
  cose: 'Notary Project signature (COSE)',
  sigstore: 'Sigstore bundle',
};

const KIND_WORDS: Record<TrustedArtifactKind, string> = {
  package: 'package',
  component: 'component',
  image: 'image',
};

/** "package org-acme-line@1.0.0", "image registry.local/acme/web:1.2". */
export function artifactWords(artifact: Pick<ArtifactTrust, 'kind' | 'name'>): string {
  return `${KIND_WORDS[artifact.kind]} ${artifact.name}`;
}

/** "the policy for *", or the default one when no scope covers the artifact. */
export function scopeWords(policy: ArtifactTrust['policy']): string {
  return policy.scope === null ? 'the default policy' : `the policy for ${policy.scope}`;
}

/** "Refuse unsigned or invalid (policy for *)". */
export function policyWords(policy: ArtifactTrust['policy']): string {
  const level = LEVEL_WORDS[policy.level];
  return policy.scope === null
    ? `${level} (default policy)`
    : `${level} (policy for ${policy.scope})`;
}

/** The check that failed, as the verifier said it, or that there is no signature at all. */
export function failedCheck(artifact: Pick<ArtifactTrust, 'verdict' | 'reason'>): string {
  if (artifact.reason) return artifact.reason;
  return artifact.verdict === 'unsigned' ? 'it is not signed' : 'its signature did not verify';
}

/** The artifacts a strict policy refuses: not verified where verification is required. */
export function refusedByPolicy(signatures: readonly ArtifactTrust[]): ArtifactTrust[] {
  return signatures.filter((s) => s.policy.level === 'strict' && s.verdict !== 'verified');
}

/** The artifacts an audit policy lets through although they are not verified: warned about. */
export function auditedUnverified(signatures: readonly ArtifactTrust[]): ArtifactTrust[] {
  return signatures.filter((s) => s.policy.level === 'audit' && s.verdict !== 'verified');
}

/** "image x:1: it is not signed, and the policy for * refuses unsigned or invalid artifacts". */
export function refusalReason(artifact: ArtifactTrust): string {
  return `${artifactWords(artifact)}: ${failedCheck(artifact)}, and ${scopeWords(artifact.policy)} refuses unsigned or invalid artifacts`;
}

/** Why a device does not get a deployment the trust policy refuses, and what to do. */
export function signatureRefusalMessage(device: string, refused: readonly ArtifactTrust[]): string {
  const lines = refused.map((a) => `  ${refusalReason(a)}`);
  return [
    `the trust policy refuses what would be sent to ${device}, so nothing changed on it:`,
    ...lines,
    'import a kit whose signatures verify against the trust store, or change the policy',
  ].join('\n');
}

/** What an audit policy says of an artifact it lets through unverified. */
export function auditWarning(artifact: ArtifactTrust): string {
  return `${artifactWords(artifact)}: ${failedCheck(artifact)}; ${scopeWords(artifact.policy)} only warns, so it is sent anyway`;
}

/** "sha256:0123456789ab…": enough to tell digests apart on a details line. */
export function shortDigest(digest: string): string {
  return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}

/** The text with each full digest in it shortened (an image pinned by digest, in a headline). */
export function shortDigests(text: string): string {
  return text.replace(/sha256:[0-9a-f]{64}/g, shortDigest);
}

import type {
  ArtifactTrust,
  SignatureCheck,
  TrustedArtifactKind,
} from '../../../shared/contract/trust';
import type { Descriptor } from '../../../shared/oci/descriptors';
import type { NotarySignatureRef } from '../signatures/notary/layout-signatures';
import { verifyNotaryEnvelope } from '../signatures/notary/verify-envelope';
import { NOTARY } from '../signatures/notary/notary-names';
import type { Store } from '../store/store';
import type { NotaryTrust } from '../signatures/notary-trust';
import type { TrustLevel } from '../../../shared/contract/trust';
import { laptopNotaryTrust } from './laptop-trust';
import { policyFor, type PolicySubject } from './trust-policy';
import { trustVersion } from './trust-version';

/** A package, component or image, as its signatures name it. */
export interface ArtifactToJudge {
  kind: TrustedArtifactKind;
  /** `id@version`, or the component's or image's reference. */
  name: string;
  subject: Pick<Descriptor, 'mediaType' | 'digest' | 'size'>;
}

/** The artifact's signatures and a way to read their envelopes (staging or the store). */
export interface FoundSignatures {
  refs: readonly NotarySignatureRef[];
  readBlob(digest: string): Buffer;
}

/** Envelopes are a few KiB (a chain and a timestamp); anything far larger is not one. */
const MAX_ENVELOPE_BYTES = 4 * 1024 * 1024;

export const NOT_SIGNED = 'it is not signed';

/** The policy that applies in a context, and what its signatures are checked against. */
export interface AppliedPolicy {
  scope: string | null;
  level: TrustLevel;
  trust: NotaryTrust;
}

/**
 * Looks policies up once per context for a whole check (a kit of 1,000 packages asks for the
 * same few). Under `skip` the signatures are still checked, against the whole laptop trust
 * store, so the faces can show who signed what; the level says that nothing was required.
 */
export function policyLookup(store: Store): (context: PolicySubject) => AppliedPolicy {
  const seen = new Map<string, AppliedPolicy>();
  let laptop: NotaryTrust | undefined;
  return (context) => {
    const key = JSON.stringify([
      context.appId,
      [context.organization ?? []].flat(),
      context.repository,
    ]);
    let applied = seen.get(key);
    if (!applied) {
      const policy = policyFor(store, context);
      applied = {
        scope: policy.scope,
        level: policy.level,
        trust: policy.level === 'skip' ? (laptop ??= laptopNotaryTrust(store)) : policy.notary,
      };
      seen.set(key, applied);
    }
    return applied;
  };
}

/**
 * The verdict on one artifact under the policy that applies to it. Every signature is checked
 * (the artifact is verified when one of them verifies).
 */
export function judgeArtifact(
  policies: (context: PolicySubject) => AppliedPolicy,
  artifact: ArtifactToJudge,
  context: PolicySubject,
  found: FoundSignatures,
  now = new Date(),
): ArtifactTrust {
  const policy = policies(context);
  const trust = policy.trust;
  const signatures = found.refs.map((ref): SignatureCheck => {
    const invalid = (reason: string): SignatureCheck => ({
      digest: ref.manifestDigest,
      format: ref.envelope?.mediaType === NOTARY.coseMediaType ? 'cose' : 'jws',
      verdict: 'invalid',
      signer: null,
      reason,
    });
    if (!ref.envelope) return invalid(ref.problem ?? 'the signature holds no envelope');
    if (ref.envelope.size > MAX_ENVELOPE_BYTES)
      return invalid(`the signature envelope is larger than ${MAX_ENVELOPE_BYTES} bytes`);
    let envelope: Buffer;
    try {
      envelope = found.readBlob(ref.envelope.digest);
    } catch {
      return invalid('the signature envelope cannot be read');
    }
    return verifyNotaryEnvelope({
      envelope,
      mediaType: ref.envelope.mediaType,
      target: artifact.subject,
      trust,
      now,
      digest: ref.manifestDigest,
    });
  });
  const decider =
    signatures.find((s) => s.verdict === 'verified') ?? signatures.find((s) => s.reason !== null);
  const verdict =
    signatures.length === 0 ? 'unsigned' : decider?.verdict === 'verified' ? 'verified' : 'invalid';
  return {
    artifact: artifact.subject.digest,
    kind: artifact.kind,
    name: artifact.name,
    format: decider?.format ?? null,
    verdict,
    signer: decider?.signer ?? null,
    trustedBy: decider?.trustedBy ?? null,
    signedAt: decider?.signedAt ?? null,
    timestampedAt: decider?.timestampedAt ?? null,
    reason:
      verdict === 'unsigned'
        ? NOT_SIGNED
        : verdict === 'verified'
          ? null
          : (decider?.reason ?? null),
    policy: { scope: policy.scope, level: policy.level },
    signatures,
  };
}

/** The application an artifact comes with, whose policy applies to it. */
export interface ArtifactOwner {
  id: string;
  /** Its organizations (a policy may name any of them). */
  organizations: readonly string[];
}

/**
 * The verdict on an artifact under the policy that applies to it through its owner (the
 * application id and every organization of its description, in one policy decision, as deploy
 * asks too) and its repository. Returns the organizations it was judged under, for the record.
 */
export function judgeForOwner(
  policies: (context: PolicySubject) => AppliedPolicy,
  artifact: ArtifactToJudge,
  owner: ArtifactOwner | undefined,
  repository: string | null,
  found: FoundSignatures,
  now = new Date(),
): { result: ArtifactTrust; organization: string | null } {
  const organizations = owner?.organizations ?? [];
  const context: PolicySubject = {
    ...(owner ? { appId: owner.id } : {}),
    ...(organizations.length > 0 ? { organization: organizations } : {}),
    ...(repository ? { repository } : {}),
  };
  return {
    result: judgeArtifact(policies, artifact, context, found, now),
    organization: organizations.length > 0 ? organizations.join(', ') : null,
  };
}

/** The trust version as stored beside a verdict (text, whatever type the trust store uses). */
export function currentTrustVersion(store: Store): string {
  return String(trustVersion(store));
}

const LEVEL_RANK: Record<TrustLevel, number> = { skip: 0, audit: 1, strict: 2 };

/** Under a stricter level; at the same level, a worse verdict (so a refusal is not hidden). */
export function stricter(a: ArtifactTrust, b: ArtifactTrust): boolean {
  const byLevel = LEVEL_RANK[a.policy.level] - LEVEL_RANK[b.policy.level];
  if (byLevel !== 0) return byLevel > 0;
  return a.verdict !== 'verified' && b.verdict === 'verified';
}

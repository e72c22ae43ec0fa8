import type { Bundle } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import {
  toSignedEntity,
  Verifier,
  type SignedEntity,
  type TrustMaterial,
  type VerificationPolicy,
} from '@sigstore/verify';
import type { ArtifactVerification, SignatureCheck } from '../../../../shared/contract/trust';
import { sha256Digest } from '../../store/content-digest';
import { artifactMismatch, statedDigest } from './artifact-binding';
import { readBundle } from './bundle-reading';
import { failureDepth, failureReason } from './failure-reason';
import {
  keyFinder,
  readProvisionedKey,
  type ProvisionedKey,
  type UsableKey,
} from './provisioned-keys';
import { readTrustedRoot, type CheckedTrustedRoot } from './trusted-root';
import { thresholdsFor, type VerificationThresholds } from './verification-thresholds';

export interface SigstoreBundleInput {
  bundle: Buffer;
  /** Absent: verify without the artifact (only DSSE bundles can be; the digest is the bundle's). */
  artifact?: Buffer;
  /** For key-signed bundles. */
  keys?: ProvisionedKey[];
  /** Provisioned `trusted_root.json` documents (parsed JSON), for certificates, logs and timestamps. */
  trustedRoots?: { name: string; json: unknown }[];
  /** Required certificate identity (subject alternative name), exactly. */
  identity?: string;
  /** Required OIDC issuer of the certificate, exactly. */
  issuer?: string;
  /** How the signature is named in the result: the bundle file's digest, or its manifest's. */
  digest: string;
}

/**
 * Verifies one Sigstore bundle fully offline with @sigstore/verify: against the provisioned
 * keys and trusted roots only, never TUF or any service. Never throws for a bad bundle, key
 * or root: the result is `invalid` with the reason in one sentence. `thresholds` overrides
 * the evidence the provisioned trust requires (see verification-thresholds.ts); `onRawError`
 * receives the library's error behind a reason, for --debug.
 */
export async function verifySigstoreBundle(
  input: SigstoreBundleInput,
  thresholds?: Partial<VerificationThresholds>,
  onRawError?: (error: unknown) => void,
): Promise<ArtifactVerification> {
  const read = readBundle(input.bundle);
  if (!read.ok)
    return invalid(
      input.artifact ? sha256Digest(input.artifact) : input.digest,
      input.digest,
      read.reason,
    );
  const bundle = read.bundle;
  const artifact = input.artifact
    ? sha256Digest(input.artifact)
    : (statedDigest(bundle) ?? input.digest);
  const refuse = (reason: string, signer: string | null = certificateIdentity(bundle)) =>
    invalid(artifact, input.digest, reason, signer);
  try {
    return verifyRead(bundle, input, artifact, refuse, thresholds, onRawError);
  } catch (e) {
    onRawError?.(e);
    return refuse('the bundle could not be checked: part of it is malformed');
  }
}

function verifyRead(
  bundle: Bundle,
  input: SigstoreBundleInput,
  artifact: string,
  refuse: (reason: string, signer?: string | null) => ArtifactVerification,
  thresholds: Partial<VerificationThresholds> | undefined,
  onRawError: ((error: unknown) => void) | undefined,
): ArtifactVerification {
  if (input.artifact) {
    const mismatch = artifactMismatch(bundle, input.artifact);
    if (mismatch) return refuse(mismatch);
  } else if (bundle.content.$case === 'messageSignature') {
    return refuse(
      "the bundle signs the artifact's bytes, so it cannot be verified without the artifact",
    );
  }

  const keySigned = bundle.verificationMaterial.content.$case === 'publicKey';
  let keys: (UsableKey | null)[] = [null];
  if (keySigned) {
    if (input.identity || input.issuer)
      return refuse(
        'the bundle is signed with a key, not a certificate, so it has no identity to match',
      );
    const provisioned = input.keys ?? [];
    if (provisioned.length === 0)
      return refuse(
        'the bundle is signed with a key, and no Sigstore key was provided to check it',
      );
    const readings = provisioned.map(readProvisionedKey);
    const usable = readings.flatMap((r) => (r.ok ? [r.key] : []));
    const broken = readings.find((r) => !r.ok);
    if (usable.length === 0 && broken && !broken.ok) return refuse(broken.reason);
    keys = usable;
  }

  const rootReadings = (input.trustedRoots ?? []).map((r) => readTrustedRoot(r.name, r.json));
  const roots = rootReadings.flatMap((r) => (r.ok ? [r.root] : []));
  const brokenRoot = rootReadings.find((r) => !r.ok);
  if (roots.length === 0 && brokenRoot && !brokenRoot.ok) return refuse(brokenRoot.reason);
  if (!keySigned && roots.length === 0)
    return refuse(
      'the bundle is signed with a certificate, and no trusted root was provided to check it',
    );

  const entity = toSignedEntity(bundle, input.artifact);
  if (keySigned) {
    // The key hint is opaque, so the key is the one the signature verifies with.
    keys = keys.filter((k) => k !== null && entity.signature.verifySignature(k.key));
    if (keys.length === 0) {
      const names = (input.keys ?? []).map((k) => k.name).join(', ');
      return refuse(
        (input.keys ?? []).length === 1
          ? `the signature does not verify with the key ${names}`
          : `the signature does not verify with any of the keys ${names}`,
        null,
      );
    }
  }

  const policy = identityPolicy(input);
  const failures: unknown[] = [];
  for (const root of roots.length > 0 ? roots : [null]) {
    for (const key of keys) {
      const attempt = evidenceFor(entity, root);
      const required = { ...thresholdsFor(root?.contents ?? null, !keySigned), ...thresholds };
      if (!keySigned) required.timestamp = Math.max(required.timestamp, 1);
      if (key && attempt.timestamps.length === 0 && !key.validAt(new Date())) {
        failures.push(new KeyExpiredNow());
        continue;
      }
      try {
        const signer = new Verifier(trustMaterial(root, key), {
          tlogThreshold: required.tlog,
          timestampThreshold: required.timestamp,
          ctlogThreshold: required.ctlog,
        }).verify(attempt, policy);
        const time = earliestTimestamp(attempt);
        return {
          artifact,
          verdict: 'verified',
          signatures: [
            {
              digest: input.digest,
              format: 'sigstore',
              verdict: 'verified',
              signer: key ? `key ${key.name}` : (signer.identity?.subjectAlternativeName ?? null),
              reason: null,
              trustedBy: key ? key.name : (root?.name ?? null),
              signedAt: time,
              timestampedAt: time,
            },
          ],
        };
      } catch (e) {
        failures.push(e);
      }
    }
  }
  const deepest = failures.reduce((a, b) => (failureDepth(b) > failureDepth(a) ? b : a));
  if (deepest instanceof KeyExpiredNow) return refuse(deepest.message, null);
  onRawError?.(deepest);
  return refuse(failureReason(deepest), keySigned ? null : undefined);
}

/** With no trusted timestamp, a key's validity can only be checked now. */
class KeyExpiredNow extends Error {
  constructor() {
    super(
      'the key is not valid now, and the bundle has no trusted timestamp of when it was signed',
    );
  }
}

/**
 * The evidence a trust configuration can check: without a trusted root, none (the key-only
 * model); with one, log entries only if it lists logs and timestamp tokens only if it lists
 * timestamp authorities. Evidence nothing provisioned could vouch for is left out rather than
 * refused; the thresholds say what must be there.
 */
function evidenceFor(entity: SignedEntity, root: CheckedTrustedRoot | null): SignedEntity {
  const logs = root !== null && root.contents.tlogs > 0;
  const tsas = root !== null && root.contents.timestampAuthorities > 0;
  return {
    ...entity,
    tlogEntries: logs ? entity.tlogEntries : [],
    timestamps: entity.timestamps.filter((t) => (t.$case === 'transparency-log' ? logs : tsas)),
  };
}

function trustMaterial(root: CheckedTrustedRoot | null, key: UsableKey | null): TrustMaterial {
  const finder = key ? keyFinder(key) : undefined;
  if (root) return root.material(finder);
  return {
    certificateAuthorities: [],
    timestampAuthorities: [],
    tlogs: [],
    ctlogs: [],
    publicKey:
      finder ??
      (() => {
        throw new Error('no key');
      }),
  };
}

function identityPolicy(input: SigstoreBundleInput): VerificationPolicy | undefined {
  if (!input.identity && !input.issuer) return undefined;
  return {
    ...(input.identity ? { subjectAlternativeName: input.identity } : {}),
    ...(input.issuer ? { extensions: { issuer: input.issuer } } : {}),
  };
}

/** After a successful verify every timestamp left in the entity was verified (tokens) or signed (SET). */
function earliestTimestamp(entity: SignedEntity): string | null {
  const times = entity.timestamps.flatMap((t) => {
    if (t.$case === 'timestamp-authority') return [t.timestamp.signingTime];
    if (!t.tlogEntry.inclusionPromise) return [];
    return [new Date(Number(t.tlogEntry.integratedTime) * 1000)];
  });
  if (times.length === 0) return null;
  return new Date(Math.min(...times.map((d) => d.getTime()))).toISOString();
}

/** The certificate's identity, shown even when verification fails; null for keys or unreadable. */
function certificateIdentity(bundle: Bundle): string | null {
  const content = bundle.verificationMaterial.content;
  const raw =
    content.$case === 'certificate'
      ? content.certificate.rawBytes
      : content.$case === 'x509CertificateChain'
        ? content.x509CertificateChain.certificates[0]?.rawBytes
        : undefined;
  if (!raw) return null;
  try {
    return X509Certificate.parse(Buffer.from(raw)).subjectAltName ?? null;
  } catch {
    return null;
  }
}

function invalid(
  artifact: string,
  digest: string,
  reason: string,
  signer: string | null = null,
): ArtifactVerification {
  const check: SignatureCheck = {
    digest,
    format: 'sigstore',
    verdict: 'invalid',
    signer,
    reason,
  };
  return { artifact, verdict: 'invalid', signatures: [check] };
}

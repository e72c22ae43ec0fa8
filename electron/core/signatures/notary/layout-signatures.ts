import type { ArtifactVerification, SignatureCheck } from '../../../../shared/contract/trust';
import type { Descriptor, ImageManifest } from '../../../../shared/oci/descriptors';
import { MEDIA } from '../../../../shared/oci/media-types';
import type { BlobReader } from '../../kit/blob-reader';
import type { LayoutManifest } from '../../kit/resolve-layout';
import { sha256Digest } from '../../store/content-digest';
import type { NotaryTrust } from '../notary-trust';
import { ENVELOPE_LIMITS, NOTARY } from './notary-names';
import { verifyNotaryEnvelope } from './verify-envelope';

/** A signature manifest found in a layout, for the artifact manifest it is a referrer of. */
export interface NotarySignatureRef {
  manifestDigest: string;
  subjectDigest: string;
  /** The signature manifest's single layer; absent when the manifest is malformed. */
  envelope?: Descriptor;
  /** Why the manifest is malformed, when it is. */
  problem?: string;
}

/**
 * Every Notary signature among a layout's manifests, by the digest of the manifest it signs:
 * manifests whose `subject` is that manifest and whose `artifactType` (OCI 1.1, empty config)
 * or config media type (OCI 1.0) is the Notary signature type. All manifests are looked at, not
 * only those a `sha256-<hex>` tag-schema index lists: it may list only some.
 */
export function notarySignaturesIn(
  manifests: Map<string, LayoutManifest>,
): Map<string, NotarySignatureRef[]> {
  const found = new Map<string, NotarySignatureRef[]>();
  for (const entry of manifests.values()) {
    if (entry.kind === 'index') continue;
    const manifest = entry.manifest as ImageManifest;
    const subject = manifest.subject;
    if (!subject) continue;
    const modern = manifest.artifactType === NOTARY.signatureArtifactType;
    const legacy = manifest.config.mediaType === NOTARY.signatureArtifactType;
    if (!modern && !legacy) continue;
    const ref: NotarySignatureRef = {
      manifestDigest: entry.digest,
      subjectDigest: subject.digest,
    };
    if (modern && !legacy && manifest.config.mediaType !== MEDIA.ociEmpty) {
      ref.problem = `the signature manifest's config is ${manifest.config.mediaType}, not the empty config a Notary signature has`;
    } else if (manifest.layers.length !== 1) {
      ref.problem = `the signature manifest has ${manifest.layers.length} layers instead of the one envelope`;
    } else {
      ref.envelope = manifest.layers[0];
    }
    const list = found.get(subject.digest) ?? [];
    list.push(ref);
    found.set(subject.digest, list);
  }
  return found;
}

/**
 * Verifies every signature of one artifact. The artifact is `verified` when at least one
 * signature verifies (the others are still reported), `unsigned` without any, else `invalid`.
 */
export async function verifyLayoutArtifact(
  subject: Descriptor,
  refs: NotarySignatureRef[],
  reader: BlobReader,
  trust: NotaryTrust,
  now?: Date,
): Promise<ArtifactVerification> {
  const signatures: SignatureCheck[] = [];
  for (const ref of refs) signatures.push(await verifyRef(subject, ref, reader, trust, now));
  return {
    artifact: subject.digest,
    verdict:
      refs.length === 0
        ? 'unsigned'
        : signatures.some((s) => s.verdict === 'verified')
          ? 'verified'
          : 'invalid',
    signatures,
  };
}

async function verifyRef(
  subject: Descriptor,
  ref: NotarySignatureRef,
  reader: BlobReader,
  trust: NotaryTrust,
  now: Date | undefined,
): Promise<SignatureCheck> {
  const invalid = (reason: string): SignatureCheck => ({
    digest: ref.manifestDigest,
    format: ref.envelope?.mediaType === NOTARY.coseMediaType ? 'cose' : 'jws',
    verdict: 'invalid',
    signer: null,
    reason,
  });
  const descriptor = ref.envelope;
  if (!descriptor) return invalid(ref.problem ?? 'the signature manifest is malformed');
  if (descriptor.size > ENVELOPE_LIMITS.maxEnvelopeBytes)
    return invalid(
      `the signature envelope is larger than ${ENVELOPE_LIMITS.maxEnvelopeBytes} bytes, which no genuine signature is`,
    );
  if (reader.size(descriptor.digest) === undefined)
    return invalid(`the signature envelope ${descriptor.digest} is missing from the layout`);
  let bytes: Buffer;
  try {
    bytes = await reader.readSmall(descriptor.digest, ENVELOPE_LIMITS.maxEnvelopeBytes);
  } catch {
    return invalid(`the signature envelope ${descriptor.digest} cannot be read`);
  }
  // resolveLayout hashes manifests only; the envelope is checked here, before it is believed.
  if (bytes.length !== descriptor.size || sha256Digest(bytes) !== descriptor.digest)
    return invalid(
      `the signature envelope does not match its digest ${descriptor.digest}: the layout was altered`,
    );
  return verifyNotaryEnvelope({
    envelope: bytes,
    mediaType: descriptor.mediaType,
    target: subject,
    trust,
    ...(now ? { now } : {}),
    digest: ref.manifestDigest,
  });
}

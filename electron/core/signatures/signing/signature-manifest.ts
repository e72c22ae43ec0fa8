import { createHash, type X509Certificate } from 'node:crypto';
import type { Descriptor } from '../../../../shared/oci/descriptors';
import { EMPTY_CONFIG, MEDIA } from '../../../../shared/oci/media-types';
import { NOTARY } from '../notary/notary-names';
import type { SignedTarget } from './jws-signer';

/**
 * The OCI 1.1 referrer that carries a Notary Project signature: artifactType
 * `application/vnd.cncf.notary.signature`, the empty config, one layer (the envelope) and the
 * signed manifest as `subject`. The chain's thumbprints let a registry UI or `notation ls`
 * tell signers apart without opening the envelope.
 */
export function signatureManifest(
  subject: SignedTarget,
  envelope: { mediaType: string; digest: string; size: number },
  chain: readonly X509Certificate[],
): object {
  return {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    artifactType: NOTARY.signatureArtifactType,
    config: {
      mediaType: EMPTY_CONFIG.mediaType,
      digest: EMPTY_CONFIG.digest,
      size: EMPTY_CONFIG.size,
    },
    layers: [envelope],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      [NOTARY.thumbprintAnnotation]: JSON.stringify(
        chain.map((c) => createHash('sha256').update(c.raw).digest('hex')),
      ),
    },
  } satisfies { subject: Descriptor } & Record<string, unknown>;
}

import type { Descriptor } from '../../../../shared/oci/descriptors';
import { NOTARY } from '../notary/notary-names';
import { signJwsEnvelope, type SignedTarget } from './jws-signer';
import { signatureManifest } from './signature-manifest';
import type { SigningIdentity } from './signing-identity';

/** Where signatures are written: the layout being packed. */
export interface SignatureSink {
  addBytes(bytes: Buffer | string): Promise<{ digest: string; size: number }>;
  addManifest(
    manifest: object,
    refName: string | undefined,
    extra?: Partial<Descriptor>,
  ): Promise<Descriptor>;
  /** Lists a manifest in index.json without a name (referrers are found by their subject). */
  listUnnamed(descriptor: Descriptor): void;
}

/**
 * Signs each artifact (package, component, image manifest or index) and writes the signature
 * beside it as a referrer listed in index.json. Returns the signature manifest of each target,
 * in order.
 */
export async function signArtifacts(
  sink: SignatureSink,
  targets: readonly SignedTarget[],
  identity: SigningIdentity,
  signingAgent: string,
  now = new Date(),
): Promise<Descriptor[]> {
  const signatures: Descriptor[] = [];
  await sink.addBytes('{}');
  for (const target of targets) {
    const envelope = await sink.addBytes(signJwsEnvelope(target, identity, now, signingAgent));
    const manifest = signatureManifest(
      target,
      { mediaType: NOTARY.jwsMediaType, ...envelope },
      identity.chain,
    );
    const descriptor = await sink.addManifest(manifest, undefined, {
      artifactType: NOTARY.signatureArtifactType,
    });
    sink.listUnnamed(descriptor);
    signatures.push(descriptor);
  }
  return signatures;
}

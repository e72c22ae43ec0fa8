import { constants, sign } from 'node:crypto';
import type { Descriptor } from '../../../../shared/oci/descriptors';
import { NOTARY } from '../notary/notary-names';
import type { JwsAlgorithm, SigningIdentity } from './signing-identity';

const HASH: Record<JwsAlgorithm, 'sha256' | 'sha384' | 'sha512'> = {
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
};
const SALT_LENGTH = { sha256: 32, sha384: 48, sha512: 64 } as const;

/** The descriptor a signature vouches for: exactly what a verifier compares. */
export type SignedTarget = Pick<Descriptor, 'mediaType' | 'digest' | 'size'>;

/**
 * A Notary Project JWS envelope (flattened JSON serialization, scheme `notary.x509`) over the
 * payload `{"targetArtifact": target}`: the protected header carries the algorithm, the
 * signing scheme (critical) and the signing time; the unprotected header the certificate chain
 * and the signing agent. Segments are base64url without padding, as the specification
 * demands. RSA signs with PSS (salt = hash length), ECDSA in raw r‖s form.
 */
export function signJwsEnvelope(
  target: SignedTarget,
  identity: SigningIdentity,
  signingTime: Date,
  signingAgent: string,
): Buffer {
  const hash = HASH[identity.alg];
  const protectedHeader = {
    alg: identity.alg,
    crit: ['io.cncf.notary.signingScheme'],
    cty: NOTARY.payloadContentType,
    'io.cncf.notary.signingScheme': 'notary.x509',
    // RFC 3339 in whole seconds, as notation writes it.
    'io.cncf.notary.signingTime': signingTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const payload = {
    targetArtifact: { mediaType: target.mediaType, digest: target.digest, size: target.size },
  };
  const protectedSegment = base64url(JSON.stringify(protectedHeader));
  const payloadSegment = base64url(JSON.stringify(payload));
  const input = Buffer.from(`${protectedSegment}.${payloadSegment}`, 'ascii');
  const signature = identity.alg.startsWith('PS')
    ? sign(hash, input, {
        key: identity.key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: SALT_LENGTH[hash],
      })
    : sign(hash, input, { key: identity.key, dsaEncoding: 'ieee-p1363' });
  const envelope = {
    payload: payloadSegment,
    protected: protectedSegment,
    header: {
      x5c: identity.chain.map((c) => c.raw.toString('base64')),
      'io.cncf.notary.signingAgent': signingAgent,
    },
    signature: base64url(signature),
  };
  return Buffer.from(JSON.stringify(envelope));
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

import { constants, verify, type KeyObject, type X509Certificate } from 'node:crypto';
import type { NotaryAlgorithm } from './parsed-envelope';

const RSA_BY_BITS = new Map<number, NotaryAlgorithm>([
  [2048, 'PS256'],
  [3072, 'PS384'],
  [4096, 'PS512'],
]);
const EC_BY_CURVE = new Map<string, NotaryAlgorithm>([
  ['prime256v1', 'ES256'],
  ['secp384r1', 'ES384'],
  ['secp521r1', 'ES512'],
]);
const HASH: Record<NotaryAlgorithm, string> = {
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
};
const HASH_BYTES: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };
/** Length of r‖s for each curve. */
const EC_SIGNATURE_BYTES: Partial<Record<NotaryAlgorithm, number>> = {
  ES256: 64,
  ES384: 96,
  ES512: 132,
};

/**
 * The one algorithm the Notary specification allows for a signing key (RSA 2048/3072/4096 →
 * PS256/384/512, P-256/384/521 → ES256/384/512), or a sentence saying why the key is not allowed.
 */
export function algorithmForKey(key: KeyObject): { alg: NotaryAlgorithm } | { problem: string } {
  const details = key.asymmetricKeyDetails ?? {};
  let alg: NotaryAlgorithm | undefined;
  let what: string;
  if (key.asymmetricKeyType === 'rsa') {
    alg = RSA_BY_BITS.get(details.modulusLength ?? 0);
    what = `an RSA-${details.modulusLength} key`;
  } else if (key.asymmetricKeyType === 'ec') {
    alg = EC_BY_CURVE.get(details.namedCurve ?? '');
    what = `an elliptic-curve key on ${details.namedCurve}`;
  } else {
    what = `a ${key.asymmetricKeyType ?? 'unknown'} key`;
  }
  return alg
    ? { alg }
    : {
        problem: `the signing certificate has ${what}, which Notary Project signatures do not use`,
      };
}

/** Checks `signature` over `input` with the leaf certificate's key, RSASSA-PSS (salt = hash length) or raw r‖s ECDSA. */
export function signatureMatches(
  alg: NotaryAlgorithm,
  leaf: X509Certificate,
  input: Buffer,
  signature: Buffer,
): boolean {
  const hash = HASH[alg];
  try {
    if (alg.startsWith('PS')) {
      return verify(
        hash,
        input,
        {
          key: leaf.publicKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: HASH_BYTES[hash],
        },
        signature,
      );
    }
    if (signature.length !== EC_SIGNATURE_BYTES[alg]) return false;
    return verify(hash, input, { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

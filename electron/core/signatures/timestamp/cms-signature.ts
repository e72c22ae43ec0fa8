import { constants, verify, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { SignatureProblem } from '../signature-problem';
import { derChildren, derElementAt, derBytes } from '../x509/der-elements';
import type { SignerParts } from './cms-signed-data';
import { digestName, type DigestName } from './digest-algorithms';
import { integerValue } from './cms-signed-data';

// CMS names either the bare key algorithm (the hash is then the SignerInfo's digest algorithm)
// or a combined signature algorithm.
const RSA_PKCS1: Record<string, DigestName | 'signer'> = {
  '1.2.840.113549.1.1.1': 'signer',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};
const ECDSA: Record<string, DigestName | 'signer'> = {
  '1.2.840.10045.2.1': 'signer',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};
const RSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.8';

/**
 * Whether the signer's signature over `data` verifies with `key` (RSA PKCS#1 v1.5, RSA-PSS or
 * ECDSA in DER form, as CMS encodes it). An algorithm outside these is a SignatureProblem.
 */
export function verifyCmsSignature(signer: SignerParts, key: KeyObject, data: Buffer): boolean {
  const signerDigest = (): DigestName =>
    digestName(signer.digestAlgorithm, "the timestamp's signature");
  const algorithm = signer.signatureAlgorithm;
  try {
    if (algorithm in RSA_PKCS1) {
      const hash =
        RSA_PKCS1[algorithm] === 'signer' ? signerDigest() : (RSA_PKCS1[algorithm] as DigestName);
      return (
        isRsa(key) &&
        verify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signer.signature)
      );
    }
    if (algorithm in ECDSA) {
      const hash =
        ECDSA[algorithm] === 'signer' ? signerDigest() : (ECDSA[algorithm] as DigestName);
      return (
        key.asymmetricKeyType === 'ec' &&
        verify(hash, data, { key, dsaEncoding: 'der' }, signer.signature)
      );
    }
    if (algorithm === RSA_PSS) {
      const { hash, saltLength } = pssParameters(signer.signatureParametersDer);
      return (
        isRsa(key) &&
        verify(
          hash,
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
          signer.signature,
        )
      );
    }
  } catch (error) {
    if (error instanceof SignatureProblem) throw error;
    // OpenSSL refuses malformed signatures or mismatched keys by throwing: that is a failed check.
    return false;
  }
  throw new SignatureProblem(
    `the timestamp is signed with an algorithm that is not accepted (${algorithm}; accepted: RSA, RSA-PSS, ECDSA)`,
  );
}

function isRsa(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
}

/**
 * RSASSA-PSS-params (RFC 4055 3.1). The defaults are SHA-1, which is refused, so the hash must be
 * given; node:crypto uses the same hash for MGF1, so a different MGF1 hash is refused too.
 */
function pssParameters(der: Buffer | undefined): { hash: DigestName; saltLength: number } {
  const unreadable = new SignatureProblem(
    "the timestamp's RSA-PSS signature parameters cannot be read or use SHA-1",
  );
  if (!der) throw unreadable;
  const what = 'RSA-PSS parameters';
  let hash: DigestName | undefined;
  let mgfHash: DigestName | undefined;
  let saltLength = 20;
  for (const field of derChildren(der, derElementAt(der, 0, what), what)) {
    const inner = derChildren(der, field, what)[0];
    if (!inner) throw unreadable;
    const bytes = derBytes(der, inner);
    if (field.tag === 0xa0) {
      hash = digestName(
        AsnConvert.parse(bytes, AlgorithmIdentifier).algorithm,
        "the timestamp's RSA-PSS signature",
      );
    } else if (field.tag === 0xa1) {
      const mask = AsnConvert.parse(bytes, AlgorithmIdentifier);
      if (mask.algorithm !== MGF1 || !mask.parameters) throw unreadable;
      mgfHash = digestName(
        AsnConvert.parse(mask.parameters, AlgorithmIdentifier).algorithm,
        "the timestamp's RSA-PSS signature",
      );
    } else if (field.tag === 0xa2) {
      saltLength = Number(integerValue(der.subarray(inner.contentStart, inner.end)));
    }
  }
  if (!hash || mgfHash !== hash || saltLength < 0) throw unreadable;
  return { hash, saltLength };
}

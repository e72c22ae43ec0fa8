import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { SignatureProblem } from '../signature-problem';
import { derChildren, derElementAt, derBytes } from '../x509/der-elements';
import { digestName } from './digest-algorithms';

export const SIGNING_CERTIFICATE = '1.2.840.113549.1.9.16.2.12';
export const SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';

const WHAT = "timestamp's signing-certificate attribute";

/**
 * Whether the ESS signing-certificate attribute (RFC 2634 / RFC 5035) binds the signature to
 * `certificateDer`: the first ESSCertID is the signer's, and its hash must be the hash of that
 * certificate. Without this binding a TSA's signature could be presented with another
 * certificate holding the same key.
 */
export function signingCertificateMatches(
  value: Buffer,
  version: 1 | 2,
  certificateDer: Buffer,
): boolean {
  const unreadable = new SignatureProblem(`the ${WHAT} cannot be read`);
  const certs = derChildren(value, derElementAt(value, 0, WHAT), WHAT)[0];
  const first = certs && derChildren(value, certs, WHAT)[0];
  if (!first) throw unreadable;
  const fields = derChildren(value, first, WHAT);
  let hashName = 'sha1';
  let index = 0;
  if (version === 2) {
    hashName = 'sha256';
    const algorithm = fields[0];
    if (algorithm?.tag === 0x30) {
      hashName = digestName(
        AsnConvert.parse(derBytes(value, algorithm), AlgorithmIdentifier).algorithm,
        `the ${WHAT}`,
      );
      index = 1;
    }
  }
  const hash = fields[index];
  if (!hash || hash.tag !== 0x04) throw unreadable;
  const expected = value.subarray(hash.contentStart, hash.end);
  return createHash(hashName).update(certificateDer).digest().equals(expected);
}

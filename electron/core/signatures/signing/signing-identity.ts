import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { CommissionerError } from '../../../../shared/contract/contract-error';

/** JWS algorithms of the Notary Project signature specification, by key type and size. */
export type JwsAlgorithm = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

/** A supplier's signing key with its certificate chain, leaf first, checked to belong together. */
export interface SigningIdentity {
  key: KeyObject;
  chain: X509Certificate[];
  alg: JwsAlgorithm;
}

const MAX_FILE_BYTES = 1024 * 1024;
const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const RSA_ALG: Record<number, JwsAlgorithm> = { 2048: 'PS256', 3072: 'PS384', 4096: 'PS512' };
const EC_ALG: Record<string, JwsAlgorithm> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

/**
 * Reads and checks what `kit pack --sign-key --sign-cert` signs with, before anything is
 * packed: a PEM private key without passphrase of a type the Notary Project allows, a PEM chain
 * whose first certificate is that key's, each certificate issued by the next, the leaf valid
 * now and usable for code signing. Anything else would write signatures no verifier accepts.
 */
export function loadSigningIdentity(
  keyPath: string,
  certPath: string,
  now = new Date(),
): SigningIdentity {
  const key = privateKey(keyPath);
  const chain = certificateChain(certPath);
  const leaf = chain[0] as X509Certificate;
  if (!leaf.checkPrivateKey(key)) {
    throw invalid(
      `the signing key ${basename(keyPath)} does not belong to the first certificate of ${basename(certPath)}: the chain must start with the key's own certificate`,
      'signKey',
    );
  }
  chain.slice(0, -1).forEach((cert, i) => {
    const issuer = chain[i + 1] as X509Certificate;
    if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) {
      throw invalid(
        `certificate ${i + 1} of ${basename(certPath)} is not issued by certificate ${i + 2}: list the chain leaf first, each certificate followed by its issuer`,
        'signCert',
      );
    }
  });
  if (new Date(leaf.validTo) < now || new Date(leaf.validFrom) > now) {
    throw invalid(
      `the signing certificate in ${basename(certPath)} is valid only from ${leaf.validFrom} to ${leaf.validTo}: signatures made now would not verify`,
      'signCert',
    );
  }
  if (leaf.ca) {
    throw invalid(
      `the first certificate of ${basename(certPath)} is a CA certificate: sign with a leaf certificate the CA issued`,
      'signCert',
    );
  }
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes(CODE_SIGNING)) {
    throw invalid(
      `the signing certificate in ${basename(certPath)} is not for code signing (its extended key usage lacks codeSigning): signatures made with it would not verify`,
      'signCert',
    );
  }
  return { key, chain, alg: algorithmOf(key, keyPath) };
}

function algorithmOf(key: KeyObject, keyPath: string): JwsAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  const alg =
    key.asymmetricKeyType === 'rsa'
      ? RSA_ALG[details.modulusLength ?? 0]
      : key.asymmetricKeyType === 'ec'
        ? EC_ALG[details.namedCurve ?? '']
        : undefined;
  if (!alg) {
    throw invalid(
      `the signing key ${basename(keyPath)} is ${describeKey(key)}: Notary Project signatures use RSA 2048, 3072 or 4096 bits, or ECDSA P-256, P-384 or P-521`,
      'signKey',
    );
  }
  return alg;
}

function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return `an RSA key of ${details.modulusLength} bits`;
  if (key.asymmetricKeyType === 'ec') return `an EC key on curve ${details.namedCurve}`;
  return `a key of type ${key.asymmetricKeyType ?? 'unknown'}`;
}

function privateKey(path: string): KeyObject {
  const bytes = readSmallFile(path, 'the signing key', 'signKey');
  try {
    return createPrivateKey(bytes);
  } catch (e) {
    const text = bytes.toString('latin1');
    if (
      (e as { code?: string }).code === 'ERR_MISSING_PASSPHRASE' ||
      /BEGIN ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(text)
    ) {
      throw invalid(
        `the signing key ${basename(path)} is protected by a passphrase: export it without one for packing (and keep that file safe)`,
        'signKey',
      );
    }
    throw invalid(
      /BEGIN CERTIFICATE/.test(text)
        ? `the signing key ${basename(path)} holds a certificate, not a private key: were the files mixed up?`
        : `the signing key ${basename(path)} is not a private key in PEM form`,
      'signKey',
    );
  }
}

function certificateChain(path: string): X509Certificate[] {
  const bytes = readSmallFile(path, 'the signing certificate chain', 'signCert');
  const blocks = bytes.toString('latin1').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    throw invalid(
      `${basename(path)} holds no certificate in PEM form (text starting with -----BEGIN CERTIFICATE-----)`,
      'signCert',
    );
  }
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw invalid(`certificate ${i + 1} of ${basename(path)} is damaged`, 'signCert');
    }
  });
}

/**
 * Key material is small. Not device-key-files' reader: that module brings the SSH library,
 * which packing a kit has no use for.
 */
function readSmallFile(path: string, what: string, field: string): Buffer {
  let size: number;
  try {
    const info = statSync(path);
    if (!info.isFile()) throw invalid(`${what} ${path} is not a file`, field);
    size = info.size;
  } catch (e) {
    if (e instanceof CommissionerError) throw e;
    throw invalid(`${what} ${path} does not exist`, field);
  }
  if (size > MAX_FILE_BYTES) {
    throw invalid(`${what} ${path} is larger than 1 MiB: is it the right file?`, field);
  }
  try {
    return readFileSync(path);
  } catch {
    throw invalid(`${what} ${path} cannot be read: check that you may read it`, field);
  }
}

function invalid(message: string, field: string): CommissionerError<'invalid-input'> {
  return new CommissionerError('invalid-input', message, { field });
}

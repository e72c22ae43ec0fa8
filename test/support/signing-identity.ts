import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';

const run = promisify(execFile);
const DAY_MS = 24 * 60 * 60 * 1000;

/** A supplier's root CA for code signing: what a plant puts in its trust store. */
export interface TestSigningRoot {
  certPem: string;
  keyPem: string;
  /** The root certificate as a PEM file (for `trust add … --type ca`). */
  certPath: string;
  subject: string;
}

/** A signing key and its chain (leaf first, then the root), as `kit pack --sign-*` takes them. */
export interface TestSigner {
  keyPath: string;
  chainPath: string;
  /** The leaf's common name: the signer a verified verdict names. */
  commonName: string;
}

function rsaKeys(modulusLength: number) {
  // Node generates the key (native, fast); node-forge builds and signs the certificates.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    keyPem: privateKey,
  };
}

function serial(): string {
  const bytes = randomBytes(12);
  bytes[0] = (bytes[0] as number) & 0x7f;
  return bytes.toString('hex');
}

/** A root CA (RSA 2048, CA:TRUE, keyCertSign) valid from yesterday for `days`, written to `dir`. */
export function createSigningRoot(dir: string, commonName: string, days = 30): TestSigningRoot {
  const keys = rsaKeys(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + days * DAY_MS);
  const subject = [
    { name: 'organizationName', value: 'Test Supplier' },
    { name: 'commonName', value: commonName },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const certPath = join(dir, `${commonName.replace(/\W+/g, '-')}-root.pem`);
  writeFileSync(certPath, certPem);
  return { certPem, keyPem: keys.keyPem, certPath, subject: `CN=${commonName}` };
}

/**
 * A code-signing leaf (RSA, keyUsage digitalSignature, EKU codeSigning) issued by `root`, with
 * its key and chain files written to `dir`.
 */
export function issueCodeSigningCert(
  root: TestSigningRoot,
  dir: string,
  commonName: string,
  options: { modulusLength?: number; extendedKeyUsage?: 'codeSigning' | 'serverAuth' } = {},
): TestSigner {
  const keys = rsaKeys(options.modulusLength ?? 2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 7 * DAY_MS);
  cert.setSubject([
    { name: 'organizationName', value: 'Test Supplier' },
    { name: 'commonName', value: commonName },
  ]);
  const rootCert = forge.pki.certificateFromPem(root.certPem);
  cert.setIssuer(rootCert.subject.attributes);
  const eku = options.extendedKeyUsage ?? 'codeSigning';
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', [eku]: true },
  ]);
  cert.sign(
    forge.pki.privateKeyFromPem(root.keyPem) as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  return writeSigner(dir, commonName, keys.keyPem, forge.pki.certificateToPem(cert), root);
}

/** An ECDSA code-signing leaf (P-256, P-384 or P-521) issued by `root`: openssl, as forge has no EC. */
export async function issueEcCodeSigningCert(
  root: TestSigningRoot,
  dir: string,
  commonName: string,
  curve: 'prime256v1' | 'secp384r1' | 'secp521r1',
): Promise<TestSigner> {
  const base = join(dir, `${commonName.replace(/\W+/g, '-')}-${randomBytes(3).toString('hex')}`);
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: curve,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  writeFileSync(`${base}.key`, privateKey);
  writeFileSync(`${base}.root.pem`, root.certPem);
  writeFileSync(`${base}.root.key`, root.keyPem);
  writeFileSync(
    `${base}.ext`,
    '[leaf]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n',
  );
  const env = { ...process.env, OPENSSL_CONF: '/dev/null' };
  await run(
    'openssl',
    [
      'req',
      '-new',
      '-key',
      `${base}.key`,
      '-subj',
      `/O=Test Supplier/CN=${commonName}`,
      '-out',
      `${base}.csr`,
    ],
    { env },
  );
  await run(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      `${base}.csr`,
      '-CA',
      `${base}.root.pem`,
      '-CAkey',
      `${base}.root.key`,
      '-set_serial',
      `0x${serial()}`,
      '-days',
      '7',
      '-out',
      `${base}.crt`,
      '-extfile',
      `${base}.ext`,
      '-extensions',
      'leaf',
    ],
    { env },
  );
  return writeSigner(dir, commonName, privateKey, readFileSync(`${base}.crt`, 'utf8'), root);
}

function writeSigner(
  dir: string,
  commonName: string,
  keyPem: string,
  leafPem: string,
  root: TestSigningRoot,
): TestSigner {
  const base = join(dir, `${commonName.replace(/\W+/g, '-')}-${randomBytes(3).toString('hex')}`);
  const keyPath = `${base}.key.pem`;
  const chainPath = `${base}.chain.pem`;
  writeFileSync(keyPath, keyPem, { mode: 0o600 });
  writeFileSync(chainPath, `${leafPem.trim()}\n${root.certPem.trim()}\n`);
  return { keyPath, chainPath, commonName };
}

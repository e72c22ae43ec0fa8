import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface TestCertificate {
  certPem: string;
  keyPem: string;
  /** The certificate in DER form. */
  der: Buffer;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A self-signed certificate for trust-store tests: a CA by default, valid from yesterday for
 * `days` (negative `days` with `startDaysAgo` gives an expired one). Node makes the key;
 * node-forge builds and signs the certificate (openssl cannot backdate without a config).
 */
export function selfSignedCertificate({
  commonName,
  organization = 'Commissioner Tests',
  ca = true,
  days = 30,
  startDaysAgo = 1,
}: {
  commonName: string;
  organization?: string;
  ca?: boolean;
  days?: number;
  startDaysAgo?: number;
}): TestCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const start = Date.now() - startDaysAgo * DAY_MS;
  cert.validity.notBefore = new Date(start);
  cert.validity.notAfter = new Date(start + days * DAY_MS);
  const subject = [
    { name: 'organizationName', value: organization },
    { name: 'commonName', value: commonName },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions(
    ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ]
      : [
          { name: 'basicConstraints', cA: false, critical: true },
          { name: 'keyUsage', digitalSignature: true, critical: true },
          { name: 'extKeyUsage', codeSigning: true },
        ],
  );
  cert.sign(
    forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  const certPem = forge.pki.certificateToPem(cert);
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return { certPem, keyPem: privateKey, der };
}

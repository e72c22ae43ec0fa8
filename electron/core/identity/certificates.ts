import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/** Devices with a clock behind the laptop's still accept what is minted today. */
const BACKDATE_MS = 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface KeyAndCertificate {
  certPem: string;
  keyPem: string;
}

function newKeyPair(): {
  publicKey: forge.pki.PublicKey;
  privateKey: forge.pki.PrivateKey;
  keyPem: string;
} {
  // Node generates the key (native, fast); node-forge only builds and signs the certificate.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    keyPem: privateKey,
  };
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f; // positive, as RFC 5280 asks
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, days: number, now = Date.now()): void {
  cert.validity.notBefore = new Date(now - BACKDATE_MS);
  cert.validity.notAfter = new Date(now + days * DAY_MS);
}

/** The trust domain's certificate authority: signs every SVID of this plant, nothing else. */
export function createCertificateAuthority(trustDomain: string, days = 3650): KeyAndCertificate {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, days);
  const subject = [
    { name: 'organizationName', value: 'Commissioner' },
    { name: 'commonName', value: `Commissioner trust domain ${trustDomain}` },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectAltName', altNames: [{ type: 6, value: `spiffe://${trustDomain}` }] },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

export interface SvidRequest {
  spiffeId: string;
  /** For the subject, so people reading a certificate see what it is. */
  commonName: string;
  /** Host names and IP addresses the WFM answers on (server SVID only). */
  hosts?: readonly string[];
  server: boolean;
  days: number;
  /**
   * An existing key pair (PEM) instead of a new one. Only load simulations use it (hundreds of
   * clients at 0.2 s of RSA key generation each); a real client always gets its own key.
   */
  key?: { publicKeyPem: string; privateKeyPem: string };
}

/**
 * An X.509-SVID signed by the CA: exactly one URI SAN (the SPIFFE ID), not a CA, digital
 * signature; a server SVID also carries the DNS/IP names it is reached by, so clients that
 * check host names (not only SPIFFE IDs) accept it too.
 */
export function mintSvid(ca: KeyAndCertificate, request: SvidRequest): KeyAndCertificate {
  return signLeaf(ca, {
    commonName: request.commonName,
    altNames: [{ type: 6, value: request.spiffeId }, ...hostNames(request.hosts ?? [])],
    serverAuth: request.server,
    clientAuth: true,
    days: request.days,
    ...(request.key ? { key: request.key } : {}),
  });
}

/**
 * A plain TLS server certificate signed by the CA, for a web page (the browser host): the
 * DNS/IP names it is reached by and nothing else — no SPIFFE ID and no client use, so it can
 * never pass for a member of the trust domain.
 */
export function mintServerCertificate(
  ca: KeyAndCertificate,
  request: { commonName: string; hosts: readonly string[]; days: number },
): KeyAndCertificate {
  return signLeaf(ca, {
    commonName: request.commonName,
    altNames: hostNames(request.hosts),
    serverAuth: true,
    clientAuth: false,
    days: request.days,
  });
}

type AltName = { type: number; value?: string; ip?: string };

function hostNames(hosts: readonly string[]): AltName[] {
  return hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }));
}

function signLeaf(
  ca: KeyAndCertificate,
  leaf: {
    commonName: string;
    altNames: AltName[];
    serverAuth: boolean;
    clientAuth: boolean;
    days: number;
    key?: { publicKeyPem: string; privateKeyPem: string };
  },
): KeyAndCertificate {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem) as forge.pki.rsa.PrivateKey;
  const keys = leaf.key
    ? {
        publicKey: forge.pki.publicKeyFromPem(leaf.key.publicKeyPem),
        keyPem: leaf.key.privateKeyPem,
      }
    : newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  validity(cert, leaf.days);
  cert.setSubject([
    { name: 'organizationName', value: 'Commissioner' },
    { name: 'commonName', value: leaf.commonName.slice(0, 64) },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: leaf.serverAuth, clientAuth: leaf.clientAuth },
    { name: 'subjectAltName', altNames: leaf.altNames },
    { name: 'subjectKeyIdentifier' },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

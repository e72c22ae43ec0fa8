import { createPrivateKey, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import {
  buildCertificate,
  issuerOf,
  keyIdentifier,
  KeyUsageFlags,
  toPem,
  type AltName,
} from './certificate-builder';
import { DEFAULT_KEY_TYPE, leafKeyTypeFor, newPrivateKey, type KeyType } from './key-type';

/** Devices with a clock behind the laptop's still accept what is minted today. */
const BACKDATE_MS = 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const ORGANIZATION = 'Commissioner';

export interface KeyAndCertificate {
  certPem: string;
  keyPem: string;
}

function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  // Positive and minimal in DER (RFC 5280 asks for a positive serial): first byte 0x40–0x7f.
  bytes[0] = ((bytes[0] as number) & 0x3f) | 0x40;
  return bytes;
}

function privatePem(key: ReturnType<typeof newPrivateKey>): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * The trust domain's certificate authority: signs every SVID of this plant, nothing else.
 * ECDSA P-256 unless another key type is asked for.
 */
export function createCertificateAuthority(
  trustDomain: string,
  options: { days?: number; keyType?: KeyType; now?: number } = {},
): KeyAndCertificate {
  const now = options.now ?? Date.now();
  const key = newPrivateKey(options.keyType ?? DEFAULT_KEY_TYPE);
  const der = buildCertificate({
    serial: serialNumber(),
    subject: {
      organization: ORGANIZATION,
      commonName: `Commissioner trust domain ${trustDomain}`.slice(0, 64),
    },
    publicKey: createPublicKey(key),
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + (options.days ?? 3650) * DAY_MS),
    ca: true,
    keyUsage: KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign | KeyUsageFlags.digitalSignature,
    altNames: [{ uri: `spiffe://${trustDomain}` }],
    signingKey: key,
  });
  return { certPem: toPem(der), keyPem: privatePem(key) };
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
   * clients sharing one key); a real client always gets its own key.
   */
  key?: { publicKeyPem: string; privateKeyPem: string };
}

/**
 * An X.509-SVID signed by the CA: exactly one URI SAN (the SPIFFE ID), not a CA, digital
 * signature; a server SVID also carries the DNS/IP names it is reached by, so clients that
 * check host names (not only SPIFFE IDs) accept it too. Its key is of the CA's kind (P-256
 * under a P-256 CA, RSA-3072 under an RSA CA, also an older RSA-2048 one).
 */
export function mintSvid(ca: KeyAndCertificate, request: SvidRequest): KeyAndCertificate {
  return signLeaf(ca, {
    commonName: request.commonName,
    altNames: [{ uri: request.spiffeId }, ...hostNames(request.hosts ?? [])],
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

function hostNames(hosts: readonly string[]): AltName[] {
  return hosts.map((host) => (isIP(host) ? { ip: host } : { dns: host }));
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
  const caCert = new X509Certificate(ca.certPem);
  const caKey = createPrivateKey(ca.keyPem);
  const issuer = issuerOf(caCert.raw);
  const own = leaf.key ? undefined : newPrivateKey(leafKeyTypeFor(caKey));
  const publicKey = own ? createPublicKey(own) : createPublicKey(leaf.key?.publicKeyPem ?? '');
  const now = Date.now();
  // No certificate outlives the CA that vouches for it: past that, no chain validates anyway.
  const notAfter = Math.min(now + leaf.days * DAY_MS, Date.parse(caCert.validTo));
  const der = buildCertificate({
    serial: serialNumber(),
    subject: { organization: ORGANIZATION, commonName: leaf.commonName.slice(0, 64) },
    issuer: issuer.name,
    issuerKeyId: issuer.keyId ?? keyIdentifier(caCert.publicKey),
    publicKey,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(notAfter),
    ca: false,
    // keyEncipherment only means something for RSA keys (TLS 1.2 RSA key transport).
    keyUsage:
      KeyUsageFlags.digitalSignature |
      (publicKey.asymmetricKeyType === 'rsa' ? KeyUsageFlags.keyEncipherment : 0),
    extKeyUsage: { serverAuth: leaf.serverAuth, clientAuth: leaf.clientAuth },
    altNames: leaf.altNames,
    signingKey: caKey,
  });
  return {
    certPem: toPem(der),
    keyPem: own ? privatePem(own) : (leaf.key?.privateKeyPem ?? ''),
  };
}

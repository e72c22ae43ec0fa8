import {
  createHash,
  createPrivateKey,
  createPublicKey,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';

/**
 * Reading what a trust-store entry holds: certificates (PEM, several, or one DER), a Sigstore
 * public key (PEM), or a trusted_root.json. Adding an entry checks with these; the loaders
 * read the kept bytes with the same functions, so what was checked is what is used.
 */

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export interface PemBlock {
  label: string;
  text: string;
}

/** Every PEM block of the bytes, in order (none for DER or other files). */
export function pemBlocks(bytes: Buffer): PemBlock[] {
  return [...bytes.toString('latin1').matchAll(PEM_BLOCK)].map((m) => ({
    label: m[1] ?? '',
    text: m[0],
  }));
}

/** Whether the bytes hold a private key, in PEM (any kind, encrypted too) or PKCS#8/PKCS#1 DER. */
export function holdsPrivateKey(bytes: Buffer): boolean {
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(bytes.toString('latin1'))) return true;
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      createPrivateKey({ key: bytes, format: 'der', type });
      return true;
    } catch {
      // Not this form.
    }
  }
  return false;
}

export type CertificatesRead =
  | { ok: true; certificates: X509Certificate[] }
  | { ok: false; problem: 'none' | 'damaged'; index?: number; labels?: string[] };

/** The certificates of a PEM file (each CERTIFICATE block) or of a single DER certificate. */
export function readCertificates(bytes: Buffer): CertificatesRead {
  const blocks = pemBlocks(bytes);
  const certificateBlocks = blocks.filter((b) => b.label === 'CERTIFICATE');
  if (certificateBlocks.length === 0) {
    if (blocks.length > 0)
      return { ok: false, problem: 'none', labels: blocks.map((b) => b.label) };
    try {
      return { ok: true, certificates: [new X509Certificate(bytes)] };
    } catch {
      return { ok: false, problem: 'none' };
    }
  }
  const certificates: X509Certificate[] = [];
  for (const [index, block] of certificateBlocks.entries()) {
    try {
      certificates.push(new X509Certificate(block.text));
    } catch {
      return { ok: false, problem: 'damaged', index };
    }
  }
  return { ok: true, certificates };
}

/**
 * The public key of a PEM `PUBLIC KEY` (or `RSA PUBLIC KEY`) block; null when there is none
 * or it does not parse. Certificates are not keys here: a Sigstore key entry is the key alone.
 */
export function readPublicKey(bytes: Buffer): KeyObject | null {
  const block = pemBlocks(bytes).find(
    (b) => b.label === 'PUBLIC KEY' || b.label === 'RSA PUBLIC KEY',
  );
  if (!block) return null;
  try {
    return createPublicKey(block.text);
  } catch {
    return null;
  }
}

/** The subject as a Notary trusted identity writes it: `C=US, O=Acme, CN=Signer`. */
export function subjectDn(certificate: X509Certificate): string {
  return certificate.subject.split('\n').join(', ');
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The key's SubjectPublicKeyInfo as PEM: how Sigstore verifiers take a provisioned key. */
export function spkiPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'spki' }).toString();
}

export function spkiFingerprint(key: KeyObject): string {
  return sha256(key.export({ format: 'der', type: 'spki' }));
}

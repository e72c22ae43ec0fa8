import { readFileSync, statSync } from 'node:fs';
import { readTrustedRoot } from '../signatures/sigstore/trusted-root';
import type { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { CommissionerError } from '../../../shared/contract/contract-error';
import type { TrustEntryType } from '../../../shared/contract/trust';
import {
  holdsPrivateKey,
  readCertificates,
  readPublicKey,
  sha256,
  spkiFingerprint,
  subjectDn,
} from './trust-content';

/** Certificates, keys and trusted roots are KiB; a CA bundle a few hundred. Larger is not one. */
export const MAX_TRUST_FILE_BYTES = 1024 * 1024;

/** What an entry will record about its file, and what may keep it from working. */
export interface CheckedTrustFile {
  /** The bytes that were checked: these are kept, not the file read again later. */
  bytes: Buffer;
  fingerprint: string;
  subjects: string[];
  notBefore: string | null;
  notAfter: string | null;
  warnings: string[];
}

/**
 * Reads a file chosen for the trust store: a regular file of at most 1 MiB. `shown` is how the
 * engineer knows it (the name they chose; an upload's path means nothing to them).
 */
export function readTrustFile(path: string, shown: string): Buffer {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw invalid(`${shown} is not a file`);
    size = stat.size;
  } catch (e) {
    if (e instanceof CommissionerError) throw e;
    throw invalid(`${shown} does not exist`);
  }
  if (size > MAX_TRUST_FILE_BYTES) {
    throw invalid(
      `${shown} is ${Math.round(size / 1024)} KiB: too large for certificates, a key or a trusted root (at most ${MAX_TRUST_FILE_BYTES / 1024} KiB); is it the right file?`,
    );
  }
  try {
    return readFileSync(path);
  } catch {
    throw invalid(`${shown} cannot be read: check that you may read it`);
  }
}

/**
 * Checks that a file is what its entry type says before anything is recorded. A private key
 * is refused whatever the type (it must never sit in a trust store, and a mixed-up file is
 * caught here). Certificates that are expired, not yet valid or not CA certificates are
 * warnings, not refusals: a station's clock may be wrong, a timestamped signature stays
 * valid after its certificate expired, and a self-signed signing certificate may be pinned.
 */
export function checkTrustFile(
  bytes: Buffer,
  type: TrustEntryType,
  shown: string,
  now = new Date(),
): CheckedTrustFile {
  if (holdsPrivateKey(bytes)) {
    throw invalid(
      type === 'sigstore-key'
        ? `${shown}: this file holds a private key; give the public key only`
        : `${shown}: this file holds a private key; give the certificate only`,
    );
  }
  switch (type) {
    case 'ca':
    case 'tsa':
    case 'signingAuthority':
      return checkCertificates(bytes, type, shown, now);
    case 'sigstore-key':
      return checkPublicKey(bytes, shown);
    case 'sigstore-root':
      return checkTrustedRoot(bytes, shown);
  }
}

const CERT_WORDS: Record<'ca' | 'tsa' | 'signingAuthority', string> = {
  ca: 'a certificate authority',
  tsa: 'a timestamp authority',
  signingAuthority: 'a signing authority',
};

function checkCertificates(
  bytes: Buffer,
  type: 'ca' | 'tsa' | 'signingAuthority',
  shown: string,
  now: Date,
): CheckedTrustFile {
  const read = readCertificates(bytes);
  if (!read.ok) {
    throw invalid(
      read.problem === 'damaged'
        ? `${shown}: certificate ${(read.index ?? 0) + 1} of the file is damaged (it does not parse)`
        : read.labels?.includes('PUBLIC KEY')
          ? `${shown} holds a public key, not a certificate: add it as a Sigstore key, or give ${CERT_WORDS[type]}’s certificate`
          : `${shown} holds no certificate: give ${CERT_WORDS[type]}’s certificate(s) in PEM or DER form`,
    );
  }
  const certificates = read.certificates;
  const warnings: string[] = [];
  for (const certificate of certificates) {
    const who = subjectDn(certificate) || 'a certificate without a subject';
    const from = validFrom(certificate);
    const to = validTo(certificate);
    if (to < now) {
      warnings.push(
        `${who} expired on ${day(to)}: only signatures with a trusted timestamp from its validity will verify (unless this computer's clock is wrong)`,
      );
    } else if (from > now) {
      warnings.push(`${who} is valid only from ${day(from)}: check this computer's clock`);
    }
    if (!certificate.ca) {
      warnings.push(
        `${who} is not a CA certificate: it is trusted only as the signing certificate itself, not for certificates it would issue`,
      );
    }
  }
  const first = certificates[0] as X509Certificate;
  return {
    bytes,
    fingerprint: sha256(first.raw),
    subjects: certificates.map(subjectDn),
    notBefore: new Date(Math.max(...certificates.map((c) => validFrom(c).getTime()))).toISOString(),
    notAfter: new Date(Math.min(...certificates.map((c) => validTo(c).getTime()))).toISOString(),
    warnings,
  };
}

const CURVES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

function checkPublicKey(bytes: Buffer, shown: string): CheckedTrustFile {
  const key = readPublicKey(bytes);
  if (!key) {
    throw invalid(
      readCertificates(bytes).ok
        ? `${shown} holds a certificate, not a public key: add it as a certificate authority (ca), or give the key alone (PEM text starting with -----BEGIN PUBLIC KEY-----)`
        : `${shown} holds no public key: give it in PEM form (text starting with -----BEGIN PUBLIC KEY-----)`,
    );
  }
  const details = key.asymmetricKeyDetails ?? {};
  let kind: string;
  if (key.asymmetricKeyType === 'ec' && details.namedCurve && CURVES[details.namedCurve]) {
    kind = `ECDSA ${CURVES[details.namedCurve]} public key`;
  } else if (key.asymmetricKeyType === 'ed25519') {
    kind = 'Ed25519 public key';
  } else if (key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048) {
    kind = `RSA ${details.modulusLength} public key`;
  } else {
    throw invalid(
      `${shown} holds a kind of key Sigstore signatures do not use here (${key.asymmetricKeyType ?? 'unknown'}${details.namedCurve ? ` ${details.namedCurve}` : ''}${details.modulusLength ? ` ${details.modulusLength} bits` : ''}): use ECDSA P-256/P-384, Ed25519 or RSA of at least 2048 bits`,
    );
  }
  return {
    bytes,
    fingerprint: spkiFingerprint(key),
    subjects: [kind],
    notBefore: null,
    notAfter: null,
    warnings: [],
  };
}

/** The parts of a trusted root this store reads; the verifier checks the rest. */
const Party = z.looseObject({
  subject: z
    .looseObject({ organization: z.string().optional(), commonName: z.string().optional() })
    .optional(),
  uri: z.string().optional(),
  baseUrl: z.string().optional(),
});
export const TrustedRootFile = z.looseObject({
  mediaType: z.enum([
    'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    'application/vnd.dev.sigstore.trustedroot+json;version=0.2',
    'application/vnd.dev.sigstore.trustedroot.v0.2+json',
  ]),
  tlogs: z.array(Party).optional(),
  certificateAuthorities: z.array(Party).optional(),
  ctlogs: z.array(Party).optional(),
  timestampAuthorities: z.array(Party).optional(),
});

function checkTrustedRoot(bytes: Buffer, shown: string): CheckedTrustFile {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalid(`${shown} is not JSON: a Sigstore trusted root is a trusted_root.json file`);
  }
  const parsed = TrustedRootFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(
      issue?.path[0] === 'mediaType'
        ? `${shown} is not a Sigstore trusted root: its mediaType must be application/vnd.dev.sigstore.trustedroot+json;version=0.1 (or 0.2)`
        : `${shown} is not a Sigstore trusted root: ${issue?.path.join('.') || '(file)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const root = parsed.data;
  // The verifier's own reading too, so a root it would refuse at import is refused here.
  const reading = readTrustedRoot(shown, json);
  if (!reading.ok) throw invalid(reading.reason);
  const parties = [
    ...(root.certificateAuthorities ?? []).map((p) => `certificate authority ${partyName(p)}`),
    ...(root.timestampAuthorities ?? []).map((p) => `timestamp authority ${partyName(p)}`),
    ...(root.tlogs ?? []).map((p) => `transparency log ${partyName(p)}`),
    ...(root.ctlogs ?? []).map((p) => `certificate log ${partyName(p)}`),
  ];
  return {
    bytes,
    fingerprint: sha256(bytes),
    subjects: parties,
    notBefore: null,
    notAfter: null,
    warnings:
      parties.length === 0
        ? [
            `${shown} trusts no authority or log: only key-signed bundles without timestamps can verify with it`,
          ]
        : [],
  };
}

function partyName(p: z.infer<typeof Party>): string {
  const subject = [p.subject?.organization, p.subject?.commonName].filter(Boolean).join(' / ');
  return subject || p.uri || p.baseUrl || '(unnamed)';
}

function validFrom(c: X509Certificate): Date {
  return new Date(c.validFrom);
}

function validTo(c: X509Certificate): Date {
  return new Date(c.validTo);
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function invalid(message: string): CommissionerError<'invalid-input'> {
  return new CommissionerError('invalid-input', message, { field: 'file' });
}

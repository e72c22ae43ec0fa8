import { createHash, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  KeyUsage,
  KeyUsageFlags,
  SubjectKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { SignatureProblem } from '../signature-problem';
import { derBytes, derChildren, derElementAt } from './der-elements';
import { formatDistinguishedName, nameAttributes } from './distinguished-name';

export interface CertificateFacts {
  der: Buffer;
  cert: X509Certificate;
  /**
   * The subject as people read it: RFC 4514 order (most specific first, the reverse of the
   * certificate's encoding), attributes joined by ", ", e.g. "CN=alpine, O=Notary, L=Seattle,
   * ST=WA, C=US" — the rendering notation prints.
   */
  subject: string;
  issuer: string;
  /** The subject's attributes in encoding order, for matching trusted identities attribute by attribute. */
  subjectAttributes: { type: string; value: string }[];
  /** The DER of the subject and issuer names exactly as encoded: chains link by byte-equal names. */
  subjectDer: Buffer;
  issuerDer: Buffer;
  /** Upper-case hex, as certificate viewers show it. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  pathLen?: number;
  keyUsage?: { digitalSignature: boolean; keyCertSign: boolean; [k: string]: boolean };
  /** OIDs. */
  extKeyUsage?: string[];
  extKeyUsageCritical: boolean;
  /** OIDs of critical extensions we do not process: a verifier must refuse such a certificate. */
  unknownCritical: string[];
  /** OID of the algorithm the issuer signed this certificate with. */
  signatureAlgorithm: string;
  /** Hex, when the certificate names its key (CMS signers may refer to it that way). */
  subjectKeyIdentifier?: string;
  /** Lower-case hex of SHA-256 over the DER (notation's certificate thumbprint). */
  sha256: string;
}

// Extensions whose meaning this verifier enforces (or, for names and key ids, that carry no
// restriction to enforce); any other critical extension makes the certificate unusable (RFC 5280 4.2).
const PROCESSED_EXTENSIONS = new Set([
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_extKeyUsage,
  id_ce_subjectKeyIdentifier,
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.17', // subjectAltName
]);

const KEY_USAGE_NAMES: [keyof typeof KeyUsageFlags, number][] = Object.entries(KeyUsageFlags)
  .filter(([, bit]) => typeof bit === 'number')
  .map(([name, bit]) => [name as keyof typeof KeyUsageFlags, bit as number]);

export function readCertificate(der: Buffer): CertificateFacts {
  let cert: X509Certificate;
  let parsed: Certificate;
  try {
    cert = new X509Certificate(der);
    parsed = AsnConvert.parse(der, Certificate);
  } catch {
    throw new SignatureProblem(
      'a certificate could not be read (it is not a valid X.509 certificate)',
    );
  }
  const tbs = parsed.tbsCertificate;
  const facts: CertificateFacts = {
    der,
    cert,
    subject: formatDistinguishedName(tbs.subject),
    issuer: formatDistinguishedName(tbs.issuer),
    subjectAttributes: nameAttributes(tbs.subject),
    ...rawNames(der),
    serial: cert.serialNumber.toUpperCase(),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    isCA: false,
    extKeyUsageCritical: false,
    unknownCritical: [],
    signatureAlgorithm: parsed.signatureAlgorithm.algorithm,
    sha256: createHash('sha256').update(der).digest('hex'),
  };
  const seen = new Set<string>();
  for (const extension of tbs.extensions ?? []) {
    const oid = extension.extnID;
    // RFC 5280 4.2: a certificate must not include more than one instance of an extension;
    // two differing key usages would let each reader pick the one it likes.
    if (seen.has(oid))
      throw new SignatureProblem(`certificate "${facts.subject}" repeats an extension (${oid})`);
    seen.add(oid);
    const value = extension.extnValue.buffer;
    try {
      if (oid === id_ce_basicConstraints) {
        const constraints = AsnConvert.parse(value, BasicConstraints);
        facts.isCA = constraints.cA;
        if (constraints.cA && constraints.pathLenConstraint !== undefined)
          facts.pathLen = constraints.pathLenConstraint;
      } else if (oid === id_ce_keyUsage) {
        const bits = AsnConvert.parse(value, KeyUsage).toNumber();
        const usage: Record<string, boolean> = {};
        for (const [name, bit] of KEY_USAGE_NAMES) usage[name] = (bits & bit) !== 0;
        facts.keyUsage = usage as CertificateFacts['keyUsage'];
      } else if (oid === id_ce_extKeyUsage) {
        facts.extKeyUsage = [...AsnConvert.parse(value, ExtendedKeyUsage)];
        facts.extKeyUsageCritical = extension.critical;
      } else if (oid === id_ce_subjectKeyIdentifier) {
        facts.subjectKeyIdentifier = Buffer.from(
          AsnConvert.parse(value, SubjectKeyIdentifier).buffer,
        ).toString('hex');
      }
    } catch {
      throw new SignatureProblem(
        `certificate "${facts.subject}" has an unreadable extension (${oid})`,
      );
    }
    if (extension.critical && !PROCESSED_EXTENSIONS.has(oid)) facts.unknownCritical.push(oid);
  }
  return facts;
}

/** Certificate → tbsCertificate → [version] serial signature issuer validity subject … */
function rawNames(der: Buffer): { issuerDer: Buffer; subjectDer: Buffer } {
  const what = 'certificate';
  const tbs = derChildren(der, derElementAt(der, 0, what), what)[0];
  const fields = tbs ? derChildren(der, tbs, what) : [];
  const first = fields[0]?.tag === 0xa0 ? 1 : 0;
  const issuer = fields[first + 2];
  const subject = fields[first + 4];
  if (!issuer || !subject)
    throw new SignatureProblem(
      'a certificate could not be read (it is not a valid X.509 certificate)',
    );
  return { issuerDer: derBytes(der, issuer), subjectDer: derBytes(der, subject) };
}

/** One DER certificate, or every CERTIFICATE block of a PEM file (a bundle gives several). */
export function certificatesFromPemOrDer(bytes: Buffer): Buffer[] {
  // DER starts with a SEQUENCE tag; PEM is text (possibly with explanatory lines before the blocks).
  if (bytes[0] === 0x30) return [bytes];
  const text = bytes.toString('latin1');
  const blocks = [
    ...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g),
  ];
  if (blocks.length === 0)
    throw new SignatureProblem(
      'the file holds no certificate (no CERTIFICATE block in the PEM text)',
    );
  return blocks.map((block) => {
    const base64 = (block[1] ?? '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
      throw new SignatureProblem(
        'a certificate in the PEM text is damaged (it is not valid base64)',
      );
    }
    return Buffer.from(base64, 'base64');
  });
}

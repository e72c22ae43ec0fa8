import type { TrustAnchor } from '../notary-trust';
import { SignatureProblem } from '../signature-problem';
import { readCertificate, type CertificateFacts } from './certificate-facts';

export type ChainPurpose = 'codeSigning' | 'timeStamping';

export interface ChainOptions {
  purpose: ChainPurpose;
  /** Every certificate of the path must be valid at each of these instants. */
  validAt: Date[];
}

export type ChainVerdict =
  | { ok: true; anchor: TrustAnchor; leaf: CertificateFacts; path: CertificateFacts[] }
  | { ok: false; reason: string; leaf?: CertificateFacts };

const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

// Issuers may sign with RSA PKCS#1 v1.5, RSA-PSS or ECDSA over SHA-2; SHA-1 and MD5 signatures
// can be forged and are refused (as Go, and so notation, refuses them).
const SIGNATURE_ALGORITHMS = new Set([
  '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13', // sha512WithRSAEncryption
  '1.2.840.113549.1.1.10', // RSASSA-PSS (OpenSSL verifies with the hash its parameters name)
  '1.2.840.10045.4.3.2', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3', // ecdsa-with-SHA384
  '1.2.840.10045.4.3.4', // ecdsa-with-SHA512
]);

const CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

/**
 * Builds the path the signer presented (leaf first, each certificate issued by the next — by
 * position, never by looking names up, because a leaf may carry its root's name) and checks
 * that it reaches one of `anchors`, following the Notary Project's certificate rules.
 */
export function verifyChain(
  chain: Buffer[],
  anchors: TrustAnchor[],
  options: ChainOptions,
): ChainVerdict {
  // Without an instant nothing would be checked for expiry: a caller's mistake, not a verdict.
  if (options.validAt.length === 0)
    throw new Error('verifyChain needs at least one instant to check validity at');
  if (chain.length === 0) return { ok: false, reason: 'the signature carries no certificate' };
  let certificates: [CertificateFacts, ...CertificateFacts[]];
  try {
    const [first, ...rest] = chain.map((der) => readCertificate(der));
    if (!first) return { ok: false, reason: 'the signature carries no certificate' };
    certificates = [first, ...rest];
  } catch (error) {
    if (error instanceof SignatureProblem) return { ok: false, reason: error.message };
    throw error;
  }
  const leaf = certificates[0];
  const fail = (reason: string): ChainVerdict => ({ ok: false, reason, leaf });
  const role = roles(options.purpose);

  for (const [i, [subject, issuer]] of pairs(certificates).entries()) {
    const problem = issuanceProblem(subject, issuer);
    if (problem) {
      return fail(
        `the certificate chain is broken: ${role(i, certificates.length)} "${subject.subject}" was not issued by the next certificate "${issuer.subject}" (${problem})`,
      );
    }
  }

  const trusted = findAnchor(certificates, anchors);
  if (!trusted) {
    return fail(
      `the certificate chain does not contain any trusted certificate: "${leaf.subject}" does not lead to any certificate in the trust store`,
    );
  }
  const { anchor, path } = trusted;
  const name = (i: number, facts: CertificateFacts) => `${role(i, path.length)} "${facts.subject}"`;

  const leafProblem = leafProfileProblem(leaf, options.purpose);
  if (leafProblem) return fail(`${name(0, leaf)} ${leafProblem}`);

  for (const [i, facts] of path.entries()) {
    if (i === 0) continue;
    const problem = authorityProblem(facts, i - 1, options.purpose);
    if (problem) return fail(`${name(i, facts)} ${problem}`);
  }

  for (const [i, facts] of path.entries()) {
    if (facts.unknownCritical.length > 0) {
      return fail(
        `${name(i, facts)} has a critical extension this verifier does not understand (${facts.unknownCritical.join(', ')})`,
      );
    }
    const keyProblem = publicKeyProblem(facts);
    if (keyProblem) return fail(`${name(i, facts)} ${keyProblem}`);
    // The last certificate's own signature is not what makes it trusted (its DER is in the trust store).
    if (i + 1 < path.length && !SIGNATURE_ALGORITHMS.has(facts.signatureAlgorithm)) {
      return fail(
        `${name(i, facts)} is signed with an algorithm that is not accepted (${facts.signatureAlgorithm}; accepted: RSA, RSA-PSS or ECDSA with SHA-256, SHA-384 or SHA-512)`,
      );
    }
  }

  for (const instant of options.validAt) {
    for (const [i, facts] of path.entries()) {
      const problem = validityProblem(facts, instant);
      if (problem) return fail(`${name(i, facts)} ${problem}`);
    }
  }

  return { ok: true, anchor, leaf, path };
}

function pairs<T>(items: T[]): [T, T][] {
  return items.slice(1).map((next, i) => [items[i] as T, next]);
}

/** Whether `issuer` issued `subject`: byte-equal names and a signature that verifies with its key. */
export function isIssuedBy(subject: CertificateFacts, issuer: CertificateFacts): boolean {
  return issuanceProblem(subject, issuer) === undefined;
}

/** Why `issuer` did not issue `subject`, or undefined when it did. */
function issuanceProblem(subject: CertificateFacts, issuer: CertificateFacts): string | undefined {
  if (!subject.issuerDer.equals(issuer.subjectDer)) return `its issuer is "${subject.issuer}"`;
  return signatureVerifies(subject, issuer) ? undefined : 'the issuer signature does not verify';
}

function signatureVerifies(subject: CertificateFacts, issuer: CertificateFacts): boolean {
  try {
    return subject.cert.verify(issuer.cert.publicKey);
  } catch {
    // OpenSSL throws for some malformed signatures or mismatched key types: not issued by it.
    return false;
  }
}

/**
 * The trust decision: a certificate of the chain is itself in the trust store (the path stops
 * there — certificates above a trusted one add nothing), or the last one was issued by a
 * trusted certificate, which then joins the path and must qualify as a CA like any other.
 */
function findAnchor(
  certificates: [CertificateFacts, ...CertificateFacts[]],
  anchors: TrustAnchor[],
): { anchor: TrustAnchor; path: CertificateFacts[] } | undefined {
  for (const [i, facts] of certificates.entries()) {
    const anchor = anchors.find((candidate) => candidate.der.equals(facts.der));
    if (anchor) return { anchor, path: certificates.slice(0, i + 1) };
  }
  const last = certificates[certificates.length - 1] as CertificateFacts;
  for (const anchor of anchors) {
    let facts: CertificateFacts;
    try {
      facts = readCertificate(anchor.der);
    } catch {
      // An unreadable trust-store entry can vouch for nothing; the others may still.
      continue;
    }
    if (isIssuedBy(last, facts)) return { anchor, path: [...certificates, facts] };
  }
  return undefined;
}

function leafProfileProblem(leaf: CertificateFacts, purpose: ChainPurpose): string | undefined {
  // A CA certificate signing artifacts itself blurs who vouches for whom; notation refuses it.
  if (leaf.isCA) return 'is a CA certificate, which must not sign directly';
  if (leaf.keyUsage && !leaf.keyUsage.digitalSignature)
    return 'is not allowed to make digital signatures (its key usage lacks digitalSignature)';
  if (purpose === 'codeSigning') {
    if (leaf.extKeyUsage && !leaf.extKeyUsage.includes(CODE_SIGNING)) {
      return `is not meant for code signing (its extended key usage is ${describeUsages(leaf.extKeyUsage)})`;
    }
  } else {
    // RFC 3161 2.3: a TSA certificate has exactly one extended key usage, timeStamping, marked critical.
    if (
      !leaf.extKeyUsage ||
      leaf.extKeyUsage.length !== 1 ||
      leaf.extKeyUsage[0] !== TIME_STAMPING
    ) {
      return `is not a timestamp authority certificate (its extended key usage must be exactly timeStamping, it is ${describeUsages(leaf.extKeyUsage ?? [])})`;
    }
    if (!leaf.extKeyUsageCritical)
      return 'is not a timestamp authority certificate (its timeStamping usage is not marked critical)';
  }
  return undefined;
}

/** `below` = how many intermediate certificates lie between this CA and the leaf. */
function authorityProblem(
  ca: CertificateFacts,
  below: number,
  purpose: ChainPurpose,
): string | undefined {
  if (!ca.isCA)
    return 'is not a CA certificate (basic constraints do not say CA), so it cannot issue certificates';
  if (ca.keyUsage && !ca.keyUsage.keyCertSign)
    return 'is not allowed to issue certificates (its key usage lacks keyCertSign)';
  if (ca.pathLen !== undefined && below > ca.pathLen) {
    return `allows at most ${ca.pathLen} intermediate certificate${ca.pathLen === 1 ? '' : 's'} below it, but the chain has ${below}`;
  }
  // A CA restricted to other purposes cannot vouch for this one (RFC 5280 practice, as Go enforces).
  const wanted = purpose === 'codeSigning' ? CODE_SIGNING : TIME_STAMPING;
  if (
    ca.extKeyUsage &&
    !ca.extKeyUsage.includes(wanted) &&
    !ca.extKeyUsage.includes(ANY_EXTENDED_KEY_USAGE)
  ) {
    return `is restricted to other purposes (its extended key usage is ${describeUsages(ca.extKeyUsage)})`;
  }
  return undefined;
}

function publicKeyProblem(facts: CertificateFacts): string | undefined {
  const key = facts.cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    if ((details.modulusLength ?? 0) < 2048)
      return `has an RSA key that is too short (${details.modulusLength} bits; at least 2048 are required)`;
    return undefined;
  }
  if (key.asymmetricKeyType === 'ec') {
    if (!CURVES.has(details.namedCurve ?? ''))
      return `has an elliptic-curve key on a curve that is not accepted (${details.namedCurve}; accepted: P-256, P-384, P-521)`;
    return undefined;
  }
  return `has a key type that is not accepted (${key.asymmetricKeyType}; accepted: RSA and ECDSA)`;
}

function validityProblem(facts: CertificateFacts, instant: Date): string | undefined {
  const at = formatInstant(instant);
  if (instant < facts.notBefore)
    return `is not yet valid at ${at} (valid from ${formatInstant(facts.notBefore)})`;
  if (instant > facts.notAfter)
    return `has expired: it was valid until ${formatInstant(facts.notAfter)}, checked at ${at}`;
  return undefined;
}

export function formatInstant(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function roles(purpose: ChainPurpose): (index: number, length: number) => string {
  return (index, length) => {
    if (index === 0)
      return purpose === 'codeSigning'
        ? 'the signing certificate'
        : "the timestamp authority's certificate";
    if (index === length - 1) return 'the trusted certificate';
    return 'the intermediate certificate';
  };
}

const USAGE_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  [CODE_SIGNING]: 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  [TIME_STAMPING]: 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  [ANY_EXTENDED_KEY_USAGE]: 'any',
};

function describeUsages(oids: string[]): string {
  return oids.length === 0 ? 'empty' : oids.map((oid) => USAGE_NAMES[oid] ?? oid).join(', ');
}

import type { SignatureCheck } from '../../../../shared/contract/trust';
import type { Descriptor } from '../../../../shared/oci/descriptors';
import type { NotaryTrust } from '../notary-trust';
import { logRawError } from '../../errors/error-log';
import { SignatureProblem } from '../signature-problem';
import { verifyTimestampToken } from '../timestamp/verify-timestamp-token';
import { readCertificate, type CertificateFacts } from '../x509/certificate-facts';
import { formatInstant, verifyChain } from '../x509/verify-chain';
import { envelopeFormat } from './envelope-format';
import { signedTarget, targetMismatch } from './notary-payload';
import { ENVELOPE_LIMITS, HEADER, KNOWN_CRITICAL, NOTARY } from './notary-names';
import { parseCose } from './parse-cose';
import { parseJws } from './parse-jws';
import type { ParsedEnvelope } from './parsed-envelope';
import { algorithmForKey, signatureMatches } from './signature-algorithm';
import { identityTrusted } from './trusted-identity';

export interface NotaryEnvelopeInput {
  envelope: Buffer;
  /** `application/jose+json` or `application/cose`; detected from the bytes when absent. */
  mediaType?: string;
  /** The artifact the signature must be for. */
  target: Descriptor;
  trust: NotaryTrust;
  now?: Date;
  /** How the signature is identified in results (its manifest digest, or the envelope file's). */
  digest: string;
}

/**
 * Verifies one Notary Project signature envelope (JWS or COSE) against the artifact it must be
 * for and the trust given, following the signature specification v1.1 (MANIFEST A.2–A.8):
 * integrity, critical headers, target, expiry, certificate chain to an anchor of the type the
 * signing scheme names, time evidence (trusted timestamp or authentic signing time) and
 * trusted identities. Never throws for what the envelope holds: every failed check becomes one
 * plain sentence of `reason`.
 */
export function verifyNotaryEnvelope(input: NotaryEnvelopeInput): SignatureCheck {
  const format = envelopeFormat(input.envelope, input.mediaType);
  const result: SignatureCheck = {
    digest: input.digest,
    format: format ?? 'jws',
    verdict: 'invalid',
    signer: null,
    reason: null,
  };
  const refuse = (reason: string): SignatureCheck => ({ ...result, reason });
  if (input.envelope.length > ENVELOPE_LIMITS.maxEnvelopeBytes)
    return refuse(
      `the signature envelope is larger than ${ENVELOPE_LIMITS.maxEnvelopeBytes} bytes, which no genuine signature is`,
    );
  if (!format) {
    return refuse(
      input.mediaType === undefined
        ? 'not a signature envelope (neither a JWS JSON object nor a COSE_Sign1 message)'
        : `not a signature envelope: its media type is ${input.mediaType}, not application/jose+json or application/cose`,
    );
  }
  try {
    return check(
      format === 'jws' ? parseJws(input.envelope) : parseCose(input.envelope),
      input,
      result,
    );
  } catch (e) {
    if (e instanceof SignatureProblem) return refuse(e.message);
    // Hostile bytes must not stop a whole layout's verification: this one fails closed, the
    // cause goes to the error log for support.
    logRawError(`verifying the signature ${input.digest}`, e);
    return refuse(
      'the signature could not be checked: its content is malformed in a way this verifier does not handle',
    );
  }
}

function check(
  envelope: ParsedEnvelope,
  input: NotaryEnvelopeInput,
  result: SignatureCheck,
): SignatureCheck {
  const now = input.now ?? new Date();
  const problems: string[] = [];
  const done = (): SignatureCheck => {
    if (!problems.length) return { ...result, verdict: 'verified', reason: null };
    // The entry a chain ends in vouches for nothing when another check failed.
    const { trustedBy: _, ...rest } = result;
    return { ...rest, verdict: 'invalid', reason: problems.join('; ') };
  };

  const leaf = readCertificate(envelope.certificates[0] as Buffer);
  result.signer = leaf.subject;
  const signedAt = envelope.authenticSigningTime ?? envelope.signingTime;
  if (signedAt) result.signedAt = formatInstant(signedAt);

  // Integrity first: until the signature verifies, nothing else the envelope says can be believed.
  const integrity = integrityProblem(envelope, leaf);
  if (integrity) {
    problems.push(integrity);
    return done();
  }

  problems.push(...headerProblems(envelope));
  const mismatch = targetMismatch(signedTarget(envelope.payload), input.target);
  if (mismatch) problems.push(mismatch);
  if (envelope.expiry && envelope.expiry <= now)
    problems.push(`the signature's expiry date ${formatInstant(envelope.expiry)} has passed`);

  const authorityScheme = envelope.signingScheme === NOTARY.schemeSigningAuthority;
  if (envelope.signingScheme !== NOTARY.schemeX509 && !authorityScheme) return done();
  const anchors = authorityScheme ? input.trust.signingAuthority : input.trust.ca;
  let validAt: Date[] = [now];
  if (authorityScheme) {
    // The signing authority vouches for when it signed: the chain must be valid then, not now.
    if (!envelope.authenticSigningTime) return done();
    validAt = [envelope.authenticSigningTime];
  } else if (input.trust.tsa.length > 0) {
    const timestamp = timestampEvidence(envelope, input.trust);
    if (typeof timestamp === 'string') problems.push(timestamp);
    else {
      result.timestampedAt = formatInstant(timestamp.genTime);
      validAt = [
        new Date(timestamp.genTime.getTime() - timestamp.accuracyMs),
        new Date(timestamp.genTime.getTime() + timestamp.accuracyMs),
      ];
    }
  }

  if (anchors.length === 0) {
    problems.push(
      authorityScheme
        ? 'the trust store has no signing-authority certificates, which this signature (notary.x509.signingAuthority) needs'
        : 'the trust store has no CA certificates, which this signature (notary.x509) needs',
    );
    return done();
  }
  const chain = verifyChain(envelope.certificates, anchors, { purpose: 'codeSigning', validAt });
  if (!chain.ok) {
    problems.push(chain.reason);
    return done();
  }
  result.trustedBy = chain.anchor.name;
  if (!identityTrusted(leaf.subjectAttributes, input.trust.identities))
    problems.push(`the signer "${leaf.subject}" is not one of the trusted identities`);
  return done();
}

function integrityProblem(envelope: ParsedEnvelope, leaf: CertificateFacts): string | undefined {
  const byKey = algorithmForKey(leaf.cert.publicKey);
  if ('problem' in byKey) return byKey.problem;
  const required = byKey.alg;
  if (!envelope.alg)
    return `the signature algorithm ${envelope.algName} is not one Notary Project signatures use`;
  if (envelope.alg !== required)
    return `the envelope says the signature algorithm is ${envelope.alg}, but the signing certificate's key requires ${required}`;
  if (!signatureMatches(envelope.alg, leaf.cert, envelope.signingInput, envelope.signature))
    return 'the signature does not match the signed content: the envelope was altered after signing or signed by another key';
  return undefined;
}

function headerProblems(envelope: ParsedEnvelope): string[] {
  const problems: string[] = [];
  if (envelope.contentType !== NOTARY.payloadContentType)
    problems.push(
      `the signed content type is ${String(envelope.contentType)}, not a Notary Project payload (${NOTARY.payloadContentType})`,
    );
  const unknown = envelope.critical.filter(
    (name) =>
      !KNOWN_CRITICAL.includes(name) &&
      name !== HEADER.verificationPlugin &&
      name !== HEADER.verificationPluginMinVersion,
  );
  if (unknown.length)
    problems.push(
      `the envelope names a critical header this verifier does not know: ${unknown.join(', ')}`,
    );
  if (envelope.verificationPlugin !== undefined)
    problems.push(
      `the signature must be verified by the plugin "${envelope.verificationPlugin}", which this verifier does not run`,
    );
  const absent = envelope.critical.filter((name) => !envelope.protectedNames.includes(name));
  if (absent.length)
    problems.push(`the envelope marks ${absent.join(', ')} critical but does not contain it`);
  const notCritical = KNOWN_CRITICAL.filter(
    (name) => envelope.protectedNames.includes(name) && !envelope.critical.includes(name),
  );
  if (notCritical.length)
    problems.push(`the envelope does not mark ${notCritical.join(', ')} critical, as it must`);
  if (envelope.signingScheme === NOTARY.schemeX509) {
    if (!envelope.signingTime) problems.push('the envelope does not say when it was signed');
  } else if (envelope.signingScheme === NOTARY.schemeSigningAuthority) {
    if (!envelope.authenticSigningTime)
      problems.push(
        'the envelope has no authentic signing time, which a signing-authority signature must have',
      );
  } else {
    problems.push(
      envelope.signingScheme === undefined
        ? 'the envelope names no signing scheme'
        : `the signing scheme ${String(envelope.signingScheme)} is neither notary.x509 nor notary.x509.signingAuthority`,
    );
  }
  return problems;
}

/** The proven signing time, or why there is none the trust store accepts. */
function timestampEvidence(
  envelope: ParsedEnvelope,
  trust: NotaryTrust,
): { genTime: Date; accuracyMs: number } | string {
  if (!envelope.timestampToken)
    return 'the signature has no timestamp, which the trust store requires (it names timestamp authorities)';
  // The countersignature covers the raw signature bytes (signature specification, "Timestamp").
  const verdict = verifyTimestampToken(envelope.timestampToken, envelope.signature, trust.tsa);
  return verdict.ok ? verdict : verdict.reason;
}

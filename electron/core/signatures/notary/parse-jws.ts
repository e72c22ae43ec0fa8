import { decodeBase64Strict, decodeBase64urlStrict } from '../base64url-strict';
import { ENVELOPE_LIMITS, HEADER } from './notary-names';
import { SignatureProblem } from '../signature-problem';
import type { NotaryAlgorithm, ParsedEnvelope } from './parsed-envelope';

const ALGORITHMS: readonly string[] = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const TOP_LEVEL = ['payload', 'protected', 'header', 'signature'];

/**
 * Parses a Notary JWS envelope: the flattened JSON serialization with strict base64url
 * members (RFC 7515 §7.2.2; Notary signature-envelope-jws.md). The signing input is the
 * transmitted `protected.payload` text itself, never a re-encoding of what was decoded.
 */
export function parseJws(bytes: Buffer): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new SignatureProblem('the envelope is not valid JSON');
  }
  if (!isObject(json)) throw new SignatureProblem('the envelope is not a JSON object');
  const extra = Object.keys(json).filter((k) => !TOP_LEVEL.includes(k));
  if (extra.length)
    throw new SignatureProblem(
      `the envelope has members a flattened JWS does not have: ${extra.join(', ')}`,
    );
  const { payload, protected: protectedText, header, signature } = json;
  if (
    typeof protectedText !== 'string' ||
    typeof payload !== 'string' ||
    typeof signature !== 'string'
  )
    throw new SignatureProblem('the envelope lacks its protected header, payload or signature');
  const protectedBytes = decodeBase64urlStrict(protectedText);
  const payloadBytes = decodeBase64urlStrict(payload);
  const signatureBytes = decodeBase64urlStrict(signature);
  if (!protectedBytes || !payloadBytes || !signatureBytes)
    throw new SignatureProblem(
      `the envelope's ${!protectedBytes ? 'protected header' : !payloadBytes ? 'payload' : 'signature'} is not strict base64url (padding or other characters): it was altered after signing`,
    );
  let protectedHeader: unknown;
  try {
    protectedHeader = JSON.parse(protectedBytes.toString('utf8'));
  } catch {
    throw new SignatureProblem('the protected header is not valid JSON');
  }
  if (!isObject(protectedHeader))
    throw new SignatureProblem('the protected header is not a JSON object');
  if (!isObject(header)) throw new SignatureProblem('the envelope has no unprotected header');
  const both = Object.keys(header).filter((k) => k in protectedHeader);
  if (both.length)
    throw new SignatureProblem(`the headers ${both.join(', ')} are both protected and unprotected`);

  const crit = protectedHeader.crit;
  if (crit !== undefined && (!Array.isArray(crit) || !crit.every((c) => typeof c === 'string')))
    throw new SignatureProblem('the protected header\'s "crit" is not a list of names');
  const algName = protectedHeader.alg;
  if (typeof algName !== 'string')
    throw new SignatureProblem('the protected header names no signature algorithm');

  return {
    format: 'jws',
    alg: ALGORITHMS.includes(algName) ? (algName as NotaryAlgorithm) : undefined,
    algName,
    contentType: protectedHeader.cty,
    signingScheme: protectedHeader[HEADER.signingScheme],
    critical: (crit as string[] | undefined) ?? [],
    protectedNames: Object.keys(protectedHeader),
    signingTime: time(protectedHeader, HEADER.signingTime),
    expiry: time(protectedHeader, HEADER.expiry),
    authenticSigningTime: time(protectedHeader, HEADER.authenticSigningTime),
    verificationPlugin: pluginName(protectedHeader[HEADER.verificationPlugin]),
    signingInput: Buffer.from(`${protectedText}.${payload}`, 'ascii'),
    signature: signatureBytes,
    payload: payloadBytes,
    certificates: certificates(header.x5c),
    timestampToken: timestampToken(header[HEADER.timestampSignature]),
  };
}

function certificates(x5c: unknown): Buffer[] {
  if (!Array.isArray(x5c) || x5c.length === 0)
    throw new SignatureProblem('the envelope carries no certificate chain (x5c)');
  if (x5c.length > ENVELOPE_LIMITS.maxCertificates)
    throw new SignatureProblem(
      `the envelope carries ${x5c.length} certificates, more than the ${ENVELOPE_LIMITS.maxCertificates} allowed`,
    );
  return x5c.map((entry) => {
    const der = typeof entry === 'string' ? decodeBase64Strict(entry) : undefined;
    if (!der?.length)
      throw new SignatureProblem('a certificate of the chain (x5c) is not base64 DER');
    return der;
  });
}

function timestampToken(value: unknown): Buffer | undefined {
  if (value === undefined) return undefined;
  const der = typeof value === 'string' ? decodeBase64Strict(value) : undefined;
  if (!der?.length) throw new SignatureProblem('the timestamp countersignature is not base64');
  return der;
}

function time(header: Record<string, unknown>, name: string): Date | undefined {
  const value = header[name];
  if (value === undefined) return undefined;
  const date = typeof value === 'string' && RFC3339.test(value) ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime()))
    throw new SignatureProblem(`the protected header's ${name} is not an RFC 3339 time`);
  return date;
}

export function pluginName(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : String(JSON.stringify(value));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

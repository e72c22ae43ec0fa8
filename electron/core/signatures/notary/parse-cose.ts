import { encode, Tagged, type TagDecoder } from 'cborg';
import { decodeBoundedCbor } from './bounded-cbor';
import { ENVELOPE_LIMITS, HEADER } from './notary-names';
import { pluginName } from './parse-jws';
import { SignatureProblem } from '../signature-problem';
import type { NotaryAlgorithm, ParsedEnvelope } from './parsed-envelope';

const COSE_SIGN1_TAG = 18;
const EPOCH_TIME_TAG = 1;
const LABEL = { alg: 1, crit: 2, cty: 3, x5chain: 33 } as const;
const ALGORITHMS = new Map<number, NotaryAlgorithm>([
  [-37, 'PS256'],
  [-38, 'PS384'],
  [-39, 'PS512'],
  [-7, 'ES256'],
  [-35, 'ES384'],
  [-36, 'ES512'],
]);

/**
 * Parses a Notary COSE envelope: a tagged COSE_Sign1 (RFC 9052 §4.2; Notary
 * signature-envelope-cose.md). The signature covers `["Signature1", protected, h'', payload]`
 * with the protected header as transmitted, encoded deterministically.
 */
export function parseCose(bytes: Buffer): ParsedEnvelope {
  const outer = decodeOrRefuse(bytes, tagDecoders(COSE_SIGN1_TAG), 'the envelope');
  if (!(outer instanceof Tagged) || outer.tag !== COSE_SIGN1_TAG)
    throw new SignatureProblem('the envelope is not a tagged COSE_Sign1 message');
  const parts = outer.value as unknown;
  if (!Array.isArray(parts) || parts.length !== 4)
    throw new SignatureProblem('the COSE_Sign1 message does not have four parts');
  const [protectedBytes, unprotected, payload, signature] = parts as unknown[];
  if (!(protectedBytes instanceof Uint8Array) || !(unprotected instanceof Map))
    throw new SignatureProblem('the COSE_Sign1 headers are malformed');
  if (!(payload instanceof Uint8Array))
    throw new SignatureProblem('the COSE_Sign1 message does not carry its payload');
  if (!(signature instanceof Uint8Array))
    throw new SignatureProblem('the COSE_Sign1 signature is not a byte string');
  const header = decodeOrRefuse(
    protectedBytes,
    tagDecoders(EPOCH_TIME_TAG),
    'the protected header',
  );
  if (!(header instanceof Map)) throw new SignatureProblem('the protected header is not a map');
  const both = [...unprotected.keys()].filter((k) => header.has(k));
  if (both.length)
    throw new SignatureProblem(`the headers ${both.join(', ')} are both protected and unprotected`);

  const alg = header.get(LABEL.alg) as unknown;
  if (typeof alg !== 'number')
    throw new SignatureProblem('the protected header names no signature algorithm');
  const crit = header.get(LABEL.crit) as unknown;
  if (
    crit !== undefined &&
    (!Array.isArray(crit) || !crit.every((c) => typeof c === 'string' || typeof c === 'number'))
  )
    throw new SignatureProblem('the protected header\'s "crit" is not a list of labels');
  return {
    format: 'cose',
    alg: ALGORITHMS.get(alg),
    algName: String(alg),
    contentType: header.get(LABEL.cty),
    signingScheme: header.get(HEADER.signingScheme),
    critical: ((crit as unknown[] | undefined) ?? []).map(String),
    protectedNames: [...header.keys()].map(String),
    signingTime: time(header, HEADER.signingTime),
    expiry: time(header, HEADER.expiry),
    authenticSigningTime: time(header, HEADER.authenticSigningTime),
    verificationPlugin: pluginName(header.get(HEADER.verificationPlugin)),
    signingInput: Buffer.from(encode(['Signature1', protectedBytes, new Uint8Array(0), payload])),
    signature: Buffer.from(signature),
    payload: Buffer.from(payload),
    certificates: certificates(unprotected.get(LABEL.x5chain)),
    timestampToken: timestampToken(unprotected.get(HEADER.timestampSignature)),
  };
}

function decodeOrRefuse(bytes: Uint8Array, tags: TagDecoder[], what: string): unknown {
  try {
    return decodeBoundedCbor(bytes, tags);
  } catch (e) {
    throw new SignatureProblem(
      `${what} is not valid CBOR${e instanceof Error && /deeper/.test(e.message) ? ` (${e.message})` : ''}`,
    );
  }
}

function tagDecoders(tag: number): TagDecoder[] {
  const tags: TagDecoder[] = [];
  tags[tag] = Tagged.decoder(tag) as TagDecoder;
  return tags;
}

/** x5chain is one byte string for a single certificate, else an array of them (RFC 9360). */
function certificates(x5chain: unknown): Buffer[] {
  const list = x5chain instanceof Uint8Array ? [x5chain] : x5chain;
  if (!Array.isArray(list) || list.length === 0)
    throw new SignatureProblem('the envelope carries no certificate chain (x5chain)');
  if (list.length > ENVELOPE_LIMITS.maxCertificates)
    throw new SignatureProblem(
      `the envelope carries ${list.length} certificates, more than the ${ENVELOPE_LIMITS.maxCertificates} allowed`,
    );
  return list.map((entry) => {
    if (!(entry instanceof Uint8Array) || entry.length === 0)
      throw new SignatureProblem('a certificate of the chain (x5chain) is not a byte string');
    return Buffer.from(entry);
  });
}

function timestampToken(value: unknown): Buffer | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Uint8Array) || value.length === 0)
    throw new SignatureProblem('the timestamp countersignature is not a byte string');
  return Buffer.from(value);
}

function time(header: Map<unknown, unknown>, name: string): Date | undefined {
  const value = header.get(name);
  if (value === undefined) return undefined;
  const seconds = value instanceof Tagged && value.tag === EPOCH_TIME_TAG ? value.value : undefined;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds))
    throw new SignatureProblem(`the protected header's ${name} is not an epoch time (tag 1)`);
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime()))
    throw new SignatureProblem(`the protected header's ${name} is out of range`);
  return date;
}

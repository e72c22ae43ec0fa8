import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TrustAnchor } from '../../../electron/core/signatures/notary-trust';
import {
  verifyTimestampToken,
  type TimestampVerdict,
} from '../../../electron/core/signatures/timestamp/verify-timestamp-token';
import { needsVectors, readVector } from '../../support/signing-vectors';

const TOKENS = 'notary/timestamp-tokens';
const MESSAGE = Buffer.from('notation');

function anchor(path: string): TrustAnchor[] {
  return [{ name: path, der: readVector(path) }];
}
const R6 = () => anchor('notary/trust/tsa/globalsignRoot-R6.cer');
const DIGICERT = () => anchor('notary/trust/tsa/DigiCertTSARootSHA384.cer');

function reason(verdict: TimestampVerdict): string {
  if (verdict.ok)
    throw new Error(
      `expected a refusal, the timestamp verified (${verdict.genTime.toISOString()})`,
    );
  return verdict.reason;
}

/**
 * The timestamp token and the signature bytes it countersigns, from a Notary Project envelope.
 * Envelope parsing belongs to the envelope verifier; this is the least decoding that reaches
 * the two fields: JWS is JSON, and in these COSE_Sign1 envelopes the token is the byte string
 * after its header label and the signature is the byte string that ends the file.
 */
function countersigned(path: string): { token: Buffer; signature: Buffer } {
  const bytes = readVector(path);
  if (bytes[0] === 0x7b) {
    const jws = JSON.parse(bytes.toString('utf8')) as {
      signature: string;
      header: Record<string, string>;
    };
    return {
      token: Buffer.from(jws.header['io.cncf.notary.timestampSignature'] as string, 'base64'),
      signature: Buffer.from(jws.signature, 'base64url'),
    };
  }
  const label =
    bytes.indexOf('io.cncf.notary.timestampSignature') + 'io.cncf.notary.timestampSignature'.length;
  const token = byteStringAt(bytes, label);
  for (let start = bytes.length - 3; start > bytes.length - 1100; start--) {
    const candidate = byteStringAt(bytes, start);
    if (candidate && candidate.byteOffset - bytes.byteOffset + candidate.length === bytes.length) {
      return { token: token as Buffer, signature: candidate };
    }
  }
  throw new Error(`no signature found at the end of ${path}`);
}

/** A CBOR byte string with a one- or two-byte length (major type 2) that fits in `bytes`, or undefined. */
function byteStringAt(bytes: Buffer, offset: number): Buffer | undefined {
  let start: number;
  let length: number;
  if (bytes[offset] === 0x58) [start, length] = [offset + 2, bytes[offset + 1] as number];
  else if (bytes[offset] === 0x59) [start, length] = [offset + 3, bytes.readUInt16BE(offset + 1)];
  else return undefined;
  // subarray would silently clamp a length that runs past the end.
  return start + length <= bytes.length ? bytes.subarray(start, start + length) : undefined;
}

describe('verifyTimestampToken on the notation timestamp tokens (T-01..T-05)', () => {
  it('T-01: verifies against GlobalSign R6 over "notation"', (context) => {
    needsVectors(context);
    const verdict = verifyTimestampToken(readVector(`${TOKENS}/TimeStampToken.p7s`), MESSAGE, R6());
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.genTime.toISOString()).toBe('2021-09-17T14:09:10.000Z');
    expect(verdict.accuracyMs).toBe(1000);
    expect(verdict.tsa).toBe('CN=Globalsign TSA for Advanced - G4, O=GlobalSign nv-sa, C=BE');
    expect(verdict.anchor.name).toBe('notary/trust/tsa/globalsignRoot-R6.cer');
    // The token also carries R6 cross-signed by R3; the path must use the issuer the trust store holds.
    expect(verdict.tsaChain.map((facts) => facts.subject)).toEqual([
      'CN=Globalsign TSA for Advanced - G4, O=GlobalSign nv-sa, C=BE',
      'CN=GlobalSign Timestamping CA - SHA384 - G4, O=GlobalSign nv-sa, C=BE',
      'CN=GlobalSign, O=GlobalSign, OU=GlobalSign Root CA - R6',
    ]);
    expect(verdict.tsaChain[2]?.der.equals(R6()[0]?.der as Buffer)).toBe(true);
  });

  it('T-01: refuses any other message (mismatched message imprint)', (context) => {
    needsVectors(context);
    const token = readVector(`${TOKENS}/TimeStampToken.p7s`);
    for (const other of [
      Buffer.from('notatioN'),
      Buffer.alloc(0),
      createHash('sha256').update(MESSAGE).digest(),
    ]) {
      expect(reason(verifyTimestampToken(token, other, R6()))).toBe(
        'the timestamp was made for other data: its message imprint does not match the signature it is attached to',
      );
    }
  });

  it('T-01: refuses a TSA root the trust store does not hold', (context) => {
    needsVectors(context);
    const token = readVector(`${TOKENS}/TimeStampToken.p7s`);
    expect(reason(verifyTimestampToken(token, MESSAGE, DIGICERT()))).toMatch(
      /^the timestamp authority is not trusted: the certificate chain does not contain any trusted certificate/,
    );
    expect(reason(verifyTimestampToken(token, MESSAGE, []))).toMatch(/not trusted/);
    // A code-signing root is not a TSA root, even one that exists in the vectors.
    expect(
      reason(
        verifyTimestampToken(token, MESSAGE, anchor('notary/trust/ca/GlobalSignRootCA-R3.crt')),
      ),
    ).toMatch(/not trusted/);
  });

  it.for([
    [
      'T-02',
      'TimeStampTokenWithoutCertificate.p7s',
      'the timestamp does not carry its signing certificate',
    ],
    [
      'T-03',
      'TimeStampTokenWithInvalidTSTInfo.p7s',
      'the timestamp information (TSTInfo) in the timestamp cannot be read',
    ],
    [
      'T-04',
      'TimeStampTokenWithInvalideContentType.p7s',
      'the timestamp does not hold timestamp information (its signed content type is 1.2.840.113549.1.7.1, not TSTInfo)',
    ],
    [
      'T-05',
      'TimeStampTokenWithInvalidSignature.p7s',
      "the timestamp authority's signature on the timestamp does not verify (the timestamp was altered or forged)",
    ],
  ] as const)('%s (%s): refused, saying which check failed', ([, file, expected], context) => {
    needsVectors(context);
    expect(reason(verifyTimestampToken(readVector(`${TOKENS}/${file}`), MESSAGE, R6()))).toBe(
      expected,
    );
  });

  it('refuses T-01 with its time altered (signed attributes no longer match the content)', (context) => {
    needsVectors(context);
    const token = Buffer.from(readVector(`${TOKENS}/TimeStampToken.p7s`));
    const at = token.indexOf('20210917140910');
    expect(at).toBeGreaterThan(0);
    token.write('20210917140911', at, 'latin1');
    expect(reason(verifyTimestampToken(token, MESSAGE, R6()))).toBe(
      "the timestamp's signed attributes do not match its content (the message digest differs)",
    );
  });

  it('refuses T-01 when its signed attributes name another signing certificate (ESS certHash)', (context) => {
    needsVectors(context);
    const token = Buffer.from(readVector(`${TOKENS}/TimeStampToken.p7s`));
    const tsaCertificate = (
      verifyTimestampToken(token, MESSAGE, R6()) as { tsaChain: { der: Buffer }[] }
    ).tsaChain[0]?.der;
    const certHash = createHash('sha256')
      .update(tsaCertificate as Buffer)
      .digest();
    const at = token.indexOf(certHash);
    expect(at).toBeGreaterThan(0);
    token[at] = (token[at] as number) ^ 0xff;
    expect(reason(verifyTimestampToken(token, MESSAGE, R6()))).toBe(
      "the timestamp's signing certificate does not match the certificate its signed attributes name",
    );
  });

  it('refuses bytes that are not a token, truncated or with trailing bytes', (context) => {
    needsVectors(context);
    const token = readVector(`${TOKENS}/TimeStampToken.p7s`);
    expect(reason(verifyTimestampToken(Buffer.from('invalid signature\n'), MESSAGE, R6()))).toBe(
      'the timestamp is not a readable RFC 3161 timestamp token',
    );
    expect(
      reason(verifyTimestampToken(token.subarray(0, token.length - 10), MESSAGE, R6())),
    ).toMatch(/not a readable|not valid DER/);
    expect(
      reason(verifyTimestampToken(Buffer.concat([token, Buffer.from([0])]), MESSAGE, R6())),
    ).toMatch(/extra bytes|not a readable/);
  });
});

describe('verifyTimestampToken on the tokens inside the notation envelopes', () => {
  it.for([
    ['N-08', 'notary/envelopes/timestamp/jwsWithTimestamp.sig', '2024-06-18T06:29:37.000Z'],
    ['N-09', 'notary/envelopes/timestamp/coseWithTimestamp.sig', '2024-06-18T06:27:16.000Z'],
    ['N-11', 'notary/envelopes/timestamp/coseExpiredWithTimestamp.sig', '2024-06-18T07:21:12.000Z'],
    ['N-12', 'notary/envelopes/timestamp/timestampBeforeNotBefore.sig', '2024-06-19T09:30:14.000Z'],
  ] as const)(
    '%s: the countersignature verifies against R6 at its genTime',
    ([, path, genTime], context) => {
      needsVectors(context);
      const { token, signature } = countersigned(path);
      const verdict = verifyTimestampToken(token, signature, R6());
      expect(verdict.ok && verdict.genTime.toISOString()).toBe(genTime);
      expect(verdict.ok && verdict.accuracyMs).toBe(1000);
      // The token countersigns these exact signature bytes, nothing else.
      const altered = Buffer.from(signature);
      altered[0] = (altered[0] as number) ^ 1;
      expect(reason(verifyTimestampToken(token, altered, R6()))).toMatch(
        /message imprint does not match/,
      );
    },
  );

  it('N-10: the COSE countersignature does not chain to the DigiCert TSA root', (context) => {
    needsVectors(context);
    const { token, signature } = countersigned('notary/envelopes/timestamp/coseWithTimestamp.sig');
    expect(reason(verifyTimestampToken(token, signature, DIGICERT()))).toMatch(
      /^the timestamp authority is not trusted: the certificate chain does not contain any trusted certificate: "CN=Globalsign TSA/,
    );
    expect(verifyTimestampToken(token, signature, [...DIGICERT(), ...R6()]).ok).toBe(true);
  });

  it.for([
    ['N-16', 'notary/envelopes/blob/blob.jws.sig'],
    ['N-17', 'notary/envelopes/blob/blob.cose.sig'],
  ] as const)(
    '%s: the Microsoft TSA is trusted by neither stored TSA root',
    ([, path], context) => {
      needsVectors(context);
      const { token, signature } = countersigned(path);
      expect(reason(verifyTimestampToken(token, signature, [...R6(), ...DIGICERT()]))).toMatch(
        /^the timestamp authority is not trusted: the certificate chain does not contain any trusted certificate: "CN=Microsoft Public RSA Time Stamping Authority/,
      );
    },
  );
});

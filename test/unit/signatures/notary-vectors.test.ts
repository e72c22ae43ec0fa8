import { describe, expect, it } from 'vitest';
import type { SignatureCheck } from '../../../shared/contract/trust';
import type { Descriptor } from '../../../shared/oci/descriptors';
import { verifyNotaryEnvelope } from '../../../electron/core/signatures/notary/verify-envelope';
import type { NotaryTrust, TrustAnchor } from '../../../electron/core/signatures/notary-trust';
import { certificatesFromPemOrDer } from '../../../electron/core/signatures/x509/certificate-facts';
import { needsVectors, readVector } from '../../support/signing-vectors';

// Every Notary envelope vector of MANIFEST section A (N-01…N-18) with the trust configuration
// and verdict the MANIFEST states, through the verifier the import and the CLI use.

const anchors = (...paths: string[]): TrustAnchor[] =>
  paths.flatMap((path) =>
    certificatesFromPemOrDer(readVector(path)).map((der) => ({ name: path, der })),
  );
const trust = (t: { ca?: string[]; sa?: string[]; tsa?: string[] }): NotaryTrust => ({
  ca: anchors(...(t.ca ?? [])),
  signingAuthority: anchors(...(t.sa ?? [])),
  tsa: anchors(...(t.tsa ?? [])),
});

const R6 = 'notary/trust/tsa/globalsignRoot-R6.cer';
const DIGICERT = 'notary/trust/tsa/DigiCertTSARootSHA384.cer';
const TEST_ROOT = 'notary/trust/ca/NotationTestRoot.pem';
const TIMESTAMP_LEAF = 'notary/trust/ca/TestTimestamp.crt';
const ALPINE = 'notary/trust/ca/extracted/alpine-2000-2123.pem';
const SIGNATURE = `sha256:${'5'.repeat(64)}`;

/** notation-go internal/mock ImageDescriptor: the manifest bytes are not available. */
const MOCK_TARGET: Descriptor = {
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  digest: 'sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e',
  size: 528,
};
const TIMESTAMP_TARGET: Descriptor = {
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  digest: 'sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda',
  size: 528,
};
const BLOB_TARGET: Descriptor = {
  mediaType: 'application/octet-stream',
  digest: 'sha256:c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4',
  size: 11357,
};
const ALPINE_TARGET: Descriptor = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: 'sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0',
  size: 481,
};
const E2E_TARGET: Descriptor = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: 'sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9',
  size: 517,
};

function verify(
  envelope: string,
  target: Descriptor,
  t: NotaryTrust,
  mediaType?: string,
): SignatureCheck {
  return verifyNotaryEnvelope({
    envelope: readVector(envelope),
    target,
    trust: t,
    digest: SIGNATURE,
    ...(mediaType ? { mediaType } : {}),
  });
}

function expectVerified(check: SignatureCheck): void {
  expect(check.reason).toBeNull();
  expect(check.verdict).toBe('verified');
}

function expectInvalid(check: SignatureCheck, reason: RegExp): void {
  expect(check.verdict).toBe('invalid');
  expect(check.reason).toMatch(reason);
  // Plain words: no class names, codes or stack frames.
  expect(check.reason).not.toMatch(/[A-Z][a-z]+Error\b|\.(ts|js|mjs):\d+|\bE[A-Z]{4,}\b/);
  expect(check.trustedBy).toBeUndefined();
}

describe('Notary envelope vectors (MANIFEST A)', () => {
  it('N-01: a PS384 JWS chaining to NotationTestRoot (ca) is verified, signer and anchor named', (context) => {
    needsVectors(context);
    const check = verify(
      'notary/envelopes/mock/ca_valid_sig_env.json',
      MOCK_TARGET,
      trust({ ca: [TEST_ROOT] }),
    );
    expectVerified(check);
    expect(check).toMatchObject({
      digest: SIGNATURE,
      format: 'jws',
      signer: 'CN=Notation Test Root, O=Notary, L=Seattle, ST=WA, C=US',
      trustedBy: TEST_ROOT,
      signedAt: '2020-11-09T07:00:00Z',
    });
  });

  it('N-02: the same envelope against an unrelated root is invalid (no trusted certificate)', (context) => {
    needsVectors(context);
    const check = verify(
      'notary/envelopes/mock/ca_valid_sig_env.json',
      MOCK_TARGET,
      trust({ ca: ['notary/trust/ca/GlobalSignRootCA-R3.crt'] }),
    );
    expectInvalid(check, /certificate chain does not contain any trusted certificate/);
  });

  it('N-03 and N-06: a padded base64url payload (trailing =) is invalid: the signed text was altered', (context) => {
    needsVectors(context);
    expectInvalid(
      verify(
        'notary/envelopes/mock/ca_invalid_sig_env.json',
        MOCK_TARGET,
        trust({ ca: [TEST_ROOT] }),
      ),
      /payload is not strict base64url/,
    );
    expectInvalid(
      verify(
        'notary/envelopes/mock/sa_invalid_sig_env.json',
        MOCK_TARGET,
        trust({ sa: [TEST_ROOT] }),
      ),
      /payload is not strict base64url/,
    );
  });

  it('N-04: a signature whose expiry has passed is invalid, saying when it expired', (context) => {
    needsVectors(context);
    expectInvalid(
      verify(
        'notary/envelopes/mock/ca_expired_sig_env.json',
        MOCK_TARGET,
        trust({ ca: [TEST_ROOT] }),
      ),
      /^the signature's expiry date 2022-07-29T23:59:00Z has passed$/,
    );
  });

  it('N-05: a signingAuthority signature verifies against a signingAuthority store, not against a ca store', (context) => {
    needsVectors(context);
    const check = verify(
      'notary/envelopes/mock/sa_valid_sig_env.json',
      MOCK_TARGET,
      trust({ sa: [TEST_ROOT] }),
    );
    expectVerified(check);
    expect(check.trustedBy).toBe(TEST_ROOT);
    // The scheme picks the store type: the same root as a ca does not vouch for it.
    expectInvalid(
      verify(
        'notary/envelopes/mock/sa_valid_sig_env.json',
        MOCK_TARGET,
        trust({ ca: [TEST_ROOT] }),
      ),
      /no signing-authority certificates/,
    );
    // And a notary.x509 signature is not vouched for by a signingAuthority store.
    expectInvalid(
      verify(
        'notary/envelopes/mock/ca_valid_sig_env.json',
        MOCK_TARGET,
        trust({ sa: [TEST_ROOT] }),
      ),
      /no CA certificates/,
    );
  });

  it('N-07: an unknown critical header (and a verification plugin) makes a valid signature invalid', (context) => {
    needsVectors(context);
    const check = verify(
      'notary/envelopes/mock/ca_plugin_sig_env.json',
      MOCK_TARGET,
      trust({ ca: [TEST_ROOT] }),
    );
    expectInvalid(
      check,
      /the envelope names a critical header this verifier does not know: SomeKey/,
    );
    expect(check.reason).toMatch(/plugin "plugin-name"/);
  });

  it('N-08 (a) with the GlobalSign TSA root and (b) without timestamp authorities: the timestamped JWS is verified', (context) => {
    needsVectors(context);
    const withTsa = verify(
      'notary/envelopes/timestamp/jwsWithTimestamp.sig',
      TIMESTAMP_TARGET,
      trust({ ca: [TIMESTAMP_LEAF], tsa: [R6] }),
    );
    expectVerified(withTsa);
    expect(withTsa.timestampedAt).toBe('2024-06-18T06:29:37Z');
    const withoutTsa = verify(
      'notary/envelopes/timestamp/jwsWithTimestamp.sig',
      TIMESTAMP_TARGET,
      trust({ ca: [TIMESTAMP_LEAF] }),
    );
    expectVerified(withoutTsa);
    expect(withoutTsa.timestampedAt).toBeUndefined();
  });

  it('N-09: the COSE envelope with a timestamp is verified with and without TSA roots', (context) => {
    needsVectors(context);
    const withTsa = verify(
      'notary/envelopes/timestamp/coseWithTimestamp.sig',
      TIMESTAMP_TARGET,
      trust({ ca: [TIMESTAMP_LEAF], tsa: [R6] }),
    );
    expectVerified(withTsa);
    expect(withTsa).toMatchObject({
      format: 'cose',
      timestampedAt: '2024-06-18T06:27:16Z',
      signedAt: '2024-06-18T06:27:11Z',
    });
    expectVerified(
      verify(
        'notary/envelopes/timestamp/coseWithTimestamp.sig',
        TIMESTAMP_TARGET,
        trust({ ca: [TIMESTAMP_LEAF] }),
      ),
    );
  });

  it('N-10: a timestamp that does not chain to the trusted TSA root is invalid', (context) => {
    needsVectors(context);
    expectInvalid(
      verify(
        'notary/envelopes/timestamp/coseWithTimestamp.sig',
        TIMESTAMP_TARGET,
        trust({ ca: [TIMESTAMP_LEAF], tsa: [DIGICERT] }),
      ),
      /timestamp/,
    );
  });

  it('N-11: an expired leaf is (a) valid when a trusted timestamp falls inside its validity, (b) invalid without TSA roots', (context) => {
    needsVectors(context);
    const ca = ['notary/trust/ca/extracted/testTSA-2024-06-18.pem'];
    const withTsa = verify(
      'notary/envelopes/timestamp/coseExpiredWithTimestamp.sig',
      TIMESTAMP_TARGET,
      trust({ ca, tsa: [R6] }),
    );
    expectVerified(withTsa);
    expect(withTsa.timestampedAt).toBe('2024-06-18T07:21:12Z');
    expectInvalid(
      verify(
        'notary/envelopes/timestamp/coseExpiredWithTimestamp.sig',
        TIMESTAMP_TARGET,
        trust({ ca }),
      ),
      /has expired: it was valid until 2024-06-18T07:30:31Z/,
    );
  });

  it('N-12: a timestamp before the leaf becomes valid is invalid', (context) => {
    needsVectors(context);
    expectInvalid(
      verify(
        'notary/envelopes/timestamp/timestampBeforeNotBefore.sig',
        TIMESTAMP_TARGET,
        trust({ ca: ['notary/trust/ca/TestTimestampNotYetValid.crt'], tsa: [R6] }),
      ),
      /not yet valid at 2024-06-19/,
    );
  });

  it('N-13: without a timestamp, (a) invalid when TSA roots require one, (b) verified when they do not', (context) => {
    needsVectors(context);
    expectInvalid(
      verify(
        'notary/envelopes/timestamp/withoutTimestamp.sig',
        TIMESTAMP_TARGET,
        trust({ ca: [TIMESTAMP_LEAF], tsa: [R6] }),
      ),
      /has no timestamp, which the trust store requires/,
    );
    expectVerified(
      verify(
        'notary/envelopes/timestamp/withoutTimestamp.sig',
        TIMESTAMP_TARGET,
        trust({ ca: [TIMESTAMP_LEAF] }),
      ),
    );
  });

  it('N-14: the alpine JWS is verified against the recomputed digest of its manifest blob', (context) => {
    needsVectors(context);
    const manifest = readVector(
      `notary/oci-layouts/notation-go-alpine/blobs/sha256/${ALPINE_TARGET.digest.slice(7)}`,
    );
    expect(manifest.length).toBe(ALPINE_TARGET.size);
    const check = verify(
      'notary/oci-layouts/notation-go-alpine/jws_signature.sig',
      ALPINE_TARGET,
      trust({ ca: [ALPINE] }),
    );
    expectVerified(check);
    expect(check.signedAt).toBe('2023-03-14T08:10:02Z');
  });

  it('N-15: a valid signature checked against another artifact is invalid (digest and size differ)', (context) => {
    needsVectors(context);
    expectInvalid(
      verify(
        'notary/oci-layouts/notation-go-alpine/jws_signature.sig',
        E2E_TARGET,
        trust({ ca: [ALPINE] }),
      ),
      /the signature is for another artifact \(digest sha256:19dbd2e4\w+, size 481\)/,
    );
    // The media type alone differing is enough.
    expectInvalid(
      verify(
        'notary/oci-layouts/notation-go-alpine/jws_signature.sig',
        { ...ALPINE_TARGET, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' },
        trust({ ca: [ALPINE] }),
      ),
      /another artifact \(media type application\/vnd\.oci\.image\.manifest\.v1\+json\)/,
    );
  });

  it('N-16 and N-17: the blob signatures are invalid with either TSA root or none', (context) => {
    needsVectors(context);
    for (const envelope of [
      'notary/envelopes/blob/blob.jws.sig',
      'notary/envelopes/blob/blob.cose.sig',
    ]) {
      const leaf = verify(envelope, BLOB_TARGET, trust({})).signer;
      expect(leaf).toMatch(/^CN=testcert[23]/);
      for (const tsa of [[R6], [DIGICERT], []]) {
        // "any ca (even the x5c leaf itself)": the leaf as its own anchor.
        const check = verify(envelope, BLOB_TARGET, {
          ca: [{ name: 'leaf', der: x5cLeaf(envelope) }],
          signingAuthority: [],
          tsa: anchors(...tsa),
        });
        expectInvalid(check, tsa.length ? /timestamp/ : /has expired/);
      }
    }
  });

  it('N-18: 19 bytes that are not an envelope are invalid, never an exception', (context) => {
    needsVectors(context);
    expectInvalid(
      verify('notary/envelopes/blob/malformed.jws.sig', BLOB_TARGET, trust({ ca: [TEST_ROOT] })),
      /not a signature envelope/,
    );
    expectInvalid(
      verify(
        'notary/envelopes/blob/malformed.jws.sig',
        BLOB_TARGET,
        trust({ ca: [TEST_ROOT] }),
        'application/jose+json',
      ),
      /not valid JSON/,
    );
    expectInvalid(
      verify(
        'notary/envelopes/blob/malformed.jws.sig',
        BLOB_TARGET,
        trust({ ca: [TEST_ROOT] }),
        'application/cose',
      ),
      /not valid CBOR|not a tagged COSE_Sign1/,
    );
  });
});

/** The signing certificate an envelope carries (x5c[0] or x5chain). */
function x5cLeaf(path: string): Buffer {
  const bytes = readVector(path);
  if (bytes[0] === 0x7b) {
    const json = JSON.parse(bytes.toString('utf8')) as { header: { x5c: string[] } };
    return Buffer.from(json.header.x5c[0] as string, 'base64');
  }
  // COSE: find the first DER SEQUENCE of a certificate (30 82 len) after the x5chain label 33 (0x18 0x21).
  const at = bytes.indexOf(Buffer.from([0x18, 0x21]));
  const start = bytes.indexOf(Buffer.from([0x30, 0x82]), at);
  const length = bytes.readUInt16BE(start + 2) + 4;
  return bytes.subarray(start, start + length);
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode, Tagged } from 'cborg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignatureCheck } from '../../../shared/contract/trust';
import {
  decodeBase64Strict,
  decodeBase64urlStrict,
} from '../../../electron/core/signatures/base64url-strict';
import { verifyNotaryEnvelope } from '../../../electron/core/signatures/notary/verify-envelope';
import { identityTrusted } from '../../../electron/core/signatures/notary/trusted-identity';
import type { NotaryTrust } from '../../../electron/core/signatures/notary-trust';
import {
  createTestChain,
  descriptorOf,
  signCose,
  signJws,
  type TestChain,
} from '../../support/notary-test-signer';

// The cases the stored vectors lack (MANIFEST C): ECDSA signatures and a root → intermediate →
// leaf chain, in JWS and COSE, signed here; then every way an attacker could alter one.

const TARGET = descriptorOf(
  Buffer.from('{"schemaVersion":2}'),
  'application/vnd.oci.image.manifest.v1+json',
);
const OTHER = descriptorOf(
  Buffer.from('{"schemaVersion":2,"other":1}'),
  'application/vnd.oci.image.manifest.v1+json',
);
const SIGNATURE = `sha256:${'7'.repeat(64)}`;
const SIGNER = 'CN=Test Signer, O=Test Supplier, ST=Bavaria, C=DE';

let dir: string;
let chain: TestChain;
let stranger: TestChain;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'notary-generated-'));
  chain = createTestChain(join(dir, 'supplier'));
  stranger = createTestChain(join(dir, 'stranger'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const trustRoot = (c: TestChain, extra: Partial<NotaryTrust> = {}): NotaryTrust => ({
  ca: [{ name: 'ca/root.pem', der: c.rootDer }],
  signingAuthority: [],
  tsa: [],
  ...extra,
});

function verify(
  envelope: Buffer,
  trust: NotaryTrust,
  options: { mediaType?: string; now?: Date; target?: typeof TARGET } = {},
): SignatureCheck {
  return verifyNotaryEnvelope({
    envelope,
    target: options.target ?? TARGET,
    trust,
    digest: SIGNATURE,
    ...(options.mediaType ? { mediaType: options.mediaType } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

function expectInvalid(check: SignatureCheck, reason: RegExp): void {
  expect(check.verdict).toBe('invalid');
  expect(check.reason).toMatch(reason);
}

/** A JWS as JSON, to alter one member and serialize it again. */
function jwsJson(envelope: Buffer): Record<string, unknown> & {
  header: Record<string, unknown>;
  protected: string;
  payload: string;
  signature: string;
} {
  return JSON.parse(envelope.toString('utf8')) as never;
}

describe('generated ECDSA envelopes with a 3-level chain', () => {
  it('an ES256 JWS chaining leaf → intermediate → trusted root is verified', () => {
    const check = verify(signJws(chain, TARGET), trustRoot(chain));
    expect(check).toMatchObject({
      verdict: 'verified',
      format: 'jws',
      signer: SIGNER,
      trustedBy: 'ca/root.pem',
      reason: null,
    });
  });

  it('an ES256 COSE_Sign1 with the same chain is verified (format detected from the bytes)', () => {
    const check = verify(signCose(chain, TARGET), trustRoot(chain));
    expect(check).toMatchObject({
      verdict: 'verified',
      format: 'cose',
      signer: SIGNER,
      trustedBy: 'ca/root.pem',
    });
  });

  it('ES384 and ES512 leaves verify in both formats', () => {
    for (const [curve, alg] of [
      ['secp384r1', 'ES384'],
      ['secp521r1', 'ES512'],
    ] as const) {
      const c = createTestChain(join(dir, curve), { leafCurve: curve });
      expect(verify(signJws(c, TARGET, { alg }), trustRoot(c)).verdict).toBe('verified');
      expect(verify(signCose(c, TARGET, { alg }), trustRoot(c)).verdict).toBe('verified');
    }
  }, 60_000);

  it('the intermediate alone in the trust store vouches for the leaf', () => {
    const check = verify(signJws(chain, TARGET), {
      ca: [{ name: 'ca/intermediate.pem', der: chain.intermediateDer }],
      signingAuthority: [],
      tsa: [],
    });
    expect(check).toMatchObject({ verdict: 'verified', trustedBy: 'ca/intermediate.pem' });
  });

  it('an x5c sent without its intermediate does not reach the root', () => {
    expectInvalid(
      verify(signJws(chain, TARGET, { certificates: [chain.leafDer] }), trustRoot(chain)),
      /does not contain any trusted certificate/,
    );
  });

  it("another supplier's root does not vouch for the signature", () => {
    expectInvalid(
      verify(signJws(chain, TARGET), trustRoot(stranger)),
      /does not contain any trusted certificate/,
    );
    expectInvalid(
      verify(signCose(chain, TARGET), trustRoot(stranger)),
      /does not contain any trusted certificate/,
    );
  });

  it('a leaf without the codeSigning extended key usage is refused', () => {
    const server = createTestChain(join(dir, 'server'), { leafProfile: 'serverleaf' });
    expectInvalid(verify(signJws(server, TARGET), trustRoot(server)), /code signing/);
  }, 30_000);

  it('a chain checked after it expired is invalid; an expiry in the future is fine until it passes', () => {
    const later = new Date(Date.now() + 40 * 24 * 3600 * 1000);
    expectInvalid(verify(signJws(chain, TARGET), trustRoot(chain), { now: later }), /has expired/);
    const expiry = new Date(Date.now() + 24 * 3600 * 1000);
    expect(verify(signJws(chain, TARGET, { expiry }), trustRoot(chain)).verdict).toBe('verified');
    expectInvalid(
      verify(signCose(chain, TARGET, { expiry }), trustRoot(chain), {
        now: new Date(expiry.getTime() + 1000),
      }),
      /the signature's expiry date .* has passed/,
    );
  });

  it('a signature for another artifact is invalid', () => {
    expectInvalid(verify(signJws(chain, OTHER), trustRoot(chain)), /for another artifact/);
    expectInvalid(verify(signCose(chain, OTHER), trustRoot(chain)), /for another artifact/);
  });

  it('trusted identities: the leaf subject must equal one, attributes in any order; * trusts any', () => {
    const envelope = signJws(chain, TARGET);
    const reordered = 'C=DE, ST=Bavaria, O=Test Supplier, CN=Test Signer';
    expect(verify(envelope, trustRoot(chain, { identities: [reordered] })).verdict).toBe(
      'verified',
    );
    expect(verify(envelope, trustRoot(chain, { identities: ['*'] })).verdict).toBe('verified');
    expectInvalid(
      verify(envelope, trustRoot(chain, { identities: ['C=DE, O=Test Supplier, CN=Test Signer'] })),
      /is not one of the trusted identities/,
    );
  });
});

describe('tampered JWS envelopes', () => {
  it('a payload swapped after signing fails the signature', () => {
    const json = jwsJson(signJws(chain, TARGET));
    json.payload = Buffer.from(JSON.stringify({ targetArtifact: OTHER })).toString('base64url');
    expectInvalid(
      verify(Buffer.from(JSON.stringify(json)), trustRoot(chain), { target: OTHER }),
      /does not match the signed content/,
    );
  });

  it('padding, + or / and non-canonical base64url are refused (N-03 applied to every member)', () => {
    const json = jwsJson(signJws(chain, TARGET));
    for (const member of ['payload', 'protected', 'signature'] as const) {
      expectInvalid(
        verify(
          Buffer.from(JSON.stringify({ ...json, [member]: `${json[member]}=` })),
          trustRoot(chain),
        ),
        /not strict base64url/,
      );
    }
    const slash = { ...json, signature: json.signature.replace(/_/g, '/').replace(/-/g, '+') };
    if (slash.signature !== json.signature)
      expectInvalid(
        verify(Buffer.from(JSON.stringify(slash)), trustRoot(chain)),
        /not strict base64url/,
      );
    // ES256 signatures are 64 bytes = 86 characters with 4 unused bits: set one of them.
    const last = json.signature.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sloppy = json.signature.slice(0, -1) + (alphabet[alphabet.indexOf(last) | 1] as string);
    expect(Buffer.from(sloppy, 'base64url')).toEqual(Buffer.from(json.signature, 'base64url'));
    expectInvalid(
      verify(Buffer.from(JSON.stringify({ ...json, signature: sloppy })), trustRoot(chain)),
      /not strict base64url/,
    );
  });

  it('an alg that does not fit the key is refused even when the signature was made with it', () => {
    // Signed with SHA-384 over a P-256 key: the bytes verify, but ES384 requires P-384.
    expectInvalid(
      verify(signJws(chain, TARGET, { alg: 'ES384' }), trustRoot(chain)),
      /requires ES256/,
    );
    expectInvalid(
      verify(signCose(chain, TARGET, { alg: 'ES384' }), trustRoot(chain)),
      /requires ES256/,
    );
  });

  it('an unknown critical header is refused; a known one not marked critical too', () => {
    expectInvalid(
      verify(
        signJws(chain, TARGET, {
          extraProtected: { 'io.example.policy': 'x' },
          extraCritical: ['io.example.policy'],
        }),
        trustRoot(chain),
      ),
      /^the envelope names a critical header this verifier does not know: io\.example\.policy$/,
    );
    expectInvalid(
      verify(
        signCose(chain, TARGET, {
          extraProtected: { 'io.example.policy': 'x' },
          extraCritical: ['io.example.policy'],
        }),
        trustRoot(chain),
      ),
      /critical header this verifier does not know: io\.example\.policy/,
    );
    expectInvalid(
      verify(
        signJws(chain, TARGET, {
          extraProtected: { 'io.cncf.notary.expiry': '2999-01-01T00:00:00Z' },
        }),
        trustRoot(chain),
      ),
      /does not mark io\.cncf\.notary\.expiry critical/,
    );
  });

  it('a header both protected and unprotected, or a general-serialization member, is refused', () => {
    const json = jwsJson(signJws(chain, TARGET));
    expectInvalid(
      verify(
        Buffer.from(JSON.stringify({ ...json, header: { ...json.header, alg: 'ES256' } })),
        trustRoot(chain),
      ),
      /both protected and unprotected/,
    );
    expectInvalid(
      verify(Buffer.from(JSON.stringify({ ...json, signatures: [] })), trustRoot(chain)),
      /members a flattened JWS does not have/,
    );
  });

  it('more than 10 certificates, an unreadable certificate or an oversize envelope are refused without work', () => {
    const many = Array.from({ length: 11 }, () => chain.leafDer);
    expectInvalid(
      verify(signJws(chain, TARGET, { certificates: many }), trustRoot(chain)),
      /11 certificates, more than the 10 allowed/,
    );
    expectInvalid(
      verify(signCose(chain, TARGET, { certificates: many }), trustRoot(chain)),
      /11 certificates/,
    );
    expectInvalid(
      verify(
        signJws(chain, TARGET, { certificates: [Buffer.from('not a certificate')] }),
        trustRoot(chain),
      ),
      /certificate could not be read/,
    );
    const huge = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    huge[0] = 0x7b;
    expectInvalid(verify(huge, trustRoot(chain)), /larger than 4194304 bytes/);
  });
});

describe('tampered and hostile COSE envelopes', () => {
  it('a flipped signature byte or a changed payload fails the signature', () => {
    const envelope = signCose(chain, TARGET);
    const flipped = Buffer.from(envelope);
    flipped[flipped.length - 5] = (flipped[flipped.length - 5] as number) ^ 0x01;
    expectInvalid(verify(flipped, trustRoot(chain)), /does not match the signed content/);
    const changed = Buffer.from(
      envelope.toString('latin1').replace(TARGET.digest, OTHER.digest),
      'latin1',
    );
    expectInvalid(
      verify(changed, trustRoot(chain), { target: OTHER }),
      /does not match the signed content/,
    );
  });

  it('an untagged, a detached-payload or a malformed message is invalid with a reason', () => {
    const protectedBytes = encode(new Map([[1, -7]]));
    const untagged = Buffer.from(
      encode([protectedBytes, new Map(), new Uint8Array(1), new Uint8Array(64)]),
    );
    expectInvalid(
      verify(untagged, trustRoot(chain), { mediaType: 'application/cose' }),
      /not a tagged COSE_Sign1/,
    );
    expectInvalid(verify(untagged, trustRoot(chain)), /not a signature envelope/);
    const detached = Buffer.from(
      encode(
        new Tagged(18, [protectedBytes, new Map([[33, chain.leafDer]]), null, new Uint8Array(64)]),
      ),
    );
    expectInvalid(verify(detached, trustRoot(chain)), /does not carry its payload/);
    const truncated = signCose(chain, TARGET).subarray(0, 200);
    expectInvalid(verify(truncated, trustRoot(chain)), /not valid CBOR/);
  });

  it('CBOR nested 100 000 levels deep is refused quickly instead of exhausting the stack', () => {
    const depth = 100_000;
    const hostile = Buffer.concat([
      Buffer.from([0xd2, 0x84]),
      Buffer.alloc(depth, 0x81),
      Buffer.from([0x00]),
    ]);
    const started = Date.now();
    expectInvalid(verify(hostile, trustRoot(chain)), /nests deeper than 16 levels/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('duplicate map keys in the protected header are refused', () => {
    // a2 01 26 01 26: {1: -7, 1: -7}
    const protectedBytes = Buffer.from('a201260126', 'hex');
    const envelope = Buffer.from(
      encode(
        new Tagged(18, [
          protectedBytes,
          new Map([[33, chain.leafDer]]),
          new Uint8Array(1),
          new Uint8Array(64),
        ]),
      ),
    );
    expectInvalid(verify(envelope, trustRoot(chain)), /protected header is not valid CBOR/);
  });
});

describe('strict base64 and identities', () => {
  it('base64url: only the canonical unpadded spelling decodes', () => {
    expect(decodeBase64urlStrict('QUJD')).toEqual(Buffer.from('ABC'));
    expect(decodeBase64urlStrict('QUI')).toEqual(Buffer.from('AB'));
    for (const bad of ['QUI=', 'QU+D', 'QU/D', 'QUJ', 'QUJD\n', 'Q', 'QUI ', 'QUJ='])
      expect(decodeBase64urlStrict(bad), bad).toBeUndefined();
    expect(decodeBase64Strict('QUI=')).toEqual(Buffer.from('AB'));
    for (const bad of ['QUI', 'QUJ=', 'QU_D', 'QU\nI='])
      expect(decodeBase64Strict(bad), bad).toBeUndefined();
  });

  it('identities compare as sets of attributes, with RFC 4514 escapes', () => {
    const subject = [
      { type: 'C', value: 'US' },
      { type: 'O', value: 'Acme, Inc.' },
      { type: 'CN', value: 'signer' },
    ];
    expect(identityTrusted(subject, ['CN=signer, O=Acme\\, Inc., C=US'])).toBe(true);
    expect(identityTrusted(subject, ['CN=signer, O=Acme\\, Inc.'])).toBe(false);
    expect(identityTrusted(subject, ['CN=signer, O=Acme\\, Inc., C=US, OU=extra'])).toBe(false);
    expect(identityTrusted(subject, ['garbage'])).toBe(false);
    expect(identityTrusted(subject, [])).toBe(true);
    expect(identityTrusted(subject, undefined)).toBe(true);
  });
});

import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtifactVerification } from '../../../shared/contract/trust';
import { REPO_ROOT } from '../../support/run-cli';
import { readTrustedRoot } from '../../../electron/core/signatures/sigstore/trusted-root';
import {
  verifySigstoreBundle,
  type SigstoreBundleInput,
} from '../../../electron/core/signatures/sigstore/verify-bundle';
import {
  conformanceCases,
  describeWithVectors,
  needsVectors,
  PUBLIC_GOOD_ROOT,
  sigstorePath,
  type ConformanceCase,
} from '../../support/sigstore-vectors';

const BUNDLE_DIGEST = `sha256:${'b'.repeat(64)}`;
const read = (path: string) => readFileSync(sigstorePath(path));
const json = (path: string): unknown => JSON.parse(read(path).toString('utf8'));

/** A reason people read: one plain sentence, no error codes, class names or "undefined". */
function expectPlainReason(reason: string | null | undefined): void {
  expect(reason).toMatch(/^[a-z]/);
  expect(reason).not.toMatch(/\b[A-Z]+_[A-Z_]+\b|Error\b|undefined|\[object|\n/);
}

function inputOf(c: ConformanceCase): SigstoreBundleInput {
  return {
    bundle: readFileSync(c.bundle),
    artifact: readFileSync(c.artifact),
    keys: c.key ? [{ name: 'key.pub', pem: readFileSync(c.key, 'utf8') }] : [],
    trustedRoots: [
      { name: 'trusted_root.json', json: JSON.parse(readFileSync(c.trustedRoot, 'utf8')) },
    ],
    ...(c.identity ? { identity: c.identity } : {}),
    ...(c.issuer ? { issuer: c.issuer } : {}),
    digest: BUNDLE_DIGEST,
  };
}

/** Why these cases fail, as the verifier must say it (a substring of the reason). */
const CONFORMANCE_REASONS: Record<string, string> = {
  'bundle-malformed-json_fail': 'the bundle is not valid JSON',
  'bundle-unknown-version_fail': 'is not a Sigstore bundle version this verifier knows',
  'bundle-invalid-base64-signature_fail': 'its signature is not valid base64',
  'bundle-negative-log-index_fail': 'transparency-log entry index is negative',
  'bundle-empty-certificate-chain_fail': 'its certificate chain is empty',
  'bundle-with-root-cert_fail': 'certificate chain includes a root certificate',
  'trust-root-tlog-missing-validity-start_fail':
    'the trusted root is malformed: transparency log https://log2025-alpha1.rekor.sigstage.dev has no validity start',
  'wrong-material_fail': 'the artifact is not the one the bundle signs',
  'managed-key-no-key_fail': 'no Sigstore key was provided',
  'rekor2-no-timestamp_fail': 'no trusted timestamp',
  'integrated-time-in-future_fail': 'was not valid at the trusted time',
  'invalid-ct-key_fail': 'certificate transparency timestamp does not verify',
  'intoto-missing-inclusion-proof_fail': 'has no inclusion proof',
  'bundle-from-wrong-instance_fail':
    'does not chain to a certificate authority of the trusted root',
  'rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail':
    "does not verify against the trusted root's timestamp authorities",
  'checkpoint-bad-keyhint_fail': 'checkpoint',
  'wrong-hashedrekord-entry_fail': 'does not record this signature',
};

describeWithVectors(
  'sigstore-conformance bundle-verify cases, verdict from the _fail suffix, suite defaults',
  (dir) => {
    const cases = conformanceCases(dir);

    it('finds every case the MANIFEST lists', () => {
      expect(cases.length).toBeGreaterThanOrEqual(62);
      expect(cases.filter((c) => c.expectValid).length).toBeGreaterThanOrEqual(18);
    });

    for (const c of cases) {
      it(`${c.name} is ${c.expectValid ? 'verified' : 'invalid'}`, async () => {
        const result = ArtifactVerification.parse(await verifySigstoreBundle(inputOf(c)));
        const [check] = result.signatures;
        expect(result.signatures).toHaveLength(1);
        expect(check?.format).toBe('sigstore');
        expect(check?.digest).toBe(BUNDLE_DIGEST);
        const artifactDigest = `sha256:${createHash('sha256').update(readFileSync(c.artifact)).digest('hex')}`;
        expect(result.artifact).toBe(artifactDigest);
        if (c.expectValid) {
          expect({ verdict: result.verdict, reason: check?.reason }).toEqual({
            verdict: 'verified',
            reason: null,
          });
          expect(check?.signer).toBe(c.identity ?? 'key key.pub');
          expect(check?.timestampedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          expect(check?.signedAt).toBe(check?.timestampedAt);
        } else {
          expect(result.verdict).toBe('invalid');
          expect(check?.verdict).toBe('invalid');
          expectPlainReason(check?.reason);
          const expected = CONFORMANCE_REASONS[c.name];
          if (expected) expect(check?.reason).toContain(expected);
        }
      });
    }

    it('keeps a trusted root whose validity ends exactly at the signing time (closed interval)', async () => {
      const c = cases.find((x) => x.name === 'trust-root-tlog-validity-end-inclusive');
      const root = JSON.parse(readFileSync(c!.trustedRoot, 'utf8')) as {
        tlogs: { publicKey: { validFor: { end?: string } } }[];
      };
      expect(root.tlogs[0]?.publicKey.validFor.end).toBe('2023-07-12T15:56:36Z');
      const result = await verifySigstoreBundle(inputOf(c!));
      expect(result.signatures[0]?.timestampedAt).toBe('2023-07-12T15:56:36.000Z');
      expect(result.verdict).toBe('verified');
    });
  },
);

describe('Sigstore key and trusted-root cases outside the suite (MANIFEST B.1)', () => {
  const G = 'sigstore-go/public-key-validity';
  const K = 'derived/key-only-no-timestamp';
  const O = 'cosign/oci-attestation';
  const s01 = (): SigstoreBundleInput => ({
    bundle: read(`${G}/bundle.sigstore.json`),
    artifact: read(`${G}/artifact`),
    keys: [{ name: 'key.pem', pem: read(`${G}/key.pem`).toString('utf8') }],
    trustedRoots: [{ name: 'trusted_root.json', json: json(`${G}/trusted_root.json`) }],
    digest: BUNDLE_DIGEST,
  });
  const s03 = (root: string): SigstoreBundleInput => ({
    bundle: read(`${O}/oci-attestation.sigstore.json`),
    trustedRoots: [{ name: 'root', json: json(root) }],
    identity: 'cody@soyland.com',
    issuer: 'https://github.com/login/oauth',
    digest: BUNDLE_DIGEST,
  });
  const S01_DIGEST = 'sha256:6ae8a75555209fd6c44157c0aed8016e763ff435a19cf186f76863140143ff72';

  const table: {
    id: string;
    input: () => SigstoreBundleInput;
    thresholds?: { tlog?: number; timestamp?: number; ctlog?: number };
    verdict: 'verified' | 'invalid';
    says: string;
  }[] = [
    {
      id: 'S-01 key + root with one TSA, no log: timestamp required, none of the rest',
      input: s01,
      verdict: 'verified',
      says: '2026-06-04T17:43:29.000Z',
    },
    {
      id: 'S-01b as S-01 with a transparency-log entry required',
      input: s01,
      thresholds: { tlog: 1 },
      verdict: 'invalid',
      says: 'the bundle has no transparency-log entry',
    },
    {
      id: 'S-01c as S-01 with other artifact bytes',
      input: () => ({ ...s01(), artifact: Buffer.from('test content!') }),
      verdict: 'invalid',
      says: 'the artifact is not the one the bundle signs',
    },
    {
      id: 'S-01d as S-01 with a key valid only in the first second of 1970',
      input: () => ({
        ...s01(),
        keys: [
          {
            name: 'key.pem',
            pem: read(`${G}/key.pem`).toString('utf8'),
            validFor: { start: new Date(0), end: new Date(1000) },
          },
        ],
      }),
      verdict: 'invalid',
      says: 'the key was not valid at the time the bundle was signed',
    },
    {
      id: 'S-01e as S-01 against the public-good root (untrusted TSA)',
      input: () => ({ ...s01(), trustedRoots: [{ name: 'pg', json: json(PUBLIC_GOOD_ROOT) }] }),
      verdict: 'invalid',
      says: "does not verify against the trusted root's timestamp authorities",
    },
    {
      id: 'S-02 key only, no root: digest and signature only',
      input: () => ({
        bundle: read(`${K}/bundle.sigstore.json`),
        artifact: read(`${K}/artifact`),
        keys: [{ name: 'key.pem', pem: read(`${K}/key.pem`).toString('utf8') }],
        digest: BUNDLE_DIGEST,
      }),
      verdict: 'verified',
      says: 'key key.pem',
    },
    {
      id: 'S-02 under the default thresholds (1, 1, 1)',
      input: () => ({
        bundle: read(`${K}/bundle.sigstore.json`),
        artifact: read(`${K}/artifact`),
        keys: [{ name: 'key.pem', pem: read(`${K}/key.pem`).toString('utf8') }],
        digest: BUNDLE_DIGEST,
      }),
      thresholds: { tlog: 1, timestamp: 1, ctlog: 1 },
      verdict: 'invalid',
      says: 'no trusted timestamp',
    },
    {
      id: 'S-03 DSSE attestation of an OCI image, its own root, without the artifact',
      input: () => s03(`${O}/trusted_root_pgi.json`),
      verdict: 'verified',
      says: 'cody@soyland.com',
    },
    {
      id: 'S-03 against the public-good root',
      input: () => s03(PUBLIC_GOOD_ROOT),
      verdict: 'verified',
      says: 'cody@soyland.com',
    },
    {
      id: 'S-03 requiring another identity',
      input: () => ({ ...s03(`${O}/trusted_root_pgi.json`), identity: 'mallory@example.com' }),
      verdict: 'invalid',
      says: "the signing certificate's identity cody@soyland.com is not the required mallory@example.com",
    },
    {
      id: 'S-03 requiring another issuer',
      input: () => ({
        ...s03(`${O}/trusted_root_pgi.json`),
        issuer: 'https://accounts.google.com',
      }),
      verdict: 'invalid',
      says: 'not the required issuer https://accounts.google.com',
    },
  ];

  for (const row of table) {
    it(`${row.id}: ${row.verdict}`, async (context) => {
      needsVectors(context);
      const result = await verifySigstoreBundle(row.input(), row.thresholds);
      const [check] = result.signatures;
      expect(result.verdict).toBe(row.verdict);
      expect(JSON.stringify(check)).toContain(row.says);
      if (row.verdict === 'invalid') expectPlainReason(check?.reason);
    });
  }

  it('S-01 reports the artifact, the key as signer and trust, and the TSA time', async (context) => {
    needsVectors(context);
    expect(await verifySigstoreBundle(s01())).toEqual({
      artifact: S01_DIGEST,
      verdict: 'verified',
      signatures: [
        {
          digest: BUNDLE_DIGEST,
          format: 'sigstore',
          verdict: 'verified',
          signer: 'key key.pem',
          reason: null,
          trustedBy: 'key.pem',
          signedAt: '2026-06-04T17:43:29.000Z',
          timestampedAt: '2026-06-04T17:43:29.000Z',
        },
      ],
    });
  });

  it('S-03 without the artifact states the image digest its in-toto statement names', async (context) => {
    needsVectors(context);
    const result = await verifySigstoreBundle(s03(`${O}/trusted_root_pgi.json`));
    expect(result.artifact).toBe(
      'sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4',
    );
    expect(result.signatures[0]?.timestampedAt).toBe('2025-02-28T19:18:11.000Z');
  });

  it('a DSSE bundle given a file its statement does not name is invalid', async (context) => {
    needsVectors(context);
    const result = await verifySigstoreBundle({
      ...s03(`${O}/trusted_root_pgi.json`),
      artifact: Buffer.from('some other image manifest'),
    });
    expect(result.signatures[0]?.reason).toBe(
      'the artifact is not a subject of the in-toto statement the bundle signs',
    );
  });

  it('a message signature cannot be verified without the artifact', async (context) => {
    needsVectors(context);
    const { artifact: _, ...withoutArtifact } = s01();
    const result = await verifySigstoreBundle(withoutArtifact);
    expect(result.artifact).toBe(S01_DIGEST);
    expect(result.signatures[0]?.reason).toBe(
      "the bundle signs the artifact's bytes, so it cannot be verified without the artifact",
    );
  });

  it('a corrupted managed key (managed-key-wrong-key: key.pub is not a key) is invalid, not a crash', async (context) => {
    needsVectors(context);
    const good = read('conformance/managed-key-happy-path/key.pub').toString('utf8');
    const corrupted = good.replace(/^(MFkw)(.{8})/m, '$1!!!!$2');
    expect(corrupted).not.toBe(good);
    const result = await verifySigstoreBundle({
      bundle: read('conformance/managed-key-happy-path/bundle.sigstore.json'),
      artifact: read('conformance/a.txt'),
      keys: [{ name: 'key.pub', pem: corrupted }],
      trustedRoots: [{ name: 'pg', json: json(PUBLIC_GOOD_ROOT) }],
      digest: BUNDLE_DIGEST,
    });
    expect(result.verdict).toBe('invalid');
    expect(result.signatures[0]?.reason).toBe('the key key.pub is not a valid public key');
  });
});

describe('trusted roots are checked before they are trusted', () => {
  type Root = Record<
    string,
    { validFor?: Record<string, unknown>; publicKey?: { validFor: Record<string, unknown> } }[]
  >;
  const KINDS: [keyof Root & string, string, (r: Root) => Record<string, unknown>][] = [
    [
      'tlogs',
      'transparency log https://rekor.sigstore.dev',
      (r) => r.tlogs![0]!.publicKey!.validFor,
    ],
    [
      'ctlogs',
      'certificate transparency log https://ctfe.sigstore.dev/test',
      (r) => r.ctlogs![0]!.publicKey!.validFor,
    ],
    [
      'certificateAuthorities',
      'certificate authority sigstore',
      (r) => r.certificateAuthorities![0]!.validFor!,
    ],
    [
      'timestampAuthorities',
      'timestamp authority sigstore-tsa-selfsigned',
      (r) => r.timestampAuthorities![0]!.validFor!,
    ],
  ];

  for (const [kind, named, validFor] of KINDS) {
    it(`refuses a root whose first entry of ${kind} has no validity start`, (context) => {
      needsVectors(context);
      const root = json(PUBLIC_GOOD_ROOT) as Root;
      expect(readTrustedRoot('pg', root).ok).toBe(true);
      delete validFor(root).start;
      const reading = readTrustedRoot('pg', root);
      expect(reading).toEqual({
        ok: false,
        reason: `the trusted root is malformed: ${named} has no validity start (pg)`,
      });
    });
  }

  it('refuses a verification against such a root, with that reason', async (context) => {
    needsVectors(context);
    const root = json(PUBLIC_GOOD_ROOT) as Root;
    delete root.certificateAuthorities![1]!.validFor!.start;
    const result = await verifySigstoreBundle({
      bundle: read('conformance/happy-path-v0.3/bundle.sigstore.json'),
      artifact: read('conformance/a.txt'),
      trustedRoots: [{ name: 'pg', json: root }],
      digest: BUNDLE_DIGEST,
    });
    expect(result.verdict).toBe('invalid');
    expect(result.signatures[0]?.reason).toMatch(
      /^the trusted root is malformed: certificate authority .* has no validity start \(pg\)$/,
    );
  });

  it('refuses text that is not JSON, and JSON that is not a trusted root', () => {
    expect(readTrustedRoot('x.json', Buffer.from('{"mediaType":'))).toEqual({
      ok: false,
      reason: 'the trusted root is malformed: it is not valid JSON (x.json)',
    });
    expect(readTrustedRoot('x.json', { mediaType: 'application/json' })).toEqual({
      ok: false,
      reason:
        'the trusted root is malformed: its mediaType is not a Sigstore trusted root (x.json)',
    });
  });
});

describe('a key-only bundle signed here with a fresh P-256 key (cosign sign-blob --key, no Rekor)', () => {
  const supplier = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
  const ARTIFACT = Buffer.from('app-package-1.4.2.tar: the bytes a supplier shipped\n');

  /** A minimal protobuf-specs v0.3 bundle: message signature, public-key hint, no log, no timestamp. */
  function keyOnlyBundle(artifact: Buffer, signer: KeyObject, digestOf = artifact): Buffer {
    return Buffer.from(
      JSON.stringify({
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        verificationMaterial: { publicKey: { hint: 'supplier-2026' }, tlogEntries: [] },
        messageSignature: {
          messageDigest: {
            algorithm: 'SHA2_256',
            digest: createHash('sha256').update(digestOf).digest('base64'),
          },
          // node:crypto signs ECDSA as ASN.1 DER, the encoding Sigstore uses.
          signature: sign('sha256', artifact, signer).toString('base64'),
        },
      }),
    );
  }
  const verify = (input: Partial<SigstoreBundleInput>, thresholds?: { timestamp?: number }) =>
    verifySigstoreBundle(
      {
        bundle: keyOnlyBundle(ARTIFACT, supplier.privateKey),
        artifact: ARTIFACT,
        keys: [{ name: 'supplier', pem: pem(supplier.publicKey) }],
        digest: BUNDLE_DIGEST,
        ...input,
      },
      thresholds,
    );

  it('verifies, naming the key, with no signing time', async () => {
    const result = await verify({});
    expect(result.verdict).toBe('verified');
    expect(result.artifact).toBe(`sha256:${createHash('sha256').update(ARTIFACT).digest('hex')}`);
    expect(result.signatures[0]).toMatchObject({
      signer: 'key supplier',
      trustedBy: 'supplier',
      signedAt: null,
      timestampedAt: null,
    });
  });

  it('refuses the artifact with one byte changed', async () => {
    const tampered = Buffer.from(ARTIFACT);
    tampered.writeUInt8(tampered.readUInt8(0) ^ 1, 0);
    const result = await verify({ artifact: tampered });
    expect(result.verdict).toBe('invalid');
    expect(result.signatures[0]?.reason).toBe(
      "the artifact is not the one the bundle signs: its sha256 digest differs from the bundle's",
    );
  });

  it('refuses a changed artifact whose digest was updated in the bundle: the signature gives it away', async () => {
    const tampered = Buffer.from('app-package-1.4.2.tar: something else\n');
    const forged = JSON.parse(keyOnlyBundle(ARTIFACT, supplier.privateKey).toString()) as {
      messageSignature: { messageDigest: { digest: string } };
    };
    forged.messageSignature.messageDigest.digest = createHash('sha256')
      .update(tampered)
      .digest('base64');
    const result = await verify({
      bundle: Buffer.from(JSON.stringify(forged)),
      artifact: tampered,
    });
    expect(result.verdict).toBe('invalid');
    expect(result.signatures[0]?.reason).toBe(
      'the signature does not verify with the key supplier',
    );
  });

  it('refuses a bundle signed with another key', async () => {
    const result = await verify({ bundle: keyOnlyBundle(ARTIFACT, stranger.privateKey) });
    expect(result.signatures[0]?.reason).toBe(
      'the signature does not verify with the key supplier',
    );
  });

  it('finds the signing key among several, and names it', async () => {
    const result = await verify({
      keys: [
        { name: 'stranger', pem: pem(stranger.publicKey) },
        { name: 'supplier', pem: pem(supplier.publicKey) },
      ],
    });
    expect(result.signatures[0]?.signer).toBe('key supplier');
  });

  it('refuses a private key given as the key, without using it', async () => {
    const privatePem = supplier.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const result = await verify({ keys: [{ name: 'supplier.key', pem: privatePem }] });
    expect(result.signatures[0]?.reason).toBe(
      'the key supplier.key is a private key: give the public key (-----BEGIN PUBLIC KEY-----)',
    );
  });

  it('refuses a key whose validity ended when there is no timestamp to check it at', async () => {
    const result = await verify({
      keys: [
        {
          name: 'supplier',
          pem: pem(supplier.publicKey),
          validFor: { end: new Date('2020-01-01') },
        },
      ],
    });
    expect(result.signatures[0]?.reason).toBe(
      'the key is not valid now, and the bundle has no trusted timestamp of when it was signed',
    );
  });

  it('refuses when a certificate identity is required: a key has none', async () => {
    const result = await verify({ identity: 'builds@supplier.example' });
    expect(result.signatures[0]?.reason).toMatch(/signed with a key, not a certificate/);
  });

  it('refuses when a timestamp is required and there is none', async () => {
    const result = await verify({}, { timestamp: 1 });
    expect(result.signatures[0]?.reason).toBe(
      'the bundle has no trusted timestamp, and the trusted root requires one',
    );
  });

  it('refuses a bundle with no key to check it against', async () => {
    const result = await verify({ keys: [] });
    expect(result.signatures[0]?.reason).toBe(
      'the bundle is signed with a key, and no Sigstore key was provided to check it',
    );
  });
});

describe('Sigstore verification cannot reach the network', () => {
  const NETWORK =
    /(?:require\(|from |import\()\s*["'](?:node:)?(?:http|https|http2|net|tls|dns|dgram|undici|sigstore|@sigstore\/tuf|@sigstore\/sign|tuf-js)["']|\bfetch\(/;

  function sources(dir: string, ext: RegExp): string[] {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => ext.test(file))
      .map((file) => join(dir, file));
  }

  it('neither our modules nor the @sigstore packages they load use a network module, TUF or fetch', () => {
    const files = [
      ...sources(join(REPO_ROOT, 'electron/core/signatures/sigstore'), /\.ts$/),
      ...['verify', 'bundle', 'core', 'protobuf-specs'].flatMap((p) =>
        sources(join(REPO_ROOT, 'node_modules/@sigstore', p, 'dist'), /\.js$/),
      ),
    ];
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.filter((file) => NETWORK.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
    // The probe itself can fail: a line that fetches is caught.
    expect(NETWORK.test("const r = await fetch('https://tuf-repo-cdn.sigstore.dev');")).toBe(true);
    expect(NETWORK.test("const { get } = require('https');")).toBe(true);
  });
});

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ArtifactVerification } from '../../shared/contract/trust';
import {
  createTestChain,
  descriptorOf,
  signCose,
  signJws,
  type TestChain,
} from '../support/notary-test-signer';
import { runCli } from '../support/run-cli';
import { needsVectors, readVector, vectorPath } from '../support/signing-vectors';

// `trust verify` and `trust verify-envelope` as scripts outside the repo run them: the exact
// JSON shapes, exit codes 0 / 1 / 2, and every Notary vector with its MANIFEST verdict, against
// trust-store folders built here from the named certificates.

const root = mkdtempSync(join(tmpdir(), 'commissioner-trust-verify-'));
const env = { COMMISSIONER_HOME: join(root, 'home') };
/** Runs from `root`, so the relative paths below also prove paths resolve against the caller's cwd. */
const cli = (args: string[]) => runCli(args, { env, cwd: root });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const R6 = 'notary/trust/tsa/globalsignRoot-R6.cer';
const DIGICERT = 'notary/trust/tsa/DigiCertTSARootSHA384.cer';
const TEST_ROOT = 'notary/trust/ca/NotationTestRoot.pem';
const TIMESTAMP_LEAF = 'notary/trust/ca/TestTimestamp.crt';
const E2E = 'notary/oci-layouts/notation-e2e';
const SUBJECT = 'sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9';

const MOCK =
  'application/vnd.docker.distribution.manifest.v2+json@sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e:528';
const TIMESTAMPED =
  'application/vnd.docker.distribution.manifest.v2+json@sha256:c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda:528';
const BLOB =
  'application/octet-stream@sha256:c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4:11357';
const ALPINE =
  'application/vnd.oci.image.manifest.v1+json@sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0:481';
const E2E_TARGET = `application/vnd.oci.image.manifest.v1+json@${SUBJECT}:517`;

let stores = 0;
/** A Notary trust-store folder (ca/, signingAuthority/, tsa/) holding copies of the vectors' certificates; returns its path relative to `root`. */
function trustStore(t: { ca?: string[]; sa?: string[]; tsa?: string[] }): string {
  const name = `store-${++stores}`;
  for (const [folder, paths] of [
    ['ca', t.ca],
    ['signingAuthority', t.sa],
    ['tsa', t.tsa],
  ] as const) {
    if (!paths) continue;
    mkdirSync(join(root, name, folder), { recursive: true });
    for (const path of paths)
      copyFileSync(vectorPath(path), join(root, name, folder, basename(path)));
  }
  return name;
}

async function verifyEnvelope(envelope: string, target: string, store: string) {
  const run = await cli([
    'trust',
    'verify-envelope',
    vectorPath(envelope),
    '--target',
    target,
    '--trust-store',
    store,
    '--json',
  ]);
  expect(run.stdout.trim().split('\n'), run.stderr).toHaveLength(1);
  return { code: run.code, item: ArtifactVerification.parse(JSON.parse(run.stdout)) };
}

describe('commissioner trust verify-envelope on the Notary vectors (MANIFEST A)', () => {
  const cases: [
    id: string,
    envelope: string,
    target: string,
    trust: { ca?: string[]; sa?: string[]; tsa?: string[] },
    verdict: 'verified' | 'invalid',
    reason?: RegExp,
  ][] = [
    ['N-01', 'notary/envelopes/mock/ca_valid_sig_env.json', MOCK, { ca: [TEST_ROOT] }, 'verified'],
    [
      'N-02',
      'notary/envelopes/mock/ca_valid_sig_env.json',
      MOCK,
      { ca: ['notary/trust/ca/GlobalSignRootCA-R3.crt'] },
      'invalid',
      /trusted certificate/,
    ],
    [
      'N-03',
      'notary/envelopes/mock/ca_invalid_sig_env.json',
      MOCK,
      { ca: [TEST_ROOT] },
      'invalid',
      /not strict base64url/,
    ],
    [
      'N-04',
      'notary/envelopes/mock/ca_expired_sig_env.json',
      MOCK,
      { ca: [TEST_ROOT] },
      'invalid',
      /expiry date 2022-07-29T23:59:00Z has passed/,
    ],
    ['N-05', 'notary/envelopes/mock/sa_valid_sig_env.json', MOCK, { sa: [TEST_ROOT] }, 'verified'],
    [
      'N-06',
      'notary/envelopes/mock/sa_invalid_sig_env.json',
      MOCK,
      { sa: [TEST_ROOT] },
      'invalid',
      /not strict base64url/,
    ],
    [
      'N-07',
      'notary/envelopes/mock/ca_plugin_sig_env.json',
      MOCK,
      { ca: [TEST_ROOT] },
      'invalid',
      /critical header this verifier does not know: SomeKey/,
    ],
    [
      'N-08 (a)',
      'notary/envelopes/timestamp/jwsWithTimestamp.sig',
      TIMESTAMPED,
      { ca: [TIMESTAMP_LEAF], tsa: [R6] },
      'verified',
    ],
    [
      'N-08 (b)',
      'notary/envelopes/timestamp/jwsWithTimestamp.sig',
      TIMESTAMPED,
      { ca: [TIMESTAMP_LEAF] },
      'verified',
    ],
    [
      'N-09 (a)',
      'notary/envelopes/timestamp/coseWithTimestamp.sig',
      TIMESTAMPED,
      { ca: [TIMESTAMP_LEAF], tsa: [R6] },
      'verified',
    ],
    [
      'N-09 (b)',
      'notary/envelopes/timestamp/coseWithTimestamp.sig',
      TIMESTAMPED,
      { ca: [TIMESTAMP_LEAF] },
      'verified',
    ],
    [
      'N-10',
      'notary/envelopes/timestamp/coseWithTimestamp.sig',
      TIMESTAMPED,
      { ca: [TIMESTAMP_LEAF], tsa: [DIGICERT] },
      'invalid',
      /timestamp/,
    ],
    [
      'N-11 (a)',
      'notary/envelopes/timestamp/coseExpiredWithTimestamp.sig',
      TIMESTAMPED,
      { ca: ['notary/trust/ca/extracted/testTSA-2024-06-18.pem'], tsa: [R6] },
      'verified',
    ],
    [
      'N-11 (b)',
      'notary/envelopes/timestamp/coseExpiredWithTimestamp.sig',
      TIMESTAMPED,
      { ca: ['notary/trust/ca/extracted/testTSA-2024-06-18.pem'] },
      'invalid',
      /has expired/,
    ],
    [
      'N-12',
      'notary/envelopes/timestamp/timestampBeforeNotBefore.sig',
      TIMESTAMPED,
      { ca: ['notary/trust/ca/TestTimestampNotYetValid.crt'], tsa: [R6] },
      'invalid',
      /not yet valid/,
    ],
    [
      'N-13 (a)',
      'notary/envelopes/timestamp/withoutTimestamp.sig',
      TIMESTAMPED,
      { ca: [TIMESTAMP_LEAF], tsa: [R6] },
      'invalid',
      /no timestamp/,
    ],
    [
      'N-13 (b)',
      'notary/envelopes/timestamp/withoutTimestamp.sig',
      TIMESTAMPED,
      { ca: [TIMESTAMP_LEAF] },
      'verified',
    ],
    [
      'N-15',
      'notary/oci-layouts/notation-go-alpine/jws_signature.sig',
      E2E_TARGET,
      { ca: ['notary/trust/ca/extracted/alpine-2000-2123.pem'] },
      'invalid',
      /another artifact/,
    ],
    [
      'N-16',
      'notary/envelopes/blob/blob.jws.sig',
      BLOB,
      { ca: [TIMESTAMP_LEAF], tsa: [R6] },
      'invalid',
      /timestamp/,
    ],
    [
      'N-17',
      'notary/envelopes/blob/blob.cose.sig',
      BLOB,
      { ca: [TIMESTAMP_LEAF], tsa: [DIGICERT] },
      'invalid',
      /timestamp/,
    ],
    [
      'N-18',
      'notary/envelopes/blob/malformed.jws.sig',
      BLOB,
      { ca: [TEST_ROOT] },
      'invalid',
      /^not a signature envelope/,
    ],
  ];

  it('every vector gets its stated verdict, exit 0 when verified and 1 when invalid, one JSON object', async (context) => {
    needsVectors(context);
    for (const [id, envelope, target, trust, verdict, reason] of cases) {
      const { code, item } = await verifyEnvelope(envelope, target, trustStore(trust));
      expect(item.verdict, id).toBe(verdict);
      expect(code, id).toBe(verdict === 'verified' ? 0 : 1);
      expect(item.artifact, id).toBe(target.split('@')[1]?.split(':').slice(0, 2).join(':'));
      const [signature] = item.signatures;
      // The signature is identified by the file's sha256.
      const fileDigest = descriptorOf(readVector(envelope), '').digest;
      expect(signature?.digest, id).toBe(fileDigest);
      if (reason) expect(signature?.reason, id).toMatch(reason);
      else expect(signature?.reason, id).toBeNull();
    }
  }, 120_000);

  it('N-14: the alpine JWS stored beside its layout verifies against --target built from the manifest blob', async (context) => {
    needsVectors(context);
    const manifest = readVector(
      `notary/oci-layouts/notation-go-alpine/blobs/sha256/${ALPINE.split('sha256:')[1]?.slice(0, 64)}`,
    );
    const target = descriptorOf(manifest, 'application/vnd.oci.image.manifest.v1+json');
    expect(`${target.mediaType}@${target.digest}:${target.size}`).toBe(ALPINE);
    const store = trustStore({ ca: ['notary/trust/ca/extracted/alpine-2000-2123.pem'] });
    const { code, item } = await verifyEnvelope(
      'notary/oci-layouts/notation-go-alpine/jws_signature.sig',
      ALPINE,
      store,
    );
    expect(code).toBe(0);
    expect(item).toMatchObject({
      artifact: target.digest,
      verdict: 'verified',
      signatures: [
        {
          format: 'jws',
          verdict: 'verified',
          signer: 'CN=alpine, O=Notary, L=Seattle, ST=WA, C=US',
          trustedBy: 'ca/alpine-2000-2123.pem',
          reason: null,
        },
      ],
    });
    // Text output: one plain line for the artifact, one for the signature.
    const text = await cli([
      'trust',
      'verify-envelope',
      vectorPath('notary/oci-layouts/notation-go-alpine/jws_signature.sig'),
      '--target',
      ALPINE,
      '--trust-store',
      store,
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('\n')).toEqual([
      `${target.digest}: verified (1 signature)`,
      expect.stringMatching(
        /^ {2}jws signature sha256:[0-9a-f]{64}: verified, signed by CN=alpine, O=Notary, L=Seattle, ST=WA, C=US, trusted through ca\/alpine-2000-2123\.pem, signed at 2023-03-14T08:10:02Z$/,
      ),
    ]);
  });
});

describe('commissioner trust verify on OCI layouts and kits', () => {
  it('L-01…L-05: each notation e2e layout gets its verdict, the exact JSON shape, exit 0 only when verified', async (context) => {
    needsVectors(context);
    const e2e = trustStore({ ca: ['notary/trust/ca/e2e.crt'] });
    const expired = trustStore({ ca: ['notary/trust/ca/expired_e2e.crt'] });
    const cases = [
      ['e2e-valid-signature', e2e, 'verified', null],
      ['e2e-expired-signature', e2e, 'invalid', /expiry date/],
      ['e2e-invalid-signature', e2e, 'invalid', /not a signature envelope/],
      ['e2e-with-expired-cert', expired, 'invalid', /has expired/],
      [
        'e2e-with-timestamped-signature',
        trustStore({ ca: ['notary/trust/ca/e2e.crt'], tsa: [R6] }),
        'invalid',
        /expiry date 2025-01-21T12:39:46Z/,
      ],
    ] as const;
    for (const [layout, store, verdict, reason] of cases) {
      const run = await cli([
        'trust',
        'verify',
        vectorPath(`${E2E}/${layout}`),
        '--trust-store',
        store,
        '--json',
      ]);
      expect(run.code, `${layout}: ${run.stderr}`).toBe(verdict === 'verified' ? 0 : 1);
      const items = z.array(ArtifactVerification).parse(JSON.parse(run.stdout));
      expect(items, layout).toHaveLength(1);
      expect(items[0]?.verdict, layout).toBe(verdict);
      for (const s of items[0]?.signatures ?? []) {
        expect(Object.keys(s)).toEqual(
          expect.arrayContaining(['digest', 'format', 'verdict', 'signer', 'reason']),
        );
        if (reason) expect(s.reason, layout).toMatch(reason);
      }
    }
  }, 60_000);

  it('L-06: an unsigned layout has nothing to report (exit 0); named by @digest it is unsigned (exit 1)', async (context) => {
    needsVectors(context);
    const store = trustStore({ ca: ['notary/trust/ca/e2e.crt'] });
    const all = await cli([
      'trust',
      'verify',
      vectorPath(`${E2E}/e2e`),
      '--trust-store',
      store,
      '--json',
    ]);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual([]);
    const one = await cli([
      'trust',
      'verify',
      `${vectorPath(`${E2E}/e2e`)}@${SUBJECT}`,
      '--json',
      '--trust-store',
      store,
    ]);
    expect(one.code).toBe(1);
    expect(JSON.parse(one.stdout)).toEqual([
      { artifact: SUBJECT, verdict: 'unsigned', signatures: [] },
    ]);
    const signed = await cli([
      'trust',
      'verify',
      `${vectorPath(`${E2E}/e2e-valid-signature`)}@${SUBJECT}`,
      '--trust-store',
      store,
    ]);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toMatch(
      new RegExp(
        `^${SUBJECT}: verified \\(1 signature\\)\\n {2}jws signature sha256:90ceaff2\\w+: verified, signed by CN=e2e`,
      ),
    );
  });

  it('usage errors exit 2 with one plain line: missing path, bad digest, missing trust store, bad target', async (context) => {
    needsVectors(context);
    const store = trustStore({ ca: ['notary/trust/ca/e2e.crt'] });
    const layout = vectorPath(`${E2E}/e2e-valid-signature`);
    const runs = [
      [
        ['trust', 'verify', join(root, 'no-such-layout'), '--trust-store', store],
        /no-such-layout does not exist/,
      ],
      [
        ['trust', 'verify', `${layout}@sha256:abc`, '--trust-store', store],
        /"sha256:abc" after @ is not a manifest digest/,
      ],
      [
        ['trust', 'verify', `${layout}@sha256:${'0'.repeat(64)}`, '--trust-store', store],
        /holds no manifest/,
      ],
      [
        ['trust', 'verify', layout, '--trust-store', 'no-such-store'],
        /trust store folder .*no-such-store does not exist/,
      ],
      [
        [
          'trust',
          'verify-envelope',
          vectorPath('notary/oci-layouts/notation-go-alpine/jws_signature.sig'),
          '--target',
          'sha256:abc',
          '--trust-store',
          store,
        ],
        /is not <mediaType>@sha256:<64 hex digits>:<size in bytes>/,
      ],
      [
        [
          'trust',
          'verify-envelope',
          'no-such-envelope.sig',
          '--target',
          ALPINE,
          '--trust-store',
          store,
        ],
        /no-such-envelope\.sig does not exist/,
      ],
      [
        ['trust', 'verify', layout, '--trust-store', trustStore({ tsa: [] })],
        /tsa folder holds no certificates/,
      ],
    ] as const;
    for (const [args, message] of runs) {
      const run = await cli([...args, '--json']);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout, args.join(' ')).toBe('');
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr).not.toMatch(/Error|at .*\.(js|ts):\d+/);
    }
  }, 60_000);

  it('without --trust-store the laptop trust store is used (empty here: invalid, never verified)', async (context) => {
    needsVectors(context);
    const run = await cli(['trust', 'verify', vectorPath(`${E2E}/e2e-valid-signature`), '--json']);
    expect(run.code).toBe(1);
    const [item] = z.array(ArtifactVerification).parse(JSON.parse(run.stdout));
    expect(item?.verdict).toBe('invalid');
  });
});

describe('commissioner trust verify on kits signed here (ECDSA, 3-level chain, JWS and COSE)', () => {
  let chain: TestChain;
  beforeAll(() => {
    chain = createTestChain(join(root, 'chain'));
  }, 60_000);

  it('a kit archive and its layout folder, relative to the caller, verify; altered after signing, they do not', async () => {
    const EMPTY = {
      mediaType: 'application/vnd.oci.empty.v1+json',
      digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      size: 2,
    };
    const layer = Buffer.from('component');
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: 'application/vnd.example',
        config: EMPTY,
        layers: [descriptorOf(layer, 'application/octet-stream')],
      }),
    );
    const subject = descriptorOf(manifest, 'application/vnd.oci.image.manifest.v1+json');
    const jws = signJws(chain, subject);
    const cose = signCose(chain, subject);
    const sigManifest = (envelope: Buffer, type: string) =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          artifactType: 'application/vnd.cncf.notary.signature',
          config: EMPTY,
          layers: [descriptorOf(envelope, type)],
          subject,
        }),
      );
    const jwsManifest = sigManifest(jws, 'application/jose+json');
    const coseManifest = sigManifest(cose, 'application/cose');
    const folder = join(root, 'signed-kit');
    mkdirSync(join(folder, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(folder, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(
      join(folder, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          subject,
          descriptorOf(jwsManifest, 'application/vnd.oci.image.manifest.v1+json'),
          descriptorOf(coseManifest, 'application/vnd.oci.image.manifest.v1+json'),
        ],
      }),
    );
    for (const blob of [Buffer.from('{}'), layer, manifest, jws, cose, jwsManifest, coseManifest])
      writeFileSync(join(folder, 'blobs', 'sha256', descriptorOf(blob, '').digest.slice(7)), blob);
    execFileSync('tar', [
      '-C',
      folder,
      '-cf',
      join(root, 'signed-kit.tar'),
      'oci-layout',
      'index.json',
      'blobs',
    ]);
    mkdirSync(join(root, 'supplier-store', 'ca'), { recursive: true });
    writeFileSync(join(root, 'supplier-store', 'ca', 'root.pem'), chain.rootPem);

    for (const path of ['signed-kit', 'signed-kit.tar']) {
      const run = await cli(['trust', 'verify', path, '--trust-store', 'supplier-store', '--json']);
      expect(run.code, `${path}: ${run.stderr}`).toBe(0);
      const [item] = z.array(ArtifactVerification).parse(JSON.parse(run.stdout));
      expect(item?.artifact).toBe(subject.digest);
      expect(item?.verdict).toBe('verified');
      expect(item?.signatures.map((s) => [s.format, s.verdict, s.trustedBy]).sort()).toEqual([
        ['cose', 'verified', 'ca/root.pem'],
        ['jws', 'verified', 'ca/root.pem'],
      ]);
    }

    // The supplier's manifest changed after signing (another layer): the old signatures name
    // the old digest, so the altered artifact has none that verifies.
    const alteredLayer = Buffer.from('c0mponent');
    const alteredManifest = Buffer.from(
      manifest
        .toString()
        .replace(descriptorOf(layer, '').digest, descriptorOf(alteredLayer, '').digest),
    );
    const alteredSubject = descriptorOf(
      alteredManifest,
      'application/vnd.oci.image.manifest.v1+json',
    );
    const forged = Buffer.from(
      jwsManifest
        .toString()
        .replace(subject.digest, alteredSubject.digest)
        .replace(`"size":${subject.size}`, `"size":${alteredSubject.size}`),
    );
    writeFileSync(
      join(folder, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          alteredSubject,
          descriptorOf(forged, 'application/vnd.oci.image.manifest.v1+json'),
        ],
      }),
    );
    for (const blob of [alteredLayer, alteredManifest, forged])
      writeFileSync(join(folder, 'blobs', 'sha256', descriptorOf(blob, '').digest.slice(7)), blob);
    const run = await cli(['trust', 'verify', 'signed-kit', '--trust-store', 'supplier-store']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${alteredSubject.digest}: invalid (1 signature)`);
    expect(run.stdout).toMatch(
      /invalid, signed by CN=Test Signer, O=Test Supplier, ST=Bavaria, C=DE: the signature is for another artifact/,
    );
  }, 60_000);
});

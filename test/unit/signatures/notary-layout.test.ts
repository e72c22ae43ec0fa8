import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { ArtifactVerification } from '../../../shared/contract/trust';
import {
  notarySignaturesIn,
  verifyLayoutArtifact,
} from '../../../electron/core/signatures/notary/layout-signatures';
import {
  openSignedLayout,
  verifyLayoutSignatures,
} from '../../../electron/core/signatures/notary/signed-layout';
import type { NotaryTrust } from '../../../electron/core/signatures/notary-trust';
import { certificatesFromPemOrDer } from '../../../electron/core/signatures/x509/certificate-facts';
import {
  createTestChain,
  descriptorOf,
  signCose,
  signJws,
  type TestChain,
  type TargetDescriptor,
} from '../../support/notary-test-signer';
import { needsVectors, readVector, vectorPath } from '../../support/signing-vectors';

const E2E = 'notary/oci-layouts/notation-e2e';
const SUBJECT = 'sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const NOTARY_SIGNATURE = 'application/vnd.cncf.notary.signature';
const EMPTY = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};

const caTrust = (path: string): NotaryTrust => ({
  ca: certificatesFromPemOrDer(readVector(path)).map((der) => ({ name: path, der })),
  signingAuthority: [],
  tsa: [],
});

describe('Notary signatures in the notation e2e layouts (MANIFEST L-01…L-06)', () => {
  it('L-01: the legacy-form signature manifest is found and its JWS verified against e2e.crt', async (context) => {
    needsVectors(context);
    const [result] = await verifyLayoutSignatures(
      vectorPath(`${E2E}/e2e-valid-signature`),
      caTrust('notary/trust/ca/e2e.crt'),
    );
    expect(ArtifactVerification.parse(result)).toEqual({
      artifact: SUBJECT,
      verdict: 'verified',
      signatures: [
        {
          digest: 'sha256:90ceaff260d657d797c408ac73564a9c7bb9d86055877c2a811f0e63b8c6524f',
          format: 'jws',
          verdict: 'verified',
          signer: 'CN=e2e, O=Notary, L=Seattle, ST=WA, C=US',
          reason: null,
          trustedBy: 'notary/trust/ca/e2e.crt',
          signedAt: '2023-06-27T05:30:33Z',
        },
      ],
    });
  });

  it('L-02 expired signature, L-03 not an envelope, L-04 expired certificate: invalid, each saying why', async (context) => {
    needsVectors(context);
    const cases = [
      [
        'e2e-expired-signature',
        'notary/trust/ca/e2e.crt',
        /^the signature's expiry date 2023-06-27T05:21:21Z has passed$/,
      ],
      [
        'e2e-invalid-signature',
        'notary/trust/ca/e2e.crt',
        /^not a signature envelope: its media type is application\/vnd\.oci\.image\.layer\.v1\.tar/,
      ],
      [
        'e2e-with-expired-cert',
        'notary/trust/ca/expired_e2e.crt',
        /has expired: it was valid until 2023-06-27T06:10:00Z/,
      ],
    ] as const;
    for (const [layout, ca, reason] of cases) {
      const results = await verifyLayoutSignatures(vectorPath(`${E2E}/${layout}`), caTrust(ca));
      expect(results, layout).toHaveLength(1);
      expect(results[0]?.verdict, layout).toBe('invalid');
      expect(results[0]?.signatures[0]?.reason, layout).toMatch(reason);
    }
  });

  it('L-05: the timestamped signature of an OCI 1.1 artifact is invalid with or without the TSA root (expired)', async (context) => {
    needsVectors(context);
    const ca = caTrust('notary/trust/ca/e2e.crt');
    for (const trust of [
      ca,
      { ...ca, tsa: caTrust('notary/trust/tsa/globalsignRoot-R6.cer').ca },
    ]) {
      const [result] = await verifyLayoutSignatures(
        vectorPath(`${E2E}/e2e-with-timestamped-signature`),
        trust,
      );
      expect(result?.artifact).toBe(
        'sha256:53b0191218aed9a3c1f7c661736ac40cfc8eb928642348fd843ba3f0483c0c20',
      );
      expect(result?.verdict).toBe('invalid');
      expect(result?.signatures[0]?.reason).toMatch(/expiry date 2025-01-21T12:39:46Z has passed/);
    }
  });

  it('L-06: an unsigned layout has no signed artifacts; named by digest it is unsigned', async (context) => {
    needsVectors(context);
    const trust = caTrust('notary/trust/ca/e2e.crt');
    expect(await verifyLayoutSignatures(vectorPath(`${E2E}/e2e`), trust)).toEqual([]);
    expect(
      await verifyLayoutSignatures(vectorPath(`${E2E}/e2e`), trust, { manifestDigest: SUBJECT }),
    ).toEqual([{ artifact: SUBJECT, verdict: 'unsigned', signatures: [] }]);
    await expect(
      verifyLayoutSignatures(vectorPath(`${E2E}/e2e`), trust, {
        manifestDigest: `sha256:${'0'.repeat(64)}`,
      }),
    ).rejects.toThrow(/holds no manifest sha256:0000/);
  });

  it('the discovery used by import: notarySignaturesIn + verifyLayoutArtifact on the opened layout', async (context) => {
    needsVectors(context);
    const layout = await openSignedLayout(vectorPath(`${E2E}/e2e-valid-signature`));
    try {
      const found = notarySignaturesIn(layout.manifests);
      expect([...found.keys()]).toEqual([SUBJECT]);
      expect(found.get(SUBJECT)).toEqual([
        {
          manifestDigest: 'sha256:90ceaff260d657d797c408ac73564a9c7bb9d86055877c2a811f0e63b8c6524f',
          subjectDigest: SUBJECT,
          envelope: expect.objectContaining({
            mediaType: 'application/jose+json',
            digest: 'sha256:c9af07e038b2b1a463e648986ad7273157511ffeba0b689f33e5472bae471f50',
            size: 2070,
          }),
        },
      ]);
      const subject = layout.descriptorOf(SUBJECT);
      expect(subject).toEqual({ mediaType: MANIFEST, digest: SUBJECT, size: 517 });
      const unsigned = await verifyLayoutArtifact(
        subject!,
        [],
        layout.reader,
        caTrust('notary/trust/ca/e2e.crt'),
      );
      expect(unsigned).toEqual({ artifact: SUBJECT, verdict: 'unsigned', signatures: [] });
    } finally {
      layout.close();
    }
  });
});

describe('generated layouts: OCI 1.1 signatures, several signatures, tampering, kit archives', () => {
  let dir: string;
  let chain: TestChain;
  let stranger: TestChain;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'notary-layout-'));
    chain = createTestChain(join(dir, 'supplier'));
    stranger = createTestChain(join(dir, 'stranger'));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const trust = (): NotaryTrust => ({
    ca: [{ name: 'ca/root.pem', der: chain.rootDer }],
    signingAuthority: [],
    tsa: [],
  });

  /** Writes an OCI layout; `blobs` are stored under their digest, `index` is index.json's list. */
  function writeLayout(name: string, blobs: Buffer[], index: object[]): string {
    const root = join(dir, name);
    mkdirSync(join(root, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(root, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(join(root, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: index }));
    for (const blob of blobs)
      writeFileSync(join(root, 'blobs', 'sha256', descriptorOf(blob, '').digest.slice(7)), blob);
    return root;
  }

  function artifact(): { blobs: Buffer[]; manifest: Buffer; descriptor: TargetDescriptor } {
    const layer = Buffer.from('hello');
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST,
        artifactType: 'application/vnd.example',
        config: { ...EMPTY, data: 'e30=' },
        layers: [descriptorOf(layer, 'application/octet-stream')],
      }),
    );
    return { blobs: [layer, manifest], manifest, descriptor: descriptorOf(manifest, MANIFEST) };
  }

  function signatureManifest(
    subject: TargetDescriptor,
    envelope: Buffer,
    envelopeType: string,
    form: 'modern' | 'legacy',
  ): Buffer {
    return Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST,
        ...(form === 'modern'
          ? { artifactType: NOTARY_SIGNATURE, config: { ...EMPTY, data: 'e30=' } }
          : { config: { ...EMPTY, mediaType: NOTARY_SIGNATURE } }),
        layers: [descriptorOf(envelope, envelopeType)],
        subject,
      }),
    );
  }

  it('finds OCI 1.1 and legacy signatures, including one the tag-schema index does not list; verified when one verifies', async () => {
    const { blobs, descriptor } = artifact();
    const good = signCose(chain, descriptor);
    const foreign = signJws(stranger, descriptor);
    const modern = signatureManifest(descriptor, good, 'application/cose', 'modern');
    const legacy = signatureManifest(descriptor, foreign, 'application/jose+json', 'legacy');
    const tagIndex = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [{ ...descriptorOf(legacy, MANIFEST), artifactType: NOTARY_SIGNATURE }],
      }),
    );
    const root = writeLayout(
      'two-signatures',
      [...blobs, EMPTY_BLOB, good, foreign, modern, legacy, tagIndex],
      [
        descriptor,
        descriptorOf(modern, MANIFEST),
        {
          ...descriptorOf(tagIndex, 'application/vnd.oci.image.index.v1+json'),
          annotations: {
            'org.opencontainers.image.ref.name': `sha256-${descriptor.digest.slice(7)}`,
          },
        },
      ],
    );
    const [result] = await verifyLayoutSignatures(root, trust());
    expect(result?.artifact).toBe(descriptor.digest);
    expect(result?.verdict).toBe('verified');
    const byDigest = new Map(result?.signatures.map((s) => [s.digest, s]));
    expect(byDigest.get(descriptorOf(modern, MANIFEST).digest)).toMatchObject({
      format: 'cose',
      verdict: 'verified',
      trustedBy: 'ca/root.pem',
    });
    expect(byDigest.get(descriptorOf(legacy, MANIFEST).digest)).toMatchObject({
      format: 'jws',
      verdict: 'invalid',
      reason: expect.stringMatching(/trusted certificate/),
    });
  });

  it('an envelope blob altered after signing is invalid (digest), and a kit archive of the layout gives the same verdicts', async () => {
    const { blobs, descriptor } = artifact();
    const envelope = signJws(chain, descriptor);
    const signature = signatureManifest(descriptor, envelope, 'application/jose+json', 'modern');
    const root = writeLayout(
      'altered',
      [...blobs, EMPTY_BLOB, envelope, signature],
      [descriptor, descriptorOf(signature, MANIFEST)],
    );
    const kit = join(dir, 'altered.tar');
    execFileSync('tar', ['-C', root, '-cf', kit, 'oci-layout', 'index.json', 'blobs']);
    expect((await verifyLayoutSignatures(kit, trust()))[0]?.verdict).toBe('verified');
    const tampered = Buffer.from(envelope);
    const at = tampered.indexOf('"signature":"') + 14;
    tampered[at] = (tampered[at] as number) ^ 0x01;
    writeFileSync(
      join(root, 'blobs', 'sha256', descriptorOf(envelope, '').digest.slice(7)),
      tampered,
    );
    const [result] = await verifyLayoutSignatures(root, trust());
    expect(result?.verdict).toBe('invalid');
    expect(result?.signatures[0]?.reason).toMatch(
      /does not match its digest .*: the layout was altered/,
    );
  });

  it('malformed signature manifests are reported invalid, not skipped', async () => {
    const { blobs, descriptor } = artifact();
    const envelope = signJws(chain, descriptor);
    const twoLayers = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST,
        artifactType: NOTARY_SIGNATURE,
        config: { ...EMPTY, data: 'e30=' },
        layers: [
          descriptorOf(envelope, 'application/jose+json'),
          descriptorOf(envelope, 'application/jose+json'),
        ],
        subject: descriptor,
      }),
    );
    const root = writeLayout(
      'malformed',
      [...blobs, EMPTY_BLOB, envelope, twoLayers],
      [descriptor, descriptorOf(twoLayers, MANIFEST)],
    );
    const [result] = await verifyLayoutSignatures(root, trust());
    expect(result).toMatchObject({
      verdict: 'invalid',
      signatures: [
        {
          verdict: 'invalid',
          reason: 'the signature manifest has 2 layers instead of the one envelope',
        },
      ],
    });
  });

  it('a missing path is not-found; a damaged layout is refused', async () => {
    await expect(openSignedLayout(join(dir, 'nowhere'))).rejects.toMatchObject({
      name: 'not-found',
    });
    const root = writeLayout(
      'damaged',
      [],
      [{ mediaType: MANIFEST, digest: `sha256:${'1'.repeat(64)}`, size: 3 }],
    );
    const refusal = await openSignedLayout(root).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(CommissionerError);
    expect(refusal).toMatchObject({
      name: 'refused',
      message: expect.stringMatching(/is missing from the kit/),
    });
  });
});

const EMPTY_BLOB = Buffer.from('{}');

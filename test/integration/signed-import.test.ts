import { X509Certificate, constants, createHash, createPublicKey, verify } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSources, type ImportOptions } from '../../electron/core/import/import-sources';
import { RegistryClient } from '../../electron/core/registry/registry-client';
import { signJwsEnvelope } from '../../electron/core/signatures/signing/jws-signer';
import { loadSigningIdentity } from '../../electron/core/signatures/signing/signing-identity';
import { openStore, type Store } from '../../electron/core/store/store';
import { storedTrustOfApp } from '../../electron/core/store/artifact-trust-table';
import {
  artifactTrustFor,
  MAX_VERDICT_AGE_MS,
  packageVerdicts,
} from '../../electron/core/trust/artifact-trust';
import { currentTrustVersion } from '../../electron/core/trust/judge-artifact';
import { catalogPage } from '../../electron/core/use-cases/browse-catalog';
import { packKit } from '../../electron/core/use-cases/pack-kit';
import { removeApplication } from '../../electron/core/use-cases/remove-application';
import { ImageIndex, ImageManifest } from '../../shared/oci/descriptors';
import { EMPTY_CONFIG, MEDIA } from '../../shared/oci/media-types';
import { alterSignedPackage } from '../support/alter-signed-kit';
import { makePackageFixture, type PackageFixture } from '../support/kit-fixture';
import { pushLayout } from '../support/push-layout';
import { pushSignaturesAsTagSchema } from '../support/push-signatures';
import { startRegistry, type TestRegistry } from '../support/registry';
import {
  createSigningRoot,
  issueCodeSigningCert,
  issueEcCodeSigningCert,
  type TestSigner,
  type TestSigningRoot,
} from '../support/signing-identity';
import { needsVectors, vectorPath } from '../support/signing-vectors';
import { snapshotStore } from '../support/store-snapshot';
import { trustCommands } from '../support/trust-setup';

const APP = 'com-example-line-monitor';
const NOTARY_SIGNATURE = 'application/vnd.cncf.notary.signature';
const root = mkdtempSync(join(tmpdir(), 'commissioner-signed-import-'));
let supplier: TestSigningRoot;
let signer: TestSigner;
let stranger: TestSigner;
let fixture: PackageFixture;
let signedKit: string;
let unsignedKit: string;
let strangerKit: string;

const pack = (out: string, sign?: TestSigner, from: PackageFixture = fixture) =>
  packKit({
    packageDir: from.packageDir,
    packageShownAs: 'package',
    components: [{ name: 'monitor', revision: '1.2.0', dir: from.composeDir }],
    images: [from.imageTar],
    out,
    ...(sign ? { sign: { keyPath: sign.keyPath, certPath: sign.chainPath } } : {}),
  });

beforeAll(async () => {
  supplier = createSigningRoot(root, 'Example Industrial Root');
  signer = issueCodeSigningCert(supplier, root, 'Example Industrial Release Signing');
  const otherRoot = createSigningRoot(root, 'Someone Else Root');
  stranger = issueCodeSigningCert(otherRoot, root, 'Someone Else Signing');
  fixture = await makePackageFixture(join(root, 'fixture'));
  signedKit = join(root, 'signed-kit');
  unsignedKit = join(root, 'unsigned-kit');
  strangerKit = join(root, 'stranger-kit');
  await pack(signedKit, signer);
  await pack(unsignedKit);
  await pack(strangerKit, stranger);
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

let homes = 0;
function freshHome(): { home: string; store: Store; trust: ReturnType<typeof trustCommands> } {
  const home = join(root, `home-${++homes}`);
  return { home, store: openStore(home), trust: trustCommands(home, root) };
}
const source = (path: string) => ({ input: path, path });
const blob = (layout: string, digest: string) =>
  readFileSync(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)));

describe('kit pack --sign', () => {
  it('writes one Notary Project signature referrer per package, component and image', () => {
    const index = ImageIndex.parse(JSON.parse(readFileSync(join(signedKit, 'index.json'), 'utf8')));
    const named = index.manifests.filter(
      (m) => m.annotations?.['org.opencontainers.image.ref.name'],
    );
    const signatures = index.manifests.filter((m) => m.artifactType === NOTARY_SIGNATURE);
    expect(named).toHaveLength(3);
    expect(signatures).toHaveLength(3);
    const chain = [signer.chainPath].flatMap((p) =>
      (
        readFileSync(p, 'utf8').match(
          /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g,
        ) ?? []
      ).map((pem) => new X509Certificate(pem)),
    );
    const subjects = new Set<string>();
    for (const entry of signatures) {
      const manifest = ImageManifest.parse(JSON.parse(blob(signedKit, entry.digest).toString()));
      expect(manifest.mediaType).toBe(MEDIA.ociManifest);
      expect(manifest.artifactType).toBe(NOTARY_SIGNATURE);
      expect(manifest.config).toEqual({
        mediaType: EMPTY_CONFIG.mediaType,
        digest: EMPTY_CONFIG.digest,
        size: EMPTY_CONFIG.size,
      });
      expect(manifest.layers).toHaveLength(1);
      expect(manifest.layers[0]?.mediaType).toBe('application/jose+json');
      const subject = named.find((n) => n.digest === manifest.subject?.digest);
      expect(subject, 'the subject is an artifact of the kit').toBeDefined();
      expect(manifest.subject).toEqual({
        mediaType: subject?.mediaType,
        digest: subject?.digest,
        size: subject?.size,
      });
      subjects.add(subject?.digest as string);
      expect(
        JSON.parse(manifest.annotations?.['io.cncf.notary.x509chain.thumbprint#S256'] ?? ''),
      ).toEqual(chain.map((c) => createHash('sha256').update(c.raw).digest('hex')));

      // The envelope, checked here by hand (independently of the verifier).
      const envelope = JSON.parse(
        blob(signedKit, manifest.layers[0]?.digest as string).toString(),
      ) as {
        payload: string;
        protected: string;
        header: { x5c: string[]; 'io.cncf.notary.signingAgent': string };
        signature: string;
      };
      for (const segment of [envelope.payload, envelope.protected, envelope.signature])
        expect(segment).toMatch(/^[A-Za-z0-9_-]+$/);
      const header = JSON.parse(Buffer.from(envelope.protected, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      expect(header).toEqual({
        alg: 'PS256',
        crit: ['io.cncf.notary.signingScheme'],
        cty: 'application/vnd.cncf.notary.payload.v1+json',
        'io.cncf.notary.signingScheme': 'notary.x509',
        'io.cncf.notary.signingTime': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      });
      expect(
        Math.abs(Date.parse(header['io.cncf.notary.signingTime'] as string) - Date.now()),
      ).toBeLessThan(5 * 60_000);
      expect(envelope.header['io.cncf.notary.signingAgent']).toMatch(
        /^commissioner\/\d+\.\d+\.\d+/,
      );
      expect(envelope.header.x5c).toEqual(chain.map((c) => c.raw.toString('base64')));
      expect(JSON.parse(Buffer.from(envelope.payload, 'base64url').toString())).toEqual({
        targetArtifact: manifest.subject,
      });
      const ok = verify(
        'sha256',
        Buffer.from(`${envelope.protected}.${envelope.payload}`),
        {
          key: chain[0]?.publicKey as never,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: 32,
        },
        Buffer.from(envelope.signature, 'base64url'),
      );
      expect(ok).toBe(true);
    }
    expect(subjects.size).toBe(3);
  });

  it('takes the algorithm from the key: RSA 3072/4096 → PS384/PS512, P-256/384/521 → ES256/384/512 (raw r‖s)', async () => {
    const target = { mediaType: MEDIA.ociManifest, digest: `sha256:${'1'.repeat(64)}`, size: 10 };
    const cases: [TestSigner, string, number | undefined][] = [
      [
        issueCodeSigningCert(supplier, root, 'RSA 3072', { modulusLength: 3072 }),
        'PS384',
        undefined,
      ],
      [
        issueCodeSigningCert(supplier, root, 'RSA 4096', { modulusLength: 4096 }),
        'PS512',
        undefined,
      ],
      [await issueEcCodeSigningCert(supplier, root, 'P-256', 'prime256v1'), 'ES256', 64],
      [await issueEcCodeSigningCert(supplier, root, 'P-384', 'secp384r1'), 'ES384', 96],
      [await issueEcCodeSigningCert(supplier, root, 'P-521', 'secp521r1'), 'ES512', 132],
    ];
    for (const [s, alg, rawLength] of cases) {
      const identity = loadSigningIdentity(s.keyPath, s.chainPath);
      expect(identity.alg).toBe(alg);
      const envelope = JSON.parse(
        signJwsEnvelope(target, identity, new Date(), 'commissioner/test').toString(),
      ) as { protected: string; payload: string; signature: string };
      const signature = Buffer.from(envelope.signature, 'base64url');
      const hash = `sha${alg.slice(2)}`;
      const key = createPublicKey(readFileSync(s.keyPath));
      const input = Buffer.from(`${envelope.protected}.${envelope.payload}`);
      if (rawLength) {
        expect(signature).toHaveLength(rawLength);
        expect(verify(hash, input, { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
      } else {
        const saltLength = Number(alg.slice(2)) / 8;
        expect(
          verify(
            hash,
            input,
            { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
            signature,
          ),
        ).toBe(true);
      }
    }
  }, 60_000);

  it('refuses, before writing anything, a key of another certificate, a chain out of order, a leaf not for code signing', async () => {
    const out = join(root, 'never-written.tar');
    const server = issueCodeSigningCert(supplier, root, 'TLS Server', {
      extendedKeyUsage: 'serverAuth',
    });
    const reversed = join(root, 'reversed-chain.pem');
    const [leaf, ca] = readFileSync(signer.chainPath, 'utf8').match(
      /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g,
    ) as [string, string];
    writeFileSync(reversed, `${ca}\n${leaf}\n`);
    const attempts: [{ keyPath: string; certPath: string }, RegExp][] = [
      [
        { keyPath: stranger.keyPath, certPath: signer.chainPath },
        /does not belong to the first certificate/,
      ],
      [{ keyPath: signer.keyPath, certPath: reversed }, /does not belong|not issued by/],
      [{ keyPath: server.keyPath, certPath: server.chainPath }, /not for code signing/],
      [
        { keyPath: signer.chainPath, certPath: signer.chainPath },
        /holds a certificate, not a private key/,
      ],
    ];
    for (const [sign, message] of attempts) {
      await expect(
        packKit({
          packageDir: fixture.packageDir,
          packageShownAs: 'package',
          components: [],
          images: [],
          out,
          sign,
        }),
      ).rejects.toMatchObject({ name: 'invalid-input', message: expect.stringMatching(message) });
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('importing signed kits', () => {
  it('without a policy, a signed kit imports; signatures are kept (not skipped) and judged again from the store when trust changes', async () => {
    const { store, trust } = freshHome();
    try {
      const copy = join(root, 'signed-copy');
      cpSync(signedKit, copy, { recursive: true });
      const report = await importSources(store, [source(copy)]);
      expect(report.imported).toHaveLength(3);
      expect(report.skipped).toEqual([]);
      expect(report.signatures.map((s) => [s.kind, s.verdict, s.policy.level]).sort()).toEqual([
        ['component', 'invalid', 'skip'],
        ['image', 'invalid', 'skip'],
        ['package', 'invalid', 'skip'],
      ]);
      expect(report.signatures[0]?.reason).toMatch(/trust/);
      rmSync(copy, { recursive: true });

      await trust.addCa('example-industrial', supplier.certPath);
      const after = artifactTrustFor(store, APP, '1.2.0');
      expect(after.map((t) => [t.kind, t.verdict]).sort()).toEqual([
        ['component', 'verified'],
        ['image', 'verified'],
        ['package', 'verified'],
      ]);
      expect(after.find((t) => t.kind === 'package')).toMatchObject({
        name: `${APP}@1.2.0`,
        format: 'jws',
        signer: expect.stringContaining('Example Industrial Release Signing'),
        trustedBy: 'example-industrial',
        signedAt: expect.any(String),
        reason: null,
      });
      expect(catalogPage(store, {}).entries[0]?.trust).toBe('verified');
    } finally {
      store.close();
    }
  }, 60_000);

  it("the catalog's badge is the stored verdict while it stands, judged again on the page (and saved) when trust changed or it aged", async () => {
    const { store, trust } = freshHome();
    try {
      await importSources(store, [source(signedKit)]);
      const badges = () => [
        catalogPage(store, {}).entries.find((e) => e.id === APP)?.trust,
        catalogPage(store, { search: 'monitor' }).entries.find((e) => e.id === APP)?.trust,
      ];
      const storedPackage = () => storedTrustOfApp(store, APP, '1.2.0')[0];
      expect(badges()).toEqual(['invalid', 'invalid']);

      await trust.addCa('example-industrial', supplier.certPath);
      const before = storedPackage()?.trustVersion;
      expect(badges()).toEqual(['verified', 'verified']);
      // The page saved what it judged, under the new trust version, with the whole result.
      expect(storedPackage()).toMatchObject({
        kind: 'package',
        trustVersion: currentTrustVersion(store),
        result: { verdict: 'verified', trustedBy: 'example-industrial' },
      });
      expect(storedPackage()?.trustVersion).not.toBe(before);

      // While it stands, the stored verdict is what the page shows (not judged again): a
      // verdict put in its place shows as is.
      const setStored = store.db.prepare(
        "UPDATE artifact_trust SET verdict = ?, evaluated_at = ? WHERE app_id = ? AND kind = 'package'",
      );
      setStored.run('invalid', new Date().toISOString(), APP);
      expect(badges()).toEqual(['invalid', 'invalid']);
      // Aged past the limit, it is judged again.
      const aged = new Date(Date.now() - MAX_VERDICT_AGE_MS - 60_000).toISOString();
      setStored.run('invalid', aged, APP);
      expect(badges()).toEqual(['verified', 'verified']);
      expect(Date.parse(storedPackage()?.evaluatedAt ?? '')).toBeGreaterThan(Date.parse(aged));

      // A version the catalog does not have has no signature to show.
      expect(packageVerdicts(store, [{ id: APP, version: '9.9.9' }])).toEqual(['unsigned']);
    } finally {
      store.close();
    }
  }, 60_000);

  it("under strict, an unsigned kit and a kit signed by an untrusted root are refused with nothing written; the supplier's kit imports verified", async () => {
    const { home, store, trust } = freshHome();
    try {
      await trust.addCa('example-industrial', supplier.certPath);
      await trust.policy('*', 'strict');
      const before = snapshotStore(home);

      const unsigned = await importSources(store, [source(unsignedKit)]);
      expect(unsigned.imported).toEqual([]);
      expect(unsigned.refused).toHaveLength(1);
      expect(unsigned.refused[0]?.message).toMatch(
        new RegExp(
          `^package ${APP}@1\\.2\\.0 \\(sha256:[0-9a-f]{64}\\) is not signed, and the trust policy for \\* requires a trusted signature`,
        ),
      );
      expect(unsigned.signatures.map((s) => s.verdict)).toEqual([
        'unsigned',
        'unsigned',
        'unsigned',
      ]);
      expect(snapshotStore(home)).toEqual(before);

      const foreign = await importSources(store, [source(strangerKit)]);
      expect(foreign.refused[0]?.message).toMatch(
        /has no signature that verifies \(.+\), and the trust policy for \* requires a trusted signature/,
      );
      expect(foreign.signatures.every((s) => s.verdict === 'invalid')).toBe(true);
      expect(foreign.signatures[0]?.signer).toContain('Someone Else Signing');
      expect(snapshotStore(home)).toEqual(before);

      const good = await importSources(store, [source(signedKit)]);
      expect(good.refused).toEqual([]);
      expect(good.imported).toHaveLength(3);
      expect(good.signatures.every((s) => s.verdict === 'verified')).toBe(true);
      const shown = artifactTrustFor(store, APP, '1.2.0');
      expect(shown.find((t) => t.kind === 'package')).toMatchObject({
        verdict: 'verified',
        signer: expect.stringContaining('Example Industrial Release Signing'),
        policy: { scope: '*', level: 'strict' },
      });

      // Trust changes: the stored verdict follows without a new import.
      await trust.remove('example-industrial');
      const flipped = artifactTrustFor(store, APP, '1.2.0');
      expect(flipped.map((t) => t.verdict)).toEqual(['invalid', 'invalid', 'invalid']);
      expect(catalogPage(store, {}).entries[0]?.trust).toBe('invalid');
    } finally {
      store.close();
    }
  }, 60_000);

  it('a kit altered after signing is refused under strict (naming the check) and imported with a warning under audit', async () => {
    const altered = join(root, 'altered-kit');
    cpSync(signedKit, altered, { recursive: true });
    alterSignedPackage(altered, (text) => text.replace('Watches the line', 'Watches the linf'));
    const strict = freshHome();
    try {
      await strict.trust.addCa('example-industrial', supplier.certPath);
      await strict.trust.policy('*', 'strict');
      const before = snapshotStore(strict.home);
      const report = await importSources(strict.store, [source(altered)]);
      expect(report.refused[0]?.message).toMatch(
        new RegExp(
          `^package ${APP}@1\\.2\\.0 \\(sha256:[0-9a-f]{64}\\) has no signature that verifies \\(`,
        ),
      );
      const pkg = report.signatures.find((s) => s.kind === 'package');
      expect(pkg?.verdict).toBe('invalid');
      expect(pkg?.reason).toMatch(/another artifact|target|does not match/i);
      // The component and image were not touched: their signatures still verify.
      expect(report.signatures.filter((s) => s.kind !== 'package').map((s) => s.verdict)).toEqual([
        'verified',
        'verified',
      ]);
      expect(snapshotStore(strict.home)).toEqual(before);
    } finally {
      strict.store.close();
    }
    const audit = freshHome();
    try {
      await audit.trust.addCa('example-industrial', supplier.certPath);
      await audit.trust.policy('*', 'audit');
      const report = await importSources(audit.store, [source(altered)]);
      expect(report.refused).toEqual([]);
      expect(report.imported).toHaveLength(3);
      expect(report.signatures.find((s) => s.kind === 'package')).toMatchObject({
        verdict: 'invalid',
        policy: { scope: '*', level: 'audit' },
      });
      expect(artifactTrustFor(audit.store, APP, '1.2.0')[0]).toMatchObject({
        kind: 'package',
        verdict: 'invalid',
      });
    } finally {
      audit.store.close();
    }
  }, 60_000);

  it('a policy for one application applies to it and to what comes with it, not to other applications', async () => {
    const { store, trust } = freshHome();
    try {
      await trust.policy(APP, 'strict');
      const other = await makePackageFixture(join(root, 'other'), { id: 'com-example-other' });
      const otherKit = join(root, 'other-kit');
      await pack(otherKit, undefined, other);
      const report = await importSources(store, [source(otherKit)]);
      expect(report.imported).toHaveLength(3);
      expect(report.signatures.map((s) => s.policy.level)).toEqual(['skip', 'skip', 'skip']);
      const refused = await importSources(store, [source(unsignedKit)]);
      expect(refused.refused[0]?.message).toContain(`the trust policy for ${APP} requires`);
      expect(refused.signatures.map((s) => s.policy.scope)).toEqual([APP, APP, APP]);
    } finally {
      store.close();
    }
  }, 60_000);

  it('removing the application takes its signature with it; signatures of components that stay, stay', async () => {
    const { store } = freshHome();
    try {
      await importSources(store, [source(signedKit)]);
      const countOf = (table: string) =>
        store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      expect(countOf('signatures')).toBe(3);
      removeApplication(store, APP);
      expect(countOf('signatures')).toBe(2);
      expect(countOf("artifact_trust WHERE app_id <> ''")).toBe(0);
      const index = ImageIndex.parse(
        JSON.parse(readFileSync(join(signedKit, 'index.json'), 'utf8')),
      );
      const packageDigest = index.manifests.find((e) => e.artifactType === MEDIA.margoApp)?.digest;
      const packageSignature = index.manifests.find(
        (m) =>
          m.artifactType === NOTARY_SIGNATURE &&
          ImageManifest.parse(JSON.parse(blob(signedKit, m.digest).toString())).subject?.digest ===
            packageDigest,
      );
      expect(packageSignature).toBeDefined();
      expect(store.blobs.has(packageSignature?.digest as string)).toBe(false);
    } finally {
      store.close();
    }
  });

  it("a notation layout's legacy signature manifest and referrers tag index are signatures, not artifacts", async (context) => {
    needsVectors(context);
    const layout = vectorPath('notary/oci-layouts/notation-e2e/e2e-valid-signature');
    const { store } = freshHome();
    try {
      const report = await importSources(store, [source(layout)]);
      // Only the signed artifact (not a Margo package, component or image) is reported.
      expect(report.unreadable).toEqual([]);
      expect(report.refused).toEqual([]);
      expect(report.skipped).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/^v1 is neither/) }),
      ]);
      expect(report.imported).toEqual([]);
    } finally {
      store.close();
    }
  });
});

describe('importing signed packages from a registry', () => {
  let registry: TestRegistry;
  let client: RegistryClient;
  const plain: ImportOptions = { registry: { plainHttp: true } };

  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ registry: registry.host, plainHttp: true });
    const host = registry.host;
    const pushed = await makePackageFixture(join(root, 'registry-fixture'), { registryHost: host });
    const kit = join(root, 'registry-kit');
    await pack(kit, signer, pushed);
    const targets = {
      [`${APP}:1.2.0`]: 'apps/line-monitor:1.2.0',
      [`${host}/compose/monitor:1.2.0`]: 'compose/monitor:1.2.0',
      [`${host}/monitor:1.2.0`]: 'monitor:1.2.0',
    };
    await pushLayout(client, kit, targets);
    expect(await pushSignaturesAsTagSchema(client, kit, targets)).toBe(3);
    const unsigned = join(root, 'registry-unsigned-kit');
    await pack(
      unsigned,
      undefined,
      await makePackageFixture(join(root, 'registry-unsigned'), {
        registryHost: host,
        version: '1.3.0',
      }),
    );
    await pushLayout(client, unsigned, { [`${APP}:1.3.0`]: 'apps/line-monitor:1.3.0' });
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await registry?.stop();
  });

  it('the registry has no referrers API: signatures are found through the sha256-<hex> tag schema', async () => {
    const manifest = await client.getManifest('apps/line-monitor', '1.2.0');
    const found = await client.referrers('apps/line-monitor', manifest.digest, NOTARY_SIGNATURE);
    expect(found).toEqual([
      expect.objectContaining({ artifactType: NOTARY_SIGNATURE, mediaType: MEDIA.ociManifest }),
    ]);
    const none = await client.getManifest('apps/line-monitor', '1.3.0');
    expect(await client.referrers('apps/line-monitor', none.digest, NOTARY_SIGNATURE)).toEqual([]);
  });

  it('under strict with the supplier trusted, the package, its component and image import verified', async () => {
    const { home, store, trust } = freshHome();
    try {
      await trust.addCa('example-industrial', supplier.certPath);
      await trust.policy('*', 'strict');
      const report = await importSources(
        store,
        [{ input: `oci://${registry.host}/apps/line-monitor:1.2.0`, path: '' }],
        { ...plain, withDependencies: true },
      );
      expect(report.refused).toEqual([]);
      expect(report.imported.map((i) => i.kind).sort()).toEqual([
        'application',
        'compose',
        'image',
      ]);
      expect(report.signatures.map((s) => [s.kind, s.verdict]).sort()).toEqual([
        ['component', 'verified'],
        ['image', 'verified'],
        ['package', 'verified'],
      ]);
      expect(artifactTrustFor(store, APP, '1.2.0')[0]).toMatchObject({
        kind: 'package',
        verdict: 'verified',
        signer: expect.stringContaining('Example Industrial Release Signing'),
      });

      const before = snapshotStore(home);
      const refused = await importSources(
        store,
        [{ input: `oci://${registry.host}/apps/line-monitor:1.3.0`, path: '' }],
        plain,
      );
      expect(refused.refused[0]?.message).toContain('is not signed');
      expect(snapshotStore(home)).toEqual(before);
    } finally {
      store.close();
    }
  }, 60_000);
});

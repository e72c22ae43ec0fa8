import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportReport } from '../../shared/contract/import-report';
import { CatalogEntry } from '../../shared/contract/catalog-entry';
import { ArtifactTrust } from '../../shared/contract/trust';
import { alterSignedPackage } from '../support/alter-signed-kit';
import { REPO_ROOT, runCli } from '../support/run-cli';
import {
  createSigningRoot,
  issueCodeSigningCert,
  type TestSigner,
  type TestSigningRoot,
} from '../support/signing-identity';
import { snapshotStore } from '../support/store-snapshot';

const DEMO = join(REPO_ROOT, 'resources/demo');
const APP = 'org-commissioner-demo-line-status';

const root = mkdtempSync(join(tmpdir(), 'commissioner-cli-signed-'));
let supplier: TestSigningRoot;
let signer: TestSigner;
let stranger: TestSigner;
let homes = 0;

/** The CLI on its own data home, from the test folder. */
function freshCli() {
  const home = join(root, `home-${++homes}`);
  const cli = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: home }, cwd: root });
  return { home, cli };
}
const { cli: packer } = freshCli();

const packArgs = (out: string, sign?: TestSigner) => [
  'kit',
  'pack',
  join(DEMO, 'package'),
  '--component',
  `line-status@1.0.0=${join(DEMO, 'compose')}`,
  '-o',
  out,
  ...(sign ? ['--sign-key', sign.keyPath, '--sign-cert', sign.chainPath] : []),
];

beforeAll(async () => {
  supplier = createSigningRoot(root, 'Commissioner Demo Root');
  signer = issueCodeSigningCert(supplier, root, 'Commissioner Demo Signing');
  stranger = issueCodeSigningCert(createSigningRoot(root, 'Stranger Root'), root, 'Stranger');
  for (const [out, sign] of [
    ['signed.tar', signer],
    ['unsigned.tar', undefined],
    ['stranger.tar', stranger],
    ['signed-folder', signer],
  ] as const) {
    const run = await packer(packArgs(out, sign));
    expect(run.code, run.stderr).toBe(0);
  }
  alterSignedPackage(join(root, 'signed-folder'), (text) =>
    text.replace('Shows the line', 'Shows the lime'),
  );
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('kit pack --sign-key --sign-cert', () => {
  it('signs the demo package and its component; trust verify accepts the kit once the root is trusted', async () => {
    const { cli } = freshCli();
    const run = await cli([...packArgs('demo-signed.tar', signer), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const packed = JSON.parse(run.stdout) as { entries: { signature?: string }[] };
    expect(packed.entries).toHaveLength(2);
    for (const entry of packed.entries) expect(entry.signature).toMatch(/^sha256:[0-9a-f]{64}$/);

    const untrusted = await cli(['trust', 'verify', 'demo-signed.tar', '--json']);
    expect(untrusted.code).toBe(1);
    expect((await cli(['trust', 'add', 'demo-root', '--type', 'ca', supplier.certPath])).code).toBe(
      0,
    );
    const verified = await cli(['trust', 'verify', 'demo-signed.tar', '--json']);
    expect(verified.code, verified.stderr).toBe(0);
    const results = JSON.parse(verified.stdout) as { verdict: string }[];
    expect(results.map((r) => r.verdict)).toEqual(['verified', 'verified']);
  });

  it('wants both the key and the chain (exit 2), and a key that belongs to the chain', async () => {
    const { cli } = freshCli();
    const keyOnly = await cli([...packArgs('k.tar'), '--sign-key', signer.keyPath]);
    expect(keyOnly.code).toBe(2);
    expect(keyOnly.stderr).toContain('--sign-key and --sign-cert go together');
    const certOnly = await cli([...packArgs('k.tar'), '--sign-cert', signer.chainPath]);
    expect(certOnly.code).toBe(2);
    const mismatch = await cli([
      ...packArgs('k.tar'),
      '--sign-key',
      stranger.keyPath,
      '--sign-cert',
      signer.chainPath,
    ]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/does not belong to the first certificate/);
    expect(mismatch.stderr).toContain('check --sign-key');
    expect(existsSync(join(root, 'k.tar'))).toBe(false);
  });
});

describe('import under a trust policy', () => {
  it('strict: unsigned and untrusted kits are refused with nothing written; the trusted kit imports and catalog show names its signer', async () => {
    const { home, cli } = freshCli();
    expect((await cli(['trust', 'add', 'demo-root', '--type', 'ca', supplier.certPath])).code).toBe(
      0,
    );
    expect((await cli(['trust', 'policy', 'set', '*', '--level', 'strict'])).code).toBe(0);
    const before = snapshotStore(home);

    const unsigned = await cli(['import', 'unsigned.tar']);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toMatch(
      new RegExp(
        `refused +unsigned\\.tar: package ${APP}@1\\.0\\.0 \\(sha256:[0-9a-f]{64}\\) is not signed, and the trust policy for \\* requires a trusted signature`,
      ),
    );
    expect(unsigned.stdout).toMatch(
      /unsigned +package .*it is not signed \(the trust policy for \* is strict\)/,
    );
    const foreign = await cli(['import', 'stranger.tar', '--json']);
    expect(foreign.code).toBe(1);
    const foreignReport = ImportReport.parse(JSON.parse(foreign.stdout));
    expect(foreignReport.refused).toHaveLength(1);
    expect(foreignReport.signatures.map((s) => s.verdict)).toEqual(['invalid', 'invalid']);
    expect(snapshotStore(home)).toEqual(before);
    expect(JSON.parse((await cli(['catalog', 'list', '--json'])).stdout)).toEqual([]);

    const signed = await cli(['import', 'signed.tar', '--json']);
    expect(signed.code, signed.stderr).toBe(0);
    const report = ImportReport.parse(JSON.parse(signed.stdout));
    expect(report.imported).toHaveLength(2);
    expect(report.signatures).toEqual([
      expect.objectContaining({
        artifact: report.imported.find((i) => i.kind === 'application')?.digest,
        kind: 'package',
        name: `${APP}@1.0.0`,
        verdict: 'verified',
        signer: expect.stringContaining('Commissioner Demo Signing'),
        reason: null,
      }),
      expect.objectContaining({ kind: 'component', verdict: 'verified' }),
    ]);

    const show = await cli(['catalog', 'show', APP, '--json']);
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout) as { signatures: unknown[] };
    const signatures = shown.signatures.map((s) => ArtifactTrust.parse(s));
    expect(signatures[0]).toMatchObject({
      artifact: report.signatures[0]?.artifact,
      format: 'jws',
      verdict: 'verified',
      signer: expect.stringContaining('Commissioner Demo Signing'),
      trustedBy: 'demo-root',
      signedAt: expect.stringMatching(/^\d{4}-/),
      reason: null,
    });
    const list = (JSON.parse((await cli(['catalog', 'list', '--json'])).stdout) as unknown[]).map(
      (e) => CatalogEntry.parse(e),
    );
    expect(list.map((e) => e.trust)).toEqual(['verified']);
    const text = await cli(['catalog', 'show', APP]);
    expect(text.stdout).toMatch(
      /signed by +package .*Commissioner Demo Signing.*, trusted through demo-root/,
    );

    // Removing the trust entry flips the stored verdict; nothing is imported again.
    expect((await cli(['trust', 'remove', 'demo-root', '--yes'])).code).toBe(0);
    const after = JSON.parse((await cli(['catalog', 'show', APP, '--json'])).stdout) as {
      signatures: ArtifactTrust[];
    };
    expect(after.signatures.map((s) => s.verdict)).toEqual(['invalid', 'invalid']);
    expect(after.signatures[0]?.reason).toMatch(/trust/);
  }, 60_000);

  it('audit: a kit altered after signing imports, with a warning naming the artifact and the check', async () => {
    const { cli } = freshCli();
    expect((await cli(['trust', 'add', 'demo-root', '--type', 'ca', supplier.certPath])).code).toBe(
      0,
    );
    expect((await cli(['trust', 'policy', 'set', '*', '--level', 'audit'])).code).toBe(0);
    const run = await cli(['import', 'signed-folder']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `bad signature package ${APP}@1\\.0\\.0: .+ \\(the trust policy for \\* is audit\\)`,
      ),
    );
    expect(run.stdout).toMatch(
      /signed by +component registry\.plant\.local\/compose\/line-status:1\.0\.0/,
    );
    const strict = freshCli();
    await strict.cli(['trust', 'add', 'demo-root', '--type', 'ca', supplier.certPath]);
    await strict.cli(['trust', 'policy', 'set', '*', '--level', 'strict']);
    const refused = await strict.cli(['import', 'signed-folder']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(
      new RegExp(
        `refused +signed-folder: package ${APP}@1\\.0\\.0 .*has no signature that verifies`,
      ),
    );
  }, 60_000);
});

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArtifactVerification } from '../../shared/contract/trust';
import { runCli } from '../support/run-cli';
import {
  CONFORMANCE_IDENTITY,
  needsVectors,
  PUBLIC_GOOD_ROOT,
  sigstorePath,
} from '../support/sigstore-vectors';

const sha256 = (path: string) =>
  `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;

const G = (file: string) => sigstorePath(`sigstore-go/public-key-validity/${file}`);
const C = (file: string) => sigstorePath(`conformance/${file}`);
const ROOT = sigstorePath(PUBLIC_GOOD_ROOT);
const DSSE = C('happy-path-intoto-in-dsse-v3/bundle.sigstore.json');

describe('commissioner trust verify-bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'commissioner-verify-bundle-'));
  // A fresh, empty store: without --key or --trusted-root the laptop trust store is used.
  const env = { COMMISSIONER_HOME: join(dir, 'home') };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[]) => runCli(['trust', 'verify-bundle', ...args], { env });

  it('exits 0 for a key-signed bundle with a TSA timestamp (S-01) and says who signed it when', async (context) => {
    needsVectors(context);
    const result = await run([
      G('bundle.sigstore.json'),
      '--artifact',
      G('artifact'),
      '--key',
      G('key.pem'),
      '--trusted-root',
      G('trusted_root.json'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      `${G('bundle.sigstore.json')}: verified`,
      '  artifact sha256:6ae8a75555209fd6c44157c0aed8016e763ff435a19cf186f76863140143ff72',
      '  signer   key key.pem (trusted by key.pem)',
      '  timestamped 2026-06-04T17:43:29.000Z',
      '',
    ]);
  });

  it('--json prints one object: the artifact digest, the verdict, the bundle as a signature', async (context) => {
    needsVectors(context);
    for (const args of [
      [
        '--json',
        C('happy-path-v0.3/bundle.sigstore.json'),
        '--artifact',
        C('a.txt'),
        '--trusted-root',
        ROOT,
      ],
      [
        C('happy-path-v0.3/bundle.sigstore.json'),
        '--trusted-root',
        ROOT,
        '--artifact',
        C('a.txt'),
        '--json',
      ],
    ]) {
      const result = await run(args);
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n')).toHaveLength(1);
      const parsed = JSON.parse(result.stdout) as unknown;
      expect(Object.keys(parsed as object)).toEqual(['artifact', 'verdict', 'signatures']);
      expect(ArtifactVerification.parse(parsed)).toEqual({
        artifact: sha256(C('a.txt')),
        verdict: 'verified',
        signatures: [
          {
            digest: sha256(C('happy-path-v0.3/bundle.sigstore.json')),
            format: 'sigstore',
            verdict: 'verified',
            signer: CONFORMANCE_IDENTITY,
            reason: null,
            trustedBy: 'public-good.trusted_root.json',
            signedAt: '2024-03-19T17:26:26.000Z',
            timestampedAt: '2024-03-19T17:26:26.000Z',
          },
        ],
      });
    }
  });

  it('exits 1 with the reason for a bundle of another artifact', async (context) => {
    needsVectors(context);
    const result = await run([
      C('wrong-material_fail/bundle.sigstore.json'),
      '--artifact',
      C('wrong-material_fail/artifact'),
      '--trusted-root',
      ROOT,
      '--json',
    ]);
    expect(result.code).toBe(1);
    const parsed = ArtifactVerification.parse(JSON.parse(result.stdout));
    expect(parsed.artifact).toBe(sha256(C('wrong-material_fail/artifact')));
    expect(parsed.verdict).toBe('invalid');
    expect(parsed.signatures[0]?.reason).toBe(
      "the artifact is not the one the bundle signs: its sha256 digest differs from the bundle's",
    );
  });

  it('--no-artifact verifies a DSSE bundle and reports the digest its statement names', async (context) => {
    needsVectors(context);
    const result = await run([DSSE, '--no-artifact', '--trusted-root', ROOT, '--json']);
    expect(result.code).toBe(0);
    const parsed = ArtifactVerification.parse(JSON.parse(result.stdout));
    expect(parsed.artifact).toBe(sha256(C('a.txt')));
    expect(parsed.signatures[0]?.signer).toBe(CONFORMANCE_IDENTITY);
  });

  it('a malformed bundle and a broken trusted root are verdicts (exit 1), not usage errors', async (context) => {
    needsVectors(context);
    const malformed = await run([
      C('bundle-malformed-json_fail/bundle.sigstore.json'),
      '--artifact',
      C('a.txt'),
      '--trusted-root',
      ROOT,
    ]);
    expect(malformed.code).toBe(1);
    expect(malformed.stdout.trim()).toBe(
      `${C('bundle-malformed-json_fail/bundle.sigstore.json')}: invalid: the bundle is not valid JSON`,
    );
    const noStart = await run([
      C('trust-root-tlog-missing-validity-start_fail/bundle.sigstore.json'),
      '--artifact',
      C('a.txt'),
      '--trusted-root',
      C('trust-root-tlog-missing-validity-start_fail/trusted_root.json'),
      '--json',
    ]);
    expect(noStart.code).toBe(1);
    expect(JSON.parse(noStart.stdout).signatures[0].reason).toBe(
      'the trusted root is malformed: transparency log https://log2025-alpha1.rekor.sigstage.dev has no validity start (trusted_root.json)',
    );
  });

  it('a key file that is not a key gives verdict invalid (exit 1) naming it', async (context) => {
    needsVectors(context);
    const corrupt = join(dir, 'key.pub');
    writeFileSync(
      corrupt,
      readFileSync(C('managed-key-happy-path/key.pub'), 'utf8').replace('MFkw', 'M!kw'),
    );
    const result = await run([
      C('managed-key-happy-path/bundle.sigstore.json'),
      '--artifact',
      C('a.txt'),
      '--key',
      corrupt,
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).signatures[0].reason).toBe(
      'the key key.pub is not a valid public key',
    );
  });

  it('without a key or trusted root it uses the laptop trust store (empty here) and says so', async (context) => {
    needsVectors(context);
    const result = await run([DSSE, '--no-artifact']);
    expect(result.code).toBe(1);
    expect(result.stdout.trim()).toBe(
      `${DSSE}: invalid: the bundle is signed with a certificate, and no trusted root was provided to check it`,
    );
    expect(result.stderr).toContain('the trust store has no Sigstore keys or trusted roots');
  });

  describe('exits 2 for usage errors, printing nothing on stdout', () => {
    const usage: [string, () => string[], RegExp][] = [
      [
        'neither --artifact nor --no-artifact',
        () => [DSSE, '--trusted-root', ROOT],
        /say which artifact the bundle signs/,
      ],
      [
        'both --artifact and --no-artifact',
        () => [DSSE, '--artifact', C('a.txt'), '--no-artifact', '--trusted-root', ROOT],
        /give either --artifact <file> or --no-artifact, not both/,
      ],
      [
        'a bundle file that does not exist',
        () => [join(dir, 'missing.sigstore.json'), '--no-artifact', '--trusted-root', ROOT],
        /the bundle file .*missing\.sigstore\.json does not exist/,
      ],
      [
        'an artifact file that does not exist',
        () => [DSSE, '--artifact', join(dir, 'missing.tar'), '--trusted-root', ROOT, '--json'],
        /the artifact file .*missing\.tar does not exist\n {2}give the signed file with --artifact/,
      ],
      [
        'a key file that does not exist',
        () => [DSSE, '--no-artifact', '--key', join(dir, 'missing.pem')],
        /the key file .*missing\.pem does not exist/,
      ],
      [
        'a trusted root that is a folder',
        () => [DSSE, '--no-artifact', '--trusted-root', dir],
        /the trusted root file .* is not a file/,
      ],
    ];
    for (const [what, args, says] of usage) {
      it(what, async (context) => {
        needsVectors(context);
        const result = await run(args());
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(
          new RegExp(`^commissioner trust verify-bundle: ${says.source}`),
        );
      });
    }
  });
});

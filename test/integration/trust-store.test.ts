import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import { openStore, type Store } from '../../electron/core/store/store';
import { laptopNotaryTrust, laptopSigstoreTrust } from '../../electron/core/trust/laptop-trust';
import { policyFor } from '../../electron/core/trust/trust-policy';
import { trustVersion } from '../../electron/core/trust/trust-version';
import type { ContractError } from '../../shared/contract/contract-error';
import {
  AddedTrustEntry,
  RemovedTrustEntry,
  TrustEntryView,
  TrustPolicyView,
} from '../../shared/contract/trust-store';
import type { EventOf } from '../../shared/contract/operations';
import type { EventMessage } from '../../shared/contract/wire';
import { selfSignedCertificate } from '../support/trust-certificates';

/**
 * The trust store through the contract, as the UI uses it (picked files, real SQLite), and
 * the loaders the verifiers and the import/deploy checks call, on the same store.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-trust-store-'));
const home = join(root, 'home');
const files = join(root, 'files');
let core: AppCore;
let store: Store;
const events: EventMessage[] = [];

const plantCa = selfSignedCertificate({ commonName: 'Plant Signing CA', organization: 'Acme' });
const otherCa = selfSignedCertificate({ commonName: 'Other CA', organization: 'Other' });
const tsaRoot = selfSignedCertificate({ commonName: 'Plant TSA Root' });
const expired = selfSignedCertificate({ commonName: 'Old CA', days: 10, startDaysAgo: 400 });
const leaf = selfSignedCertificate({ commonName: 'Pinned Signer', ca: false });

function file(name: string, content: string | Buffer): string {
  const path = join(files, name);
  writeFileSync(path, content);
  return path;
}

async function call<T>(op: string, request: unknown = {}): Promise<T> {
  const answer = await core.call(op, request);
  if (!answer.ok) throw new Error(`${op}: ${answer.error.name}: ${answer.error.message}`);
  return answer.result as T;
}

async function failure(op: string, request: unknown): Promise<ContractError> {
  const answer = await core.call(op, request);
  if (answer.ok) throw new Error(`${op} succeeded: ${JSON.stringify(answer.result)}`);
  return answer.error;
}

/** Picks a file as the desktop dialog would, then deletes it once added (the copy is kept). */
function picked(path: string, name = path.split('/').pop() as string): string {
  return core.registerPicked({ path, kind: 'file' }, name).token;
}

async function add(name: string, type: string, path: string) {
  return AddedTrustEntry.parse(await call('trust.add', { name, type, file: picked(path) }));
}

async function entries() {
  return TrustEntryView.array().parse(await call('trust.list'));
}

const sha256 = (der: Buffer) => `sha256:${createHash('sha256').update(der).digest('hex')}`;

beforeAll(async () => {
  mkdirSync(files, { recursive: true });
  core = await createAppCore({ host: 'electron', home });
  core.onEvent((e) => events.push(e));
  store = openStore(home);
});

afterAll(async () => {
  store?.close();
  await core?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('trust entries through the contract', () => {
  it('adds a CA certificate as a copy: the picked file may go, its anchor stays', async () => {
    const version = trustVersion(store);
    const path = file('plant-ca.pem', plantCa.certPem);
    const added = await add('plant', 'ca', path);
    rmSync(path);
    expect(added).toMatchObject({
      name: 'plant',
      type: 'ca',
      fingerprint: sha256(plantCa.der),
      subjects: ['O=Acme, CN=Plant Signing CA'],
      usedBy: [],
      warnings: [],
    });
    expect(new Date(added.notAfter as string).getTime()).toBeGreaterThan(Date.now());
    expect((await entries()).map((e) => e.name)).toEqual(['plant']);
    const notary = laptopNotaryTrust(store);
    expect(notary.ca).toEqual([{ name: 'plant', der: plantCa.der }]);
    expect(notary.tsa).toEqual([]);
    expect(trustVersion(store)).toBeGreaterThan(version);
    await expect
      .poll(() =>
        events.some(
          (e) =>
            e.event === 'store.changed' &&
            (e.payload as EventOf<'store.changed'>).what.includes('trust'),
        ),
      )
      .toBe(true);
  });

  it('a bundle becomes one anchor per certificate, all with the entry name; DER is read too', async () => {
    await add('bundle', 'signingAuthority', file('bundle.pem', plantCa.certPem + otherCa.certPem));
    await add('tsa-root', 'tsa', file('tsa.cer', tsaRoot.der));
    const notary = laptopNotaryTrust(store);
    expect(notary.signingAuthority).toEqual([
      { name: 'bundle', der: plantCa.der },
      { name: 'bundle', der: otherCa.der },
    ]);
    expect(notary.tsa).toEqual([{ name: 'tsa-root', der: tsaRoot.der }]);
    const bundle = (await entries()).find((e) => e.name === 'bundle');
    expect(bundle?.subjects).toEqual(['O=Acme, CN=Plant Signing CA', 'O=Other, CN=Other CA']);
    // Only the named entries, when a policy names some.
    expect(laptopNotaryTrust(store, ['TSA-ROOT'], ['CN=x'])).toEqual({
      ca: [],
      signingAuthority: [],
      tsa: [{ name: 'tsa-root', der: tsaRoot.der }],
      identities: ['CN=x'],
    });
    expect(laptopNotaryTrust(store, [])).toEqual({ ca: [], signingAuthority: [], tsa: [] });
  });

  it('warns, without refusing, about an expired certificate and one that is not a CA', async () => {
    const old = await add('old', 'ca', file('old.pem', expired.certPem));
    expect(old.warnings.join('\n')).toMatch(/O=Commissioner Tests, CN=Old CA expired on \d{4}-/);
    const pinned = await add('pinned', 'ca', file('pinned.pem', leaf.certPem));
    expect(pinned.warnings.join('\n')).toMatch(/CN=Pinned Signer is not a CA certificate/);
    expect(pinned.warnings.join('\n')).not.toMatch(/expired/);
  });

  it('refuses private keys, non-certificates, duplicates, bad names and huge files; nothing is written', async () => {
    const before = await entries();
    const version = trustVersion(store);
    const cases: [string, string, string, string, RegExp][] = [
      [
        'key',
        'ca',
        'key.pem',
        plantCa.keyPem,
        /this file holds a private key; give the certificate only/,
      ],
      ['mixed', 'ca', 'mixed.pem', plantCa.certPem + plantCa.keyPem, /holds a private key/],
      ['text', 'tsa', 'notes.txt', 'hello', /notes\.txt holds no certificate/],
      [
        'broken',
        'ca',
        'broken.pem',
        '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
        /certificate 1 of the file is damaged/,
      ],
      ['bad name!', 'ca', 'ok.pem', plantCa.certPem, /not allowed: use letters, digits/],
      ['x'.repeat(65), 'ca', 'ok2.pem', plantCa.certPem, /at most 64/],
      ['big', 'ca', 'big.pem', plantCa.certPem + ' '.repeat(1024 * 1024), /too large/],
    ];
    for (const [name, type, fileName, content, message] of cases) {
      const error = await failure('trust.add', {
        name,
        type,
        file: picked(file(fileName, content)),
      });
      expect(error.name, name).toBe('invalid-input');
      expect(error.message, name).toMatch(message);
    }
    // The contract itself knows the types (the CLI's own check is in test/cli/trust-store.test.ts).
    expect(
      (await failure('trust.add', { name: 't', type: 'root', file: picked(file('t.pem', '')) }))
        .name,
    ).toBe('invalid-request');
    // DER private keys too.
    const der = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'der',
      type: 'pkcs8',
    });
    expect(
      (await failure('trust.add', { name: 'derkey', type: 'ca', file: picked(file('k.der', der)) }))
        .message,
    ).toMatch(/private key/);
    const duplicate = await failure('trust.add', {
      name: 'PLANT',
      type: 'ca',
      file: picked(file('again.pem', otherCa.certPem)),
    });
    expect(duplicate).toMatchObject({
      name: 'already-exists',
      details: { thing: 'trust-entry', name: 'PLANT' },
    });
    const folder = core.registerPicked({ path: files, kind: 'folder' }, 'files').token;
    expect((await failure('trust.add', { name: 'folder', type: 'ca', file: folder })).name).toBe(
      'invalid-input',
    );
    expect(await entries()).toEqual(before);
    expect(trustVersion(store)).toBe(version);
  });

  it('Sigstore keys and trusted roots: checked, and given to Sigstore verification only', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = ec.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const key = await add('supplier-key', 'sigstore-key', file('key.pub', pem));
    expect(key.subjects).toEqual(['ECDSA P-256 public key']);
    expect(key.fingerprint).toBe(
      sha256(ec.publicKey.export({ format: 'der', type: 'spki' }) as Buffer),
    );
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      format: 'pem',
      type: 'spki',
    });
    expect(
      (
        await failure('trust.add', {
          name: 'weak',
          type: 'sigstore-key',
          file: picked(file('weak.pub', weak)),
        })
      ).message,
    ).toMatch(/RSA of at least 2048 bits/);
    expect(
      (
        await failure('trust.add', {
          name: 'pk',
          type: 'sigstore-key',
          file: picked(file('pk.pem', ec.privateKey.export({ format: 'pem', type: 'pkcs8' }))),
        })
      ).message,
    ).toMatch(/this file holds a private key; give the public key only/);
    expect(
      (
        await failure('trust.add', {
          name: 'cert-as-key',
          type: 'sigstore-key',
          file: picked(file('cert-as-key.pem', plantCa.certPem)),
        })
      ).message,
    ).toMatch(/holds a certificate, not a public key/);

    const logKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    const since = { start: '2026-01-01T00:00:00Z' };
    const trustedRoot = {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [
        {
          baseUrl: 'https://rekor.plant.local',
          hashAlgorithm: 'SHA2_256',
          publicKey: {
            rawBytes: logKey.toString('base64'),
            keyDetails: 'PKIX_ECDSA_P256_SHA_256',
            validFor: since,
          },
          logId: { keyId: createHash('sha256').update(logKey).digest('base64') },
        },
      ],
      certificateAuthorities: [],
      ctlogs: [],
      timestampAuthorities: [
        {
          subject: { organization: 'Acme', commonName: 'Plant TSA' },
          uri: 'https://tsa',
          certChain: {
            certificates: [
              { rawBytes: new X509Certificate(plantCa.certPem).raw.toString('base64') },
            ],
          },
          validFor: since,
        },
      ],
    };
    // A log whose validity has no start is refused when provisioned, as the verifier would.
    const noStart = structuredClone(trustedRoot);
    (noStart.tlogs[0]!.publicKey as { validFor: unknown }).validFor = {
      end: '2030-01-01T00:00:00Z',
    };
    expect(
      (
        await failure('trust.add', {
          name: 'no-start',
          type: 'sigstore-root',
          file: picked(file('no-start.json', JSON.stringify(noStart))),
        })
      ).message,
    ).toMatch(/has no validity start/);
    const rootEntry = await add(
      'plant-root',
      'sigstore-root',
      file('trusted_root.json', JSON.stringify(trustedRoot)),
    );
    expect(rootEntry.subjects).toEqual([
      'timestamp authority Acme / Plant TSA',
      'transparency log https://rekor.plant.local',
    ]);
    expect(
      (
        await failure('trust.add', {
          name: 'not-root',
          type: 'sigstore-root',
          file: picked(file('other.json', JSON.stringify({ mediaType: 'application/json' }))),
        })
      ).message,
    ).toMatch(/not a Sigstore trusted root: its mediaType must be/);

    const sigstore = laptopSigstoreTrust(store);
    expect(sigstore.keys).toEqual([{ name: 'supplier-key', pem }]);
    expect(sigstore.trustedRoots).toEqual([{ name: 'plant-root', json: trustedRoot }]);
    expect(laptopSigstoreTrust(store, ['plant-root']).keys).toEqual([]);
    const notary = laptopNotaryTrust(store);
    expect(
      [...notary.ca, ...notary.signingAuthority, ...notary.tsa].map((a) => a.name),
    ).not.toContain('supplier-key');
  });
});

describe('trust policies through the contract', () => {
  it('with no policy, nothing is required (skip) and the whole store is the trust', () => {
    const effective = policyFor(store, { appId: 'com.acme.monitor' });
    expect(effective.scope).toBeNull();
    expect(effective.level).toBe('skip');
    expect(effective.notary.ca.map((a) => a.name)).toContain('plant');
  });

  it('sets policies per scope, lists them most specific first, and the most specific applies', async () => {
    const version = trustVersion(store);
    await call('trust.setPolicy', { scope: '*', level: 'strict' });
    await call('trust.setPolicy', {
      scope: 'app:com.acme.*',
      level: 'audit',
      trust: ['plant', 'tsa-root'],
      identities: ['x509.subject: O=Acme, CN=Release'],
    });
    await call('trust.setPolicy', { scope: 'org:Acme', level: 'strict', trust: ['bundle'] });
    await call('trust.setPolicy', {
      scope: 'registry.plant.local:5000/acme/*',
      level: 'skip',
    });
    const policies = TrustPolicyView.array().parse(await call('trust.policies'));
    expect(policies.map((p) => [p.scope, p.kind, p.level, p.trust])).toEqual([
      ['com.acme.*', 'app', 'audit', ['plant', 'tsa-root']],
      ['org:Acme', 'org', 'strict', ['bundle']],
      ['registry.plant.local:5000/acme/*', 'repository', 'skip', null],
      ['*', 'all', 'strict', null],
    ]);
    expect(policies[0]?.identities).toEqual(['O=Acme, CN=Release']);
    expect(trustVersion(store)).toBeGreaterThan(version);

    const app = policyFor(store, {
      appId: 'com.acme.monitor',
      organization: 'Acme',
      repository: 'registry.plant.local:5000/acme/monitor',
    });
    expect(app.scope).toBe('com.acme.*');
    expect(app.level).toBe('audit');
    expect(app.identities).toEqual(['O=Acme, CN=Release']);
    expect(app.notary.ca.map((a) => a.name)).toEqual(['plant']);
    expect(app.notary.tsa.map((a) => a.name)).toEqual(['tsa-root']);
    expect(app.notary.signingAuthority).toEqual([]);
    expect(app.notary.identities).toEqual(['O=Acme, CN=Release']);

    const org = policyFor(store, { appId: 'org.acme.other', organization: ['acme'] });
    expect(org.scope).toBe('org:Acme');
    expect(org.notary.signingAuthority.map((a) => a.name)).toEqual(['bundle', 'bundle']);
    expect(org.notary.ca).toEqual([]);
    expect(org.sigstore).toEqual({ keys: [], trustedRoots: [] });

    const repo = policyFor(store, { repository: 'registry.plant.local:5000/acme/tool:1' });
    expect([repo.scope, repo.level]).toEqual(['registry.plant.local:5000/acme/*', 'skip']);
    const rest = policyFor(store, { appId: 'net.other.app' });
    expect([rest.scope, rest.level]).toEqual(['*', 'strict']);
    expect(rest.sigstore.keys.map((k) => k.name)).toEqual(['supplier-key']);
  });

  it('setting a scope again replaces its policy; every spelling of a scope is the same scope', async () => {
    await call('trust.setPolicy', { scope: 'ORG:acme', level: 'audit' });
    const policies = TrustPolicyView.array().parse(await call('trust.policies'));
    const orgs = policies.filter((p) => p.kind === 'org');
    expect(orgs).toHaveLength(1);
    expect(orgs[0]).toMatchObject({ scope: 'org:Acme', level: 'audit', trust: null });
  });

  it('refuses unknown entries, levels and scopes, changing nothing', async () => {
    const before = await call('trust.policies');
    const version = trustVersion(store);
    const unknown = await failure('trust.setPolicy', {
      scope: 'com.acme.*',
      level: 'strict',
      trust: ['plant', 'nope'],
    });
    expect(unknown).toMatchObject({ name: 'invalid-input', details: { field: 'trust' } });
    expect(unknown.message).toMatch(/no entry named nope: its entries are/);
    expect(
      (await failure('trust.setPolicy', { scope: 'com.acme.*', level: 'paranoid' })).name,
    ).toBe('invalid-request');
    expect(
      (await failure('trust.setPolicy', { scope: 'what:ever', level: 'strict' })).details,
    ).toEqual({ field: 'scope' });
    expect(
      (
        await failure('trust.setPolicy', {
          scope: '*',
          level: 'strict',
          identities: ['just a name'],
        })
      ).details,
    ).toEqual({ field: 'identity' });
    expect(await call('trust.policies')).toEqual(before);
    expect(trustVersion(store)).toBe(version);
  });

  it('an entry named by policies is removed only when they may drop it; a policy left empty trusts nothing', async () => {
    const refused = await failure('trust.remove', { name: 'plant' });
    expect(refused.name).toBe('refused');
    expect(refused.message).toMatch(/the trust policies of com\.acme\.\* trust plant/);
    expect((await entries()).find((e) => e.name === 'plant')?.usedBy).toEqual(['com.acme.*']);

    const removed = RemovedTrustEntry.parse(
      await call('trust.remove', { name: 'plant', dropFromPolicies: true }),
    );
    expect(removed).toEqual({ name: 'plant', droppedFrom: ['com.acme.*'], trustingNothing: [] });
    const app = policyFor(store, { appId: 'com.acme.monitor' });
    expect(app.notary.tsa.map((a) => a.name)).toEqual(['tsa-root']);
    expect(app.notary.ca).toEqual([]);

    const last = RemovedTrustEntry.parse(
      await call('trust.remove', { name: 'tsa-root', dropFromPolicies: true }),
    );
    expect(last.trustingNothing).toEqual(['com.acme.*']);
    // Removing the last named entry must not widen the policy to every entry.
    const after = policyFor(store, { appId: 'com.acme.monitor' });
    expect(after.scope).toBe('com.acme.*');
    expect(after.notary).toEqual({
      ca: [],
      signingAuthority: [],
      tsa: [],
      identities: ['O=Acme, CN=Release'],
    });
    expect(
      TrustPolicyView.array()
        .parse(await call('trust.policies'))
        .find((p) => p.scope === 'com.acme.*')?.trust,
    ).toEqual([]);

    expect(await failure('trust.remove', { name: 'plant' })).toMatchObject({
      name: 'not-found',
      details: { thing: 'trust-entry' },
    });
  });

  it('removes a policy by any spelling of its scope; an unknown scope is not found', async () => {
    await call('trust.removePolicy', { scope: 'app:COM.ACME.*' });
    const scopes = TrustPolicyView.array()
      .parse(await call('trust.policies'))
      .map((p) => p.scope);
    expect(scopes).not.toContain('com.acme.*');
    expect(await failure('trust.removePolicy', { scope: 'com.acme.*' })).toMatchObject({
      name: 'not-found',
      details: { thing: 'trust-policy', name: 'com.acme.*' },
    });
    expect(policyFor(store, { appId: 'com.acme.monitor', organization: 'Other' }).scope).toBe('*');
  });

  it('the trust store survives a restart of the core', async () => {
    const before = await entries();
    await core.close();
    core = await createAppCore({ host: 'electron', home });
    expect(await entries()).toEqual(before);
  });
});

import { execFileSync, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrustEntryView, TrustPolicyView } from '../../shared/contract/trust-store';
import { CLI, runCli } from '../support/run-cli';
import { selfSignedCertificate } from '../support/trust-certificates';

/** `trust add|list|remove` and `trust policy set|list|remove` as an engineer types them. */
const root = mkdtempSync(join(tmpdir(), 'commissioner-cli-trust-'));
const env = { COMMISSIONER_HOME: join(root, 'home') };
const cli = (args: string[]) => runCli(args, { env, cwd: root });

const ca = selfSignedCertificate({ commonName: 'Line Signing CA', organization: 'Acme' });
const expired = selfSignedCertificate({ commonName: 'Retired CA', days: 5, startDaysAgo: 100 });
const sha256 = (der: Buffer) => `sha256:${createHash('sha256').update(der).digest('hex')}`;

function file(name: string, content: string | Buffer): string {
  writeFileSync(join(root, name), content);
  return name;
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('trust add, list and remove', () => {
  it('adds a certificate (relative path), prints it as JSON; the list shows it with usedBy', async () => {
    const added = await cli([
      'trust',
      'add',
      'line-ca',
      '--type',
      'ca',
      file('ca.pem', ca.certPem),
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const entry = JSON.parse(added.stdout) as TrustEntryView & { warnings: string[] };
    expect(entry).toMatchObject({
      name: 'line-ca',
      type: 'ca',
      fingerprint: sha256(ca.der),
      subjects: ['O=Acme, CN=Line Signing CA'],
      usedBy: [],
      warnings: [],
    });
    rmSync(join(root, 'ca.pem'));

    const list = await cli(['trust', 'list', '--json']);
    expect(list.code).toBe(0);
    const entries = TrustEntryView.array().parse(JSON.parse(list.stdout));
    expect(entries).toHaveLength(1);
    expect(Object.keys(entries[0] as object).sort()).toEqual(
      [
        'addedAt',
        'fingerprint',
        'name',
        'notAfter',
        'notBefore',
        'subjects',
        'type',
        'usedBy',
      ].sort(),
    );
    const text = await cli(['trust', 'list']);
    expect(text.stdout).toMatch(/^NAME\s+TYPE\s+SUBJECT\s+VALID\s+FINGERPRINT\s+USED BY$/m);
    expect(text.stdout).toMatch(/line-ca\s+ca\s+O=Acme, CN=Line Signing CA/);
  });

  it('an expired certificate is added with a warning on stderr; stdout stays JSON', async () => {
    const run = await cli([
      'trust',
      'add',
      '--json',
      'retired',
      '--type',
      'tsa',
      file('old.pem', expired.certPem),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'retired', type: 'tsa' });
    expect(run.stderr).toMatch(/^warning: O=Commissioner Tests, CN=Retired CA expired on /m);
  });

  it('refuses a private key (exit 2), naming it, and records nothing', async () => {
    const run = await cli(['trust', 'add', 'oops', '--type', 'ca', file('key.pem', ca.keyPem)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'commissioner trust add: key.pem: this file holds a private key; give the certificate only',
    );
    expect(run.stdout).toBe('');
    const list = JSON.parse((await cli(['trust', 'list', '--json'])).stdout) as { name: string }[];
    expect(list.map((e) => e.name)).toEqual(['line-ca', 'retired']);
  });

  it('exit codes: duplicate 1; bad type, bad name, missing file 2', async () => {
    const duplicate = await cli([
      'trust',
      'add',
      'LINE-CA',
      '--type',
      'ca',
      file('ca2.pem', ca.certPem),
    ]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already has an entry named LINE-CA/);
    const type = await cli(['trust', 'add', 'x', '--type', 'root', 'ca2.pem']);
    expect(type.code).toBe(2);
    expect(type.stderr).toMatch(/unknown trust entry type "root"/);
    expect(type.stderr).toMatch(/--type ca \| tsa \| signingAuthority/);
    const name = await cli(['trust', 'add', 'a b', '--type', 'ca', 'ca2.pem']);
    expect(name.code).toBe(2);
    const missing = await cli(['trust', 'add', 'gone', '--type', 'ca', 'nowhere.pem']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nowhere\.pem does not exist/);
    const noType = await cli(['trust', 'add', 'x', 'ca2.pem']);
    expect(noType.code).toBe(2);
  });

  it('a Sigstore key is a PEM public key; a certificate given as a key is refused', async () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const run = await cli([
      'trust',
      'add',
      'k',
      '--type',
      'sigstore-key',
      file('k.pub', pem),
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ subjects: ['Ed25519 public key'] });
    const wrong = await cli([
      'trust',
      'add',
      'k2',
      '--type',
      'sigstore-key',
      file('c.pem', ca.certPem),
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/holds a certificate, not a public key/);
  });
});

describe('trust policy set, list and remove', () => {
  it('sets policies (JSON shape), refuses unknown entries, lists most specific first', async () => {
    const star = await cli(['trust', 'policy', 'set', '*', '--level', 'strict', '--json']);
    expect(star.code, star.stderr).toBe(0);
    expect(JSON.parse(star.stdout)).toMatchObject({
      scope: '*',
      kind: 'all',
      level: 'strict',
      trust: null,
      identities: [],
    });
    const app = await cli([
      'trust',
      'policy',
      'set',
      'app:com.acme.*',
      '--level',
      'audit',
      '--trust',
      'line-ca',
      '--trust',
      'retired',
      '--identity',
      'O=Acme, CN=Release',
    ]);
    expect(app.code, app.stderr).toBe(0);
    expect(app.stdout).toContain(
      'com.acme.* (applications whose id matches com.acme.*): warn and record',
    );
    const unknown = await cli([
      'trust',
      'policy',
      'set',
      'org:Acme',
      '--level',
      'strict',
      '--trust',
      'nope',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no entry named nope: its entries are k, line-ca, retired/);
    const level = await cli(['trust', 'policy', 'set', 'org:Acme', '--level', 'paranoid']);
    expect(level.code).toBe(2);
    expect(level.stderr).toMatch(/unknown level "paranoid"/);
    const scope = await cli(['trust', 'policy', 'set', 'foo:bar', '--level', 'strict']);
    expect(scope.code).toBe(2);

    const list = await cli(['trust', 'policy', 'list', '--json']);
    const policies = TrustPolicyView.array().parse(JSON.parse(list.stdout));
    expect(policies.map((p) => [p.scope, p.level, p.trust, p.identities])).toEqual([
      ['com.acme.*', 'audit', ['line-ca', 'retired'], ['O=Acme, CN=Release']],
      ['*', 'strict', null, []],
    ]);
    const text = await cli(['trust', 'policy', 'list']);
    expect(text.stdout).toMatch(/com\.acme\.\*\s+audit \(warn and record\)\s+line-ca, retired/);
    expect(text.stdout).toMatch(/\*\s+strict \(refuse unsigned or invalid\)\s+every entry\s+any/);
    const used = TrustEntryView.array().parse(
      JSON.parse((await cli(['trust', 'list', '--json'])).stdout),
    );
    expect(used.find((e) => e.name === 'line-ca')?.usedBy).toEqual(['com.acme.*']);
  });

  it('remove of an entry a policy names: refused without --yes (exit 1), then dropped from it', async () => {
    const refused = await cli(['trust', 'remove', 'line-ca']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/the trust policies of com\.acme\.\* trust line-ca/);
    expect(refused.stderr).toMatch(/give --yes/);
    const removed = await cli(['trust', 'remove', 'line-ca', '--yes', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({
      name: 'line-ca',
      droppedFrom: ['com.acme.*'],
      trustingNothing: [],
    });
    const policies = TrustPolicyView.array().parse(
      JSON.parse((await cli(['trust', 'policy', 'list', '--json'])).stdout),
    );
    expect(policies.find((p) => p.scope === 'com.acme.*')?.trust).toEqual(['retired']);
    const again = await cli(['trust', 'remove', 'line-ca']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no entry named line-ca/);
  });

  it('on a terminal, remove asks; "n" removes nothing, "y" removes and warns of a policy left trusting nothing', async () => {
    let hasScript = true;
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
    } catch {
      hasScript = false;
    }
    if (!hasScript) {
      console.log('no `script` command here: the terminal prompt of trust remove is not tested');
      return;
    }
    const onTerminal = (answer: string) =>
      new Promise<{ code: number | null; out: string }>((done) => {
        const child = spawn(
          'script',
          ['-qec', `${process.execPath} ${CLI} trust remove retired`, '/dev/null'],
          { env: { ...process.env, ...env, NO_COLOR: '1' }, cwd: root },
        );
        let out = '';
        let answered = false;
        // The answer goes once: more output after the prompt (its echo, the result) must not
        // write again into a terminal that may already be closed (EPIPE).
        child.stdin.on('error', () => {});
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (!answered && out.includes('[y/N]')) {
            answered = true;
            child.stdin.write(`${answer}\n`);
          }
        });
        child.on('close', (code) => done({ code, out }));
      });
    const no = await onTerminal('n');
    expect(no.out).toContain(
      'The policies of com.acme.* trust retired. Remove it and drop it from them? [y/N]',
    );
    expect(no.out).toContain('nothing removed');
    expect(no.code).toBe(1);
    const yes = await onTerminal('y');
    expect(yes.code).toBe(0);
    expect(yes.out).toContain('removed retired; dropped from the policies of com.acme.*');
    expect(yes.out).toMatch(/warning: the policy of com\.acme\.\* now trusts no entry/);
  });

  it('policy remove takes any spelling of the scope; an unknown one exits 1', async () => {
    const removed = await cli(['trust', 'policy', 'remove', 'APP:com.acme.*', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({ removed: 'com.acme.*' });
    const unknown = await cli(['trust', 'policy', 'remove', 'com.acme.*']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/there is no trust policy for com\.acme\.\*/);
    const empty = await cli(['trust', 'policy', 'remove', '*']);
    expect(empty.code).toBe(0);
    const none = await cli(['trust', 'policy', 'list']);
    expect(none.stdout).toMatch(/no trust policies: nothing is checked at import or deploy/);
  });
});

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommissionerError } from '../../shared/contract/contract-error';
import { normalizeSshFingerprint } from '../../shared/devices/device-connection';
import { checkSshIdentity, checkTlsFiles } from '../../electron/core/devices/device-key-files';
import { sshFingerprint, sshKeyType } from '../../electron/core/devices/ssh-host-key';
import { makeSshKey } from '../support/ssh-server';
import { createTestCa, issueClientCert, type IssuedCert, type TestCa } from '../support/test-ca';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'commissioner-key-files-'));
let ca: TestCa;
let client: IssuedCert;
let other: IssuedCert;
let otherCa: TestCa;

/** The invalid-input refusal `f` throws: its message and field. */
function refusal(f: () => unknown): { message: string; field: string | undefined } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CommissionerError);
    const error = e as CommissionerError<'invalid-input'>;
    expect(error.name).toBe('invalid-input');
    return { message: error.message, field: error.details.field };
  }
  throw new Error('not refused');
}

function file(name: string, content: string | Buffer): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

beforeAll(async () => {
  mkdirSync(join(root, 'ca'));
  mkdirSync(join(root, 'other'));
  ca = await createTestCa(join(root, 'ca'));
  client = await issueClientCert(
    ca,
    { commonName: 'laptop', ipAddresses: [], dnsNames: [] },
    join(root, 'ca'),
  );
  other = await issueClientCert(
    ca,
    { commonName: 'another-laptop', ipAddresses: [], dnsNames: [] },
    join(root, 'ca'),
  );
  otherCa = await createTestCa(join(root, 'other'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const good = () => ({ ca: ca.caCertPath, cert: client.certPath, key: client.keyPath });

describe('TLS files given for a device', () => {
  it('are accepted when sound, the checked bytes kept, no warning', () => {
    const checked = checkTlsFiles(good());
    expect(checked.warnings).toEqual([]);
    expect(checked.bytes.key.equals(readFileSync(client.keyPath))).toBe(true);
  });

  it('refuse a key of another certificate, naming both files', () => {
    const r = refusal(() => checkTlsFiles({ ...good(), key: other.keyPath }));
    expect(r.field).toBe('tls.key');
    expect(r.message).toMatch(/client key \S+\.key does not belong to the client certificate \S+/);
  });

  it('name which file is wrong, and how', async () => {
    const der = join(root, 'ca.der');
    await run('openssl', ['x509', '-in', ca.caCertPath, '-outform', 'der', '-out', der]);
    const encrypted = join(root, 'encrypted.key');
    await run('openssl', [
      'pkey',
      '-in',
      client.keyPath,
      '-aes256',
      '-passout',
      'pass:secret',
      '-out',
      encrypted,
    ]);
    const cases: [Partial<Record<'ca' | 'cert' | 'key', string>>, string, RegExp][] = [
      [
        { ca: file('garbage.pem', 'hello\n') },
        'tls.ca',
        /CA certificate file garbage\.pem holds no certificate/,
      ],
      [{ ca: der }, 'tls.ca', /ca\.der holds a certificate in binary \(DER\) form/],
      [
        {
          ca: file('damaged.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
        },
        'tls.ca',
        /damaged\.pem holds a damaged certificate/,
      ],
      [{ cert: client.keyPath }, 'tls.cert', /client certificate file \S+ holds a private key/],
      [
        { key: client.certPath },
        'tls.key',
        /client key file \S+ holds a certificate, not a private key/,
      ],
      [{ key: encrypted }, 'tls.key', /encrypted\.key is protected by a passphrase/],
      [
        { cert: join(root, 'nope.crt') },
        'tls.cert',
        /client certificate file \S+nope\.crt does not exist/,
      ],
      [{ ca: root }, 'tls.ca', /is not a file/],
      [
        { key: file('huge.key', Buffer.alloc(2 * 1024 * 1024, 65)) },
        'tls.key',
        /huge\.key is 2048 KiB: too large/,
      ],
    ];
    for (const [change, field, message] of cases) {
      const r = refusal(() => checkTlsFiles({ ...good(), ...change }));
      expect({ field: r.field, message: r.message }).toEqual({
        field,
        message: expect.stringMatching(message),
      });
    }
  });

  it('warn, not refuse, for an expired or not yet valid certificate, or one another CA signed', () => {
    const day = 24 * 3600 * 1000;
    // The test CA issues certificates for two days: three days on, this one has expired.
    expect(checkTlsFiles(good(), new Date(Date.now() + 3 * day)).warnings).toEqual([
      expect.stringMatching(
        /client certificate \S+ expired on \d{4}-\d\d-\d\d: the device will refuse it/,
      ),
    ]);
    expect(checkTlsFiles(good(), new Date(Date.now() - day)).warnings).toEqual([
      expect.stringMatching(/is valid only from \d{4}-\d\d-\d\d: check this computer's clock/),
    ]);
    expect(checkTlsFiles({ ...good(), ca: otherCa.caCertPath }).warnings).toEqual([
      expect.stringMatching(/is not signed by the CA certificate ca\.crt/),
    ]);
  });
});

describe('SSH keys', () => {
  it('a private key passes; a public key, a key with a passphrase or another file does not', async () => {
    const key = await makeSshKey(join(root, 'ssh'), 'id');
    const locked = await makeSshKey(join(root, 'ssh'), 'locked', 'secret');
    expect(checkSshIdentity(key.path).equals(readFileSync(key.path))).toBe(true);
    expect(refusal(() => checkSshIdentity(key.publicPath))).toEqual({
      field: 'identity',
      message: expect.stringContaining('id.pub holds a public key: choose the private key'),
    });
    expect(refusal(() => checkSshIdentity(locked.path)).message).toContain(
      'is protected by a passphrase: load it into this computer',
    );
    expect(refusal(() => checkSshIdentity(client.certPath)).message).toMatch(
      /is not an SSH private key/,
    );
  });

  it('fingerprints host keys as OpenSSH does', async () => {
    for (const type of ['ed25519', 'ecdsa', 'rsa']) {
      const dir = join(root, `host-${type}`);
      mkdirSync(dir, { recursive: true });
      await run('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', join(dir, 'key')]);
      const pub = readFileSync(join(dir, 'key.pub'), 'utf8').split(' ');
      const blob = Buffer.from(pub[1] as string, 'base64');
      const { stdout } = await run('ssh-keygen', [
        '-l',
        '-E',
        'sha256',
        '-f',
        join(dir, 'key.pub'),
      ]);
      expect(sshFingerprint(blob)).toBe(stdout.split(' ')[1]);
      expect(sshKeyType(blob)).toBe(pub[0]);
    }
  });

  it('reads fingerprints as people paste them', () => {
    const fp = 'SHA256:QhdiNsFVlRUIQSuoo/d3rq5T3CrkQJoYXKcBxZ95Y4c';
    expect(normalizeSshFingerprint(fp)).toBe(fp);
    expect(normalizeSshFingerprint(`  ${fp}=  `)).toBe(fp);
    expect(normalizeSshFingerprint(`256 ${fp} root@press (ED25519)`)).toBe(fp);
    expect(normalizeSshFingerprint('sha256:QhdiNsFVlRUIQSuoo/d3rq5T3CrkQJoYXKcBxZ95Y4c')).toBe(fp);
    expect(normalizeSshFingerprint('MD5:12:34')).toBeUndefined();
    expect(normalizeSshFingerprint('SHA256:short')).toBeUndefined();
  });
});

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTls } from '../../electron/core/devices/device-tls';
import { pingDocker } from '../../electron/core/devices/engine-http';
import { createTestCa, issueClientCert, issueServerCert, type TestCa } from '../support/test-ca';

/**
 * How the TLS material kept for each device is read, shared and re-read, against a Docker-like
 * TLS server on loopback that requires a client certificate.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-device-tls-'));
const servers: Server[] = [];
let ca: TestCa;
let client: { ca: string; cert: string; key: string };
let other: { ca: string; cert: string; key: string };
let secure: Server;

/** Answers every request as Docker answers /_ping; keeps the connection open. */
function answer(socket: Socket): void {
  socket.on('error', () => {});
  socket.on('data', () => {
    socket.write('HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK');
  });
}

async function listen(server: Server, host: string): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** A device's own copies of TLS files, as `devices add` keeps them. */
function keptCopies(device: string, files: { ca: string; cert: string; key: string }) {
  const dir = join(root, 'devices', device);
  mkdirSync(dir, { recursive: true });
  const kept = { ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
  for (const which of ['ca', 'cert', 'key'] as const) copyFileSync(files[which], kept[which]);
  return kept;
}

beforeAll(async () => {
  const dir = join(root, 'ca');
  mkdirSync(dir);
  ca = await createTestCa(dir);
  const issued = await issueClientCert(
    ca,
    { commonName: 'laptop', ipAddresses: [], dnsNames: [] },
    dir,
  );
  client = { ca: ca.caCertPath, cert: issued.certPath, key: issued.keyPath };
  const second = await issueClientCert(
    ca,
    { commonName: 'other-laptop', ipAddresses: [], dnsNames: [] },
    dir,
  );
  other = { ca: ca.caCertPath, cert: second.certPath, key: second.keyPath };
  const server = await issueServerCert(
    ca,
    { commonName: 'device', ipAddresses: ['127.0.0.1'], dnsNames: [] },
    dir,
  );
  secure = tls.createServer(
    {
      ca: readFileSync(ca.caCertPath),
      cert: readFileSync(server.certPath),
      key: readFileSync(server.keyPath),
      requestCert: true,
      rejectUnauthorized: true,
    },
    answer,
  );
  await listen(secure, '127.0.0.1');
});

afterAll(() => {
  for (const s of servers) s.close();
  rmSync(root, { recursive: true, force: true });
});

describe('TLS material of devices', () => {
  it('devices whose kept files say the same share one parsed context, each its own connections', async () => {
    const a = deviceTls(keptCopies('line-a', client));
    const b = deviceTls(keptCopies('line-b', client));
    const c = deviceTls(keptCopies('line-c', other));
    expect(b.secureContext).toBe(a.secureContext);
    expect(c.secureContext).not.toBe(a.secureContext);
    expect(b.agent).not.toBe(a.agent);

    const port = (secure.address() as AddressInfo).port;
    for (const device of [a, b, c]) {
      const target = { host: '127.0.0.1', port, tls: device, agent: device.agent };
      expect(await pingDocker(target, 'the test device', 5000)).toBe('1.41');
    }
  });

  it('a device whose files change gets a context of its own; the others keep theirs', () => {
    const kept = keptCopies('changing', client);
    const first = deviceTls(kept);
    const sibling = deviceTls(keptCopies('sibling', client));
    expect(sibling.secureContext).toBe(first.secureContext);

    copyFileSync(other.cert, kept.cert);
    copyFileSync(other.key, kept.key);
    const later = new Date(Date.now() + 5000);
    utimesSync(kept.cert, later, later);
    utimesSync(kept.key, later, later);
    const changed = deviceTls(kept);
    expect(changed.secureContext).not.toBe(first.secureContext);
    expect(changed.pem.cert).toBe(readFileSync(other.cert, 'utf8'));
    expect(deviceTls(keptCopies('sibling', client)).secureContext).toBe(first.secureContext);
  });

  it('a kept file gone since is that device’s key-files error, even when another shares it', () => {
    const kept = keptCopies('gone', client);
    deviceTls(kept);
    rmSync(kept.key);
    expect(() => deviceTls(kept)).toThrow(
      expect.objectContaining({
        kind: 'key-files',
        message: `the client key kept for this device (${kept.key}) is missing: remove the device and add it again with its TLS files`,
      }),
    );
    expect(deviceTls(keptCopies('still-here', client)).pem.key).toBe(
      readFileSync(client.key, 'utf8'),
    );
  });
});

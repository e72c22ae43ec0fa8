import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../../electron/core/contract-handlers/app-core';
import {
  addDevice,
  deviceKeysDir,
  getDevice,
  keepKeyFile,
  keepTlsFiles,
} from '../../electron/core/store/device-inventory';
import { openStore } from '../../electron/core/store/store';
import type { DockerConnection } from '../../shared/devices/device-connection';
import { ProbeResult } from '../../shared/devices/probe-result';
import { startFleet, type Fleet } from '../support/docker-fleet';
import { addFleetDevices } from '../support/fleet-inventory';
import { runCli } from '../support/run-cli';
import { makeSshKey } from '../support/ssh-server';
import { createTestCa, issueClientCert } from '../support/test-ca';

/**
 * "Probe all" with a fleet where devices are broken every way we know: each broken device
 * gets its own plain error, the healthy ones are probed all the same, and nothing crashes or
 * prints a stack trace — through the CLI (a child process) and through the contract.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-probe-isolation-'));
const home = join(root, 'home');
let fleet: Fleet;
const servers: Server[] = [];
const sockets: Socket[] = [];

/** A TCP server on 127.0.0.1 doing `onConnection` with each connection; resolves its port. */
async function listen(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as { port: number }).port;
}

/** The fleet's devices and the broken ones, with the error kind each must get. */
const EXPECTED: [string, boolean, string | null][] = [
  ['dev1', true, null],
  ['dev2', true, null],
  ['hangs', false, 'timeout'],
  ['hostile-info', false, 'not-docker'],
  ['missing-ca', false, 'key-files'],
  ['ssh-damaged-key', false, 'key-files'],
  ['ssh-drops', false, 'ssh'],
  ['ssh-no-host-key', false, 'ssh-host-key'],
  ['ssh-not-ssh', false, 'ssh'],
  ['tls-damaged-key', false, 'key-files'],
];

beforeAll(async () => {
  fleet = await startFleet({ count: 2 });
  const store = openStore(home);
  try {
    addFleetDevices(store, fleet.daemons, ['dev1', 'dev2']);
    const d = fleet.daemons[0]!;
    const files = { ca: d.tls.caPath, cert: d.tls.certPath, key: d.tls.keyPath };
    const add = (name: string, connection: DockerConnection) =>
      addDevice(store, { name, kind: 'docker', connection, labels: {}, described: {} });
    const tlsTo = (name: string, host: string, port: number) =>
      add(name, { protocol: 'tcp', host, port, tls: keepTlsFiles(store, name, files) });

    // Key files damaged or gone on this computer since the devices were added.
    const damaged = tlsTo('tls-damaged-key', d.host, d.port);
    writeFileSync(
      (damaged.connection as { tls: { key: string } }).tls.key,
      '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n',
    );
    const missing = tlsTo('missing-ca', d.host, d.port);
    rmSync((missing.connection as { tls: { ca: string } }).tls.ca);

    // Accepts, then never says a word (TLS handshake never answered).
    tlsTo('hangs', '127.0.0.1', await listen(() => {}));

    // Answers /_ping like Docker, then /info with values of the wrong types.
    const hostile = http.createServer((req, res) => {
      if (req.url === '/_ping') res.writeHead(200, { 'api-version': '1.41' }).end('OK');
      else
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"NCPU":"many","Labels":"x","Runtimes":[1],"MemTotal":{"a":1}}');
    });
    servers.push(hostile as unknown as Server);
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', () => resolve()));
    add('hostile-info', {
      protocol: 'tcp',
      host: '127.0.0.1',
      port: (hostile.address() as { port: number }).port,
      tls: null,
    });

    const hostKey = { fingerprint: `SHA256:${'A'.repeat(43)}`, accepted: 'pinned' as const };
    // A real key: the servers below fail the connection before anyone logs in.
    const key = await makeSshKey(join(root, 'keys'), 'engineer');
    const identity = keepKeyFile(store, 'ssh-drops', 'identity', readFileSync(key.path));
    const sshTo = (name: string, port: number, extra: Partial<DockerConnection> = {}) =>
      add(name, {
        protocol: 'ssh',
        host: '127.0.0.1',
        port,
        username: 'engineer',
        identityFile: identity,
        hostKey,
        ...extra,
      } as DockerConnection);
    // Drops every connection at once.
    sshTo('ssh-drops', await listen((socket) => socket.destroy()));
    // Speaks something else (HTTP) on the SSH port.
    sshTo('ssh-not-ssh', await listen((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    // Its SSH key kept on this computer was damaged since.
    const badKey = keepKeyFile(store, 'ssh-damaged-key', 'identity', Buffer.from('garbage'));
    sshTo('ssh-damaged-key', await listen((socket) => socket.destroy()), { identityFile: badKey });
    // Recorded before host keys were checked.
    sshTo('ssh-no-host-key', await listen((socket) => socket.destroy()), { hostKey: undefined });
  } finally {
    store.close();
  }
}, 180_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const server of servers) server.close();
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

const outcome = (results: ProbeResult[]) =>
  results.map((r) => [r.name, r.reachable, r.error?.kind ?? null]);

describe('one broken device never stops the others', { timeout: 60_000 }, () => {
  it('devices probe (CLI): every result, exit 1, no stack trace', async () => {
    const env = { COMMISSIONER_HOME: home };
    const json = await runCli(['devices', 'probe', '--json', '--timeout', '2'], { env });
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    const results = ProbeResult.array().parse(JSON.parse(json.stdout));
    expect(outcome(results)).toEqual(EXPECTED);
    const byName = Object.fromEntries(results.map((r) => [r.name, r.error?.message]));
    expect(byName['tls-damaged-key']).toMatch(
      /the client key kept for this device \(\S+key\.pem\) is damaged/,
    );
    expect(byName['missing-ca']).toMatch(
      /the CA certificate kept for this device \(\S+ca\.pem\) is missing/,
    );
    expect(byName['ssh-damaged-key']).toContain('the SSH key kept for ssh://engineer@127.0.0.1');
    expect(byName['ssh-no-host-key']).toContain('no SSH host key is recorded');
    for (const message of Object.values(byName)) {
      expect(message ?? '').not.toMatch(/\n\s+at |Error:|ECONN|ERR_/);
    }

    const text = await runCli(['devices', 'probe', '--timeout', '2'], { env });
    expect(text.code).toBe(1);
    expect(text.stderr).toBe('');
    const lines = text.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(EXPECTED.map(([name]) => name));
    expect(text.stdout).not.toMatch(/\n\s+at /);
  });

  it('a wrong key file at add leaves no device behind; probe all still probes the others', async () => {
    const d = fleet.daemons[0]!;
    mkdirSync(join(root, 'stranger'), { recursive: true });
    const strangerCa = await createTestCa(join(root, 'stranger'));
    const stranger = await issueClientCert(
      strangerCa,
      { commonName: 'stranger', ipAddresses: [], dnsNames: [] },
      join(root, 'stranger'),
    );
    const env = { COMMISSIONER_HOME: home };
    const viaCli = await runCli(
      ['devices', 'add', 'docker', 'wrong-key', '--host', d.url, '--tls-ca', d.tls.caPath].concat([
        '--tls-cert',
        d.tls.certPath,
        '--tls-key',
        stranger.keyPath,
      ]),
      { env },
    );
    expect(viaCli.code).toBe(2);
    expect(viaCli.stderr.trim()).toMatch(
      /^commissioner devices add: the client key \S+\.key does not belong to the client certificate \S+\.crt: choose the key that was made with that certificate$/,
    );
    const core = await createAppCore({ host: 'browser', home });
    try {
      const pick = (path: string) => core.registerPicked({ path, kind: 'file' }, path).token;
      const viaContract = await core.call('devices.add', {
        name: 'wrong-key',
        host: d.url,
        tls: { ca: pick(d.tls.caPath), cert: pick(d.tls.certPath), key: pick(stranger.keyPath) },
      });
      expect(viaContract).toMatchObject({
        ok: false,
        error: { name: 'invalid-input', details: { field: 'tls.key' } },
      });
    } finally {
      await core.close();
    }
    const store = openStore(home);
    try {
      expect(getDevice(store, 'wrong-key')).toBeUndefined();
      expect(existsSync(deviceKeysDir(store, 'wrong-key'))).toBe(false);
    } finally {
      store.close();
    }
    const probe = await runCli(['devices', 'probe', 'dev1', 'dev2', '--json'], { env });
    expect(probe.code).toBe(0);
    expect(outcome(ProbeResult.array().parse(JSON.parse(probe.stdout)))).toEqual(
      EXPECTED.slice(0, 2),
    );
  });

  it('devices.probe (contract): every result, as data', async () => {
    const core = await createAppCore({ host: 'browser', home });
    try {
      const answer = await core.call('devices.probe', {});
      expect(answer.ok).toBe(true);
      const results = ProbeResult.array().parse((answer as { result: unknown }).result);
      expect(outcome(results)).toEqual(EXPECTED);
    } finally {
      await core.close();
    }
  });
});

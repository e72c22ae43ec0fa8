import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import { dockerClient } from '../../electron/core/devices/docker-client';
import { addDevice, deviceKeysDir, getDevice } from '../../electron/core/store/device-inventory';
import { openStore, type Store } from '../../electron/core/store/store';
import { AddedDevice } from '../../shared/contract/devices';
import type { DockerConnection } from '../../shared/devices/device-connection';
import { ProbeResult } from '../../shared/devices/probe-result';
import { engineJson, startFleet, type Fleet, type FleetDaemon } from '../support/docker-fleet';
import { writeDockerSaveArchive } from '../support/image-archive-fixture';
import { runCli } from '../support/run-cli';
import { startSshAgent, type SshAgent } from '../support/ssh-agent';
import { makeSshKey, startSshServer, type SshKeyPair, type SshServer } from '../support/ssh-server';

/**
 * SSH devices against a real OpenSSH server (Debian's openssh-server) running inside a fleet
 * daemon's network namespace, reaching that daemon's socket: host keys pinned, accepted on
 * first use and then changed, the station's SSH agent used only when asked, and timeouts that
 * end a request instead of the process.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-ssh-'));
const home = join(root, 'home');
let fleet: Fleet;
let daemon: FleetDaemon;
let sshd: SshServer;
let agent: SshAgent;
let stranger: SshKeyPair;
let store: Store;
let silent: Server;
let silentPort = 0;
const held: Socket[] = [];

const env = () => ({ COMMISSIONER_HOME: home, SSH_AUTH_SOCK: agent.socket });
const cli = (...args: string[]) => runCli(args, { env: env() });
/** `devices add docker <name> --host <the sshd> <flags>`. */
const addSsh = (name: string, ...flags: string[]) =>
  cli('devices', 'add', 'docker', name, '--host', sshd.url, ...flags);
const sshConnection = (name: string) =>
  getDevice(store, name)?.connection as Extract<DockerConnection, { protocol: 'ssh' }>;

beforeAll(async () => {
  fleet = await startFleet({ count: 1 });
  daemon = fleet.daemons[0] as FleetDaemon;
  sshd = await startSshServer({
    dir: join(root, 'sshd'),
    namespace: daemon.namespace,
    host: daemon.host,
    port: 22,
    dockerSocket: daemon.socketPath,
  });
  stranger = await makeSshKey(join(root, 'keys'), 'stranger');
  // The station's agent holds a key the device accepts: whatever does not ask for it must not use it.
  agent = await startSshAgent(root, [sshd.clientKey.path]);
  store = openStore(home);
  // Accepts connections and never says a word: a device that hangs.
  silent = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
  silentPort = (silent.address() as { port: number }).port;
}, 180_000);

afterAll(async () => {
  for (const socket of held) socket.destroy();
  silent?.close();
  store?.close();
  await agent?.stop();
  await sshd?.stop();
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('SSH devices, against a real sshd', { timeout: 90_000 }, () => {
  it('adds with a pinned fingerprint: checked, recorded, probed through SSH', async () => {
    const add = await addSsh(
      'pinned',
      '--identity',
      sshd.clientKey.path,
      '--ssh-host-key-fingerprint',
      sshd.hostKey.fingerprint,
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`added pinned (${sshd.url}): reachable, Docker 20.10`);
    expect(add.stdout).toContain(
      `SSH host key: ED25519 key ${sshd.hostKey.fingerprint} (matches the fingerprint given)`,
    );
    const c = sshConnection('pinned');
    expect(c.hostKey).toEqual({
      type: 'ssh-ed25519',
      fingerprint: sshd.hostKey.fingerprint,
      accepted: 'pinned',
    });
    expect(c.agent).toBeUndefined();
    expect(c.identityFile).toBe(join(deviceKeysDir(store, 'pinned'), 'identity'));
    expect(statSync(c.identityFile as string).mode & 0o777).toBe(0o600);
    // The daemon behind the SSH server answered: its name is the fleet daemon's.
    expect(getDevice(store, 'pinned')?.lastProbe?.facts?.name).toBe(daemon.name);
  });

  it('refuses a wrong pinned fingerprint and records nothing', async () => {
    const other = await makeSshKey(join(root, 'keys'), 'not-the-host-key');
    const add = await addSsh(
      'wrong-pin',
      '--identity',
      sshd.clientKey.path,
      '--ssh-host-key-fingerprint',
      other.fingerprint,
    );
    expect(add.code).toBe(1);
    expect(add.stderr).toContain(
      `commissioner devices add: wrong-pin was not added: the SSH host keys of ${sshd.url} (ED25519 ${sshd.hostKey.fingerprint}) do not match the fingerprint given (${other.fingerprint})`,
    );
    expect(getDevice(store, 'wrong-pin')).toBeUndefined();
    expect(existsSync(deviceKeysDir(store, 'wrong-pin'))).toBe(false);

    const malformed = await addSsh(
      'wrong-pin',
      '--identity',
      sshd.clientKey.path,
      '--ssh-host-key-fingerprint',
      'SHA256:nope',
    );
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('"SHA256:nope" is not an SSH host key fingerprint');
    expect(malformed.stderr).toContain('--ssh-host-key-fingerprint SHA256:…');
    expect(getDevice(store, 'wrong-pin')).toBeUndefined();
  });

  it('a device that cannot be reached: refused without a pinned key, added with one', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const host = `ssh://root@127.0.0.1:${port}`;
    const unpinned = await cli(
      'devices',
      'add',
      'docker',
      'away',
      '--host',
      host,
      '--identity',
      sshd.clientKey.path,
    );
    expect(unpinned.code).toBe(1);
    expect(unpinned.stderr).toContain(
      'commissioner devices add: away was not added: its SSH host key could not be read (nothing accepts connections at',
    );
    expect(unpinned.stderr).toContain('--ssh-host-key-fingerprint');
    expect(getDevice(store, 'away')).toBeUndefined();
    expect(existsSync(deviceKeysDir(store, 'away'))).toBe(false);

    const pinned = await cli(
      'devices',
      'add',
      'docker',
      'away',
      '--host',
      host,
      '--identity',
      sshd.clientKey.path,
      '--ssh-host-key-fingerprint',
      sshd.hostKey.fingerprint,
    );
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(pinned.stdout).toContain('added away');
    expect(pinned.stdout).toContain('cannot be reached now');
    expect(pinned.stderr).toContain("warning: the device's SSH host key could not be checked now");
    expect(sshConnection('away').hostKey).toEqual({
      fingerprint: sshd.hostKey.fingerprint,
      accepted: 'pinned',
    });
    expect((await cli('devices', 'remove', 'away')).code).toBe(0);
  });

  it('accepts the host key on first use, and shows it', async () => {
    const add = await addSsh('tofu', '--identity', sshd.clientKey.path);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(
      `SSH host key: ED25519 key ${sshd.hostKey.fingerprint}, accepted on first use: compare it with the device's own`,
    );
    expect(sshConnection('tofu').hostKey).toEqual({
      type: 'ssh-ed25519',
      fingerprint: sshd.hostKey.fingerprint,
      accepted: 'first-use',
    });

    // The desktop app and the browser take the same road: the fingerprint comes back to show.
    const core: AppCore = await createAppCore({ host: 'browser', home });
    try {
      const token = core.registerPicked({ path: sshd.clientKey.path, kind: 'file' }, 'id').token;
      const answer = await core.call('devices.add', {
        name: 'tofu-ui',
        host: sshd.url,
        identity: token,
      });
      expect(answer.ok).toBe(true);
      const view = AddedDevice.parse((answer as { result: unknown }).result);
      expect(view.connection).toMatchObject({
        protocol: 'ssh',
        sshHostKey: { fingerprint: sshd.hostKey.fingerprint, accepted: 'first-use' },
        sshAgent: false,
      });
      expect(view.lastProbe?.reachable).toBe(true);
      expect(view.warnings).toEqual([]);
    } finally {
      await core.close();
    }
  });

  it('uses the SSH agent only when asked', async () => {
    // A key the device does not accept, while the agent in SSH_AUTH_SOCK holds one it does.
    const ignored = await addSsh('no-agent', '--identity', stranger.path, '--json');
    expect(ignored.code, ignored.stderr).toBe(0);
    const result = JSON.parse(ignored.stdout) as { probe: ProbeResult };
    expect(result.probe.error).toMatchObject({
      kind: 'ssh-auth',
      message: expect.stringContaining(
        'refused to log in user root with the key file given for it',
      ),
    });

    const asked = await addSsh('with-agent', '--ssh-agent');
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toContain('added with-agent');
    expect(asked.stdout).toContain('reachable, Docker');
    expect(sshConnection('with-agent')).toMatchObject({ agent: true });
    expect(sshConnection('with-agent').identityFile).toBeUndefined();

    // Where no agent runs, a device that relies on one says so.
    const noAgentNow = await runCli(['devices', 'probe', 'with-agent'], {
      env: { COMMISSIONER_HOME: home, SSH_AUTH_SOCK: '' },
    });
    expect(noAgentNow.code).toBe(1);
    expect(noAgentNow.stdout).toContain('no SSH agent is running for this session');

    const neither = await addSsh('no-key');
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('an ssh:// device needs a key to log in with');
    expect(neither.stderr).toContain(
      '--identity <file>, or let the SSH agent log in with --ssh-agent',
    );
    expect(getDevice(store, 'no-key')).toBeUndefined();
  });

  it('timeouts end the request, not the process (the old "sock.setTimeout" crash)', async () => {
    // A device whose SSH port accepts and never answers, recorded with a pinned key.
    addDevice(store, {
      name: 'silent',
      kind: 'docker',
      connection: {
        protocol: 'ssh',
        host: '127.0.0.1',
        port: silentPort,
        username: 'root',
        identityFile: sshd.clientKey.path,
        hostKey: { fingerprint: sshd.hostKey.fingerprint, accepted: 'pinned' },
      },
      labels: {},
      described: {},
    });
    const started = Date.now();
    const probe = await cli(
      'devices',
      'probe',
      'pinned',
      'tofu',
      'silent',
      '--timeout',
      '3',
      '--json',
    );
    const elapsed = Date.now() - started;
    expect(probe.code).toBe(1);
    expect(probe.stderr).not.toMatch(/setTimeout|TypeError|\n\s+at /);
    const results = ProbeResult.array().parse(JSON.parse(probe.stdout));
    expect(results.map((r) => [r.name, r.reachable, r.error?.kind ?? null])).toEqual([
      ['pinned', true, null],
      ['tofu', true, null],
      ['silent', false, 'timeout'],
    ]);
    // Three seconds per device in parallel (one was too short for a healthy SSH login on a busy
    // machine), plus the CLI's start: nothing waits for the 15 s an SSH connection may otherwise
    // take to set up.
    expect(elapsed).toBeLessThan(14_000);

    // dockerode, with a timeout, over SSH: what used to crash the process.
    const docker = dockerClient(sshConnection('pinned'), { timeoutMs: 2_000 });
    expect((await docker.version()).ApiVersion).toMatch(/^1\.\d+$/);
    const hanging = dockerClient(sshConnection('silent'), { timeoutMs: 1_000 });
    await expect(hanging.version()).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('carries deploys over SSH: a 16 MiB image upload through dockerode', async () => {
    const archive = join(root, 'image.tar');
    await writeDockerSaveArchive(archive, [
      {
        repoTags: ['ssh-upload:1'],
        layers: [{ bigFile: { path: 'blob.bin', bytes: 16 * 1024 * 1024 } }],
      },
    ]);
    const docker = dockerClient(sshConnection('pinned'), { timeoutMs: 60_000 });
    const answer = (await docker.loadImage(createReadStream(archive))) as NodeJS.ReadableStream;
    let said = '';
    for await (const chunk of answer) said += String(chunk);
    expect(said).toContain('Loaded image: ssh-upload:1');
    // As the daemon itself reports it over TLS: the whole image arrived.
    const inspect = await engineJson<{ Size: number }>(daemon, 'GET', '/images/ssh-upload:1/json');
    expect(inspect.Size).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  });

  it('refuses a changed host key, with what to do', async () => {
    const before = sshd.hostKey.fingerprint;
    await sshd.restart({ newHostKey: true });
    expect(sshd.hostKey.fingerprint).not.toBe(before);
    const probe = await cli('devices', 'probe', 'pinned', 'tofu', '--json');
    expect(probe.code).toBe(1);
    for (const r of ProbeResult.array().parse(JSON.parse(probe.stdout))) {
      expect(r).toMatchObject({ reachable: false, facts: null });
      expect(r.error?.kind).toBe('ssh-host-key');
      expect(r.error?.message).toBe(
        `the device's SSH host key changed: ${sshd.url} presents ED25519 key ${sshd.hostKey.fingerprint}, not the ED25519 key ${before} recorded when it was added. If the device was reinstalled, remove it and add it again; otherwise someone may be between you and the device`,
      );
    }
    // The last good facts stay (compatibility keeps working); only the new probe failed.
    expect(getDevice(store, 'pinned')?.lastGood?.reachable).toBe(true);

    // Removed and added again, it is trusted with its new key.
    expect((await cli('devices', 'remove', 'tofu')).code).toBe(0);
    const again = await addSsh('tofu', '--identity', sshd.clientKey.path);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      `ED25519 key ${sshd.hostKey.fingerprint}, accepted on first use`,
    );
    expect(again.stdout).toContain('reachable');
  });
});

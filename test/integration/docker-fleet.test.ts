import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUSYBOX_INDEX_HTML,
  busyboxRootfsTar,
  importBusyboxImage,
  streamError,
  writeBusyboxDockerSave,
} from '../support/busybox-image';
import {
  cleanStaleFleets,
  engineJson,
  engineRequest,
  fleetClientOptions,
  fleetStorageDriver,
  startFleet,
  type Fleet,
  type FleetDaemon,
} from '../support/docker-fleet';

const IMAGE = 'commissioner-test/busybox:1';
const SAVED_IMAGE = 'commissioner-test/busybox-saved:1';
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Info {
  ID: string;
  Name: string;
  Labels: string[];
  Driver: string;
  DockerRootDir: string;
}

let fleet: Fleet;
let startMs = 0;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'commissioner-fleet-test-'));
  const started = performance.now();
  fleet = await startFleet({
    count: 3,
    labels: [{}, { 'example.com/line': '3', 'example.com/zone': 'paint' }, {}],
  });
  startMs = performance.now() - started;
}, 90_000);

afterAll(async () => {
  await fleet?.stop();
  await rm(work, { recursive: true, force: true });
}, 60_000);

function daemon(i: number): FleetDaemon {
  const d = fleet.daemons[i];
  if (!d) throw new Error(`no daemon ${i}`);
  return d;
}

type Outcome = { status: number; body: string } | { code: string; ms: number };

/** One HTTPS GET to a `tcp://host:port` URL with the given TLS material, never rejecting. */
function tlsGet(
  url: string,
  path: string,
  tls: { ca: string; cert?: string; key?: string },
): Promise<Outcome> {
  const { hostname, port } = new URL(url.replace(/^tcp:/, 'https:'));
  const started = performance.now();
  return new Promise((resolve) => {
    const req = https.get({ host: hostname, port, path, agent: false, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.setTimeout(10_000, () =>
      req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
    );
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ code: e.code ?? e.message, ms: performance.now() - started }),
    );
  });
}

/** stdout and stderr of a non-TTY container's log stream (8-byte frame headers). */
function demux(stream: Buffer): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  let at = 0;
  while (at + 8 <= stream.length) {
    const size = stream.readUInt32BE(at + 4);
    const payload = stream.subarray(at + 8, at + 8 + size).toString('utf8');
    if (stream[at] === 2) out.stderr += payload;
    else out.stdout += payload;
    at += 8 + size;
  }
  return out;
}

/** Runs a container to its end and returns its exit code and output; removes it. */
async function runToEnd(
  d: FleetDaemon,
  image: string,
  cmd: string[],
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const { Id } = await engineJson<{ Id: string }>(d, 'POST', '/containers/create', {
    json: { Image: image, Cmd: cmd },
  });
  try {
    await engineJson(d, 'POST', `/containers/${Id}/start`);
    const { StatusCode } = await engineJson<{ StatusCode: number }>(
      d,
      'POST',
      `/containers/${Id}/wait`,
    );
    const logs = await engineRequest(d, 'GET', `/containers/${Id}/logs?stdout=1&stderr=1`);
    return { exitCode: StatusCode, ...demux(logs.body) };
  } finally {
    await engineRequest(d, 'DELETE', `/containers/${Id}?force=1`);
  }
}

async function startContainer(
  d: FleetDaemon,
  body: Record<string, unknown>,
  name?: string,
): Promise<string> {
  const query = name ? `?name=${encodeURIComponent(name)}` : '';
  const { Id } = await engineJson<{ Id: string }>(d, 'POST', `/containers/create${query}`, {
    json: { StopTimeout: 1, ...body },
  });
  await engineJson(d, 'POST', `/containers/${Id}/start`);
  return Id;
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      })
      .on('error', reject);
  });
}

/** Whether a process exists and is not a zombie. */
function processRuns(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('a fleet of Docker daemons', () => {
  it('starts three daemons in parallel within seconds, each on its own subnet', () => {
    expect(startMs).toBeLessThan(30_000);
    expect(fleet.daemons.map((d) => d.name)).toEqual(['dev1', 'dev2', 'dev3']);
    const subnets = new Set(fleet.daemons.map((d) => d.host.split('.').slice(0, 3).join('.')));
    expect(subnets.size).toBe(3);
    for (const d of fleet.daemons) {
      expect(d.host).toMatch(/^10\.77\.\d+\.2$/);
      expect(d.url).toBe(`tcp://${d.host}:${d.port}`);
      expect(d.hostAddress).toBe(d.host.replace(/\.2$/, '.1'));
    }
  });

  it('answers /_ping and /info over mutual TLS, each daemon its own engine', async () => {
    const driver = await fleetStorageDriver();
    const infos: Info[] = [];
    for (const d of fleet.daemons) {
      const ping = await engineRequest(d, 'GET', '/_ping');
      expect(ping.status).toBe(200);
      expect(ping.body.toString()).toBe('OK');
      const info = await engineJson<Info>(d, 'GET', '/info');
      expect(info.Name).toBe(d.name);
      expect(info.Driver).toBe(driver);
      expect(info.DockerRootDir).toBe(d.dataRoot);
      infos.push(info);
    }
    expect(new Set(infos.map((i) => i.ID)).size).toBe(3);
  });

  it('shows the --label labels of a daemon in /info', async () => {
    const labelled = await engineJson<Info>(daemon(1), 'GET', '/info');
    // dockerd keeps labels in a map: their order varies from start to start.
    expect([...labelled.Labels].sort()).toEqual(['example.com/line=3', 'example.com/zone=paint']);
    const plain = await engineJson<Info>(daemon(0), 'GET', '/info');
    expect(plain.Labels).toEqual([]);
  });

  it('gives client options for dockerode that reach the daemon', async () => {
    const d = daemon(0);
    const options = fleetClientOptions(d);
    expect(options).toEqual({
      host: d.host,
      port: 2376,
      protocol: 'https',
      ca: d.tls.caPem,
      cert: d.tls.certPem,
      key: d.tls.keyPem,
    });
    expect(await readFile(d.tls.caPath, 'utf8')).toBe(d.tls.caPem);
    expect(await readFile(d.tls.certPath, 'utf8')).toBe(d.tls.certPem);
    expect(await readFile(d.tls.keyPath, 'utf8')).toBe(d.tls.keyPem);
    const { ca, cert, key } = options;
    expect(await tlsGet(d.url, '/_ping', { ca, cert, key })).toEqual({ status: 200, body: 'OK' });
  });

  it('refuses a client without a certificate in the TLS handshake', async () => {
    const outcome = await tlsGet(daemon(0).url, '/_ping', { ca: daemon(0).tls.caPem });
    expect(outcome).not.toHaveProperty('status');
    expect((outcome as { code: string }).code).toMatch(/^ERR_SSL_|^ECONNRESET$|^EPIPE$/);
  });

  it('refuses connections to the unreachable address and the wrong port quickly', async () => {
    const tls = { ca: daemon(0).tls.caPem, cert: daemon(0).tls.certPem, key: daemon(0).tls.keyPem };
    for (const url of [fleet.unreachable.url, fleet.wrongPort.url]) {
      const outcome = await tlsGet(url, '/_ping', tls);
      expect(outcome).toMatchObject({
        code: expect.stringMatching(/^(ECONNREFUSED|EHOSTUNREACH)$/),
      });
      expect((outcome as { ms: number }).ms).toBeLessThan(2_000);
    }
    expect(fleet.unreachable.url).toMatch(/^tcp:\/\/10\.77\.\d+\.2:2376$/);
    expect(fleet.daemons.map((d) => d.url)).not.toContain(fleet.unreachable.url);
  });

  it('imports the busybox image and runs `sh -c "echo ok"`, output from the logs', async () => {
    await importBusyboxImage(daemon(0), IMAGE);
    const result = await runToEnd(daemon(0), IMAGE, ['sh', '-c', 'echo ok; echo oops >&2']);
    expect(result).toEqual({ exitCode: 0, stdout: 'ok\n', stderr: 'oops\n' });
  });

  it('keeps containers per daemon, and publishes ports on the daemon address', async () => {
    const d = daemon(0);
    const sleeper = await startContainer(d, { Image: IMAGE, Cmd: ['sleep', '300'] });
    const web = await startContainer(d, {
      Image: IMAGE,
      Cmd: ['httpd', '-f', '-p', '8080'],
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: { PortBindings: { '8080/tcp': [{ HostPort: '18080' }] } },
    });
    try {
      const state = await engineJson<{ State: { Running: boolean } }>(
        d,
        'GET',
        `/containers/${sleeper}/json`,
      );
      expect(state.State.Running).toBe(true);
      const mine = await engineJson<{ Id: string }[]>(d, 'GET', '/containers/json');
      expect(mine.map((c) => c.Id).sort()).toEqual([sleeper, web].sort());
      for (const other of [daemon(1), daemon(2)]) {
        expect(await engineJson<unknown[]>(other, 'GET', '/containers/json?all=1')).toEqual([]);
        expect((await engineRequest(other, 'GET', `/containers/${sleeper}/json`)).status).toBe(404);
        expect((await engineRequest(other, 'GET', `/images/${IMAGE}/json`)).status).toBe(404);
      }
      // httpd binds right after start; give it a moment.
      let page: { status: number; body: string } | undefined;
      for (let i = 0; i < 50 && page?.status !== 200; i++) {
        page = await httpGet(`http://${d.host}:18080/`).catch(() => undefined);
        if (page?.status !== 200) await new Promise((r) => setTimeout(r, 50));
      }
      expect(page).toEqual({ status: 200, body: BUSYBOX_INDEX_HTML });
    } finally {
      await engineRequest(d, 'DELETE', `/containers/${sleeper}?force=1`);
      await engineRequest(d, 'DELETE', `/containers/${web}?force=1`);
    }
  });

  it('lets containers reach the test machine at hostAddress', async () => {
    const d = daemon(0);
    const server = http.createServer((_req, res) => res.end('from the test machine\n'));
    await new Promise<void>((resolve) => server.listen(0, d.hostAddress, resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await runToEnd(d, IMAGE, [
        'wget',
        '-q',
        '-O',
        '-',
        `http://${d.hostAddress}:${port}/`,
      ]);
      expect(result).toMatchObject({ exitCode: 0, stdout: 'from the test machine\n' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('writes a docker save archive that POST /images/load accepts, and it runs', async () => {
    const d = daemon(1);
    const archive = join(work, 'busybox.tar');
    await writeBusyboxDockerSave(archive, [SAVED_IMAGE]);
    const res = await engineRequest(d, 'POST', '/images/load?quiet=1', {
      body: createReadStream(archive),
      headers: { 'content-type': 'application/x-tar' },
    });
    const progress = res.body.toString('utf8');
    expect(res.status).toBe(200);
    expect(streamError(progress)).toBeUndefined();
    expect(progress).toContain(`Loaded image: ${SAVED_IMAGE}`);
    const result = await runToEnd(d, SAVED_IMAGE, ['sh', '-c', 'echo ok']);
    expect(result).toEqual({ exitCode: 0, stdout: 'ok\n', stderr: '' });

    // The same layer either way, and it is the rootfs tar, byte for byte.
    type Image = { RootFS: { Layers: string[] }; Config: { Env: string[]; WorkingDir: string } };
    const loaded = await engineJson<Image>(d, 'GET', `/images/${SAVED_IMAGE}/json`);
    const imported = await engineJson<Image>(daemon(0), 'GET', `/images/${IMAGE}/json`);
    expect(loaded.RootFS.Layers).toEqual(imported.RootFS.Layers);
    expect(loaded.Config.Env).toEqual(imported.Config.Env);
    expect(loaded.Config.WorkingDir).toBe('/www');
    const rootfs = join(work, 'rootfs.tar');
    await busyboxRootfsTar(rootfs);
    const digest = createHash('sha256')
      .update(await readFile(rootfs))
      .digest('hex');
    expect(loaded.RootFS.Layers).toEqual([`sha256:${digest}`]);
  });

  it('stops one daemon and starts it again on the same data and identity', async () => {
    const d = daemon(1);
    const before = await engineJson<Info>(d, 'GET', '/info');
    const { Id } = await engineJson<{ Id: string }>(d, 'POST', '/containers/create', {
      json: { Image: SAVED_IMAGE, Cmd: ['true'] },
    });
    await d.stop();
    const tls = { ca: d.tls.caPem, cert: d.tls.certPem, key: d.tls.keyPem };
    expect(await tlsGet(d.url, '/_ping', tls)).toMatchObject({ code: 'ECONNREFUSED' });
    for (const other of [daemon(0), daemon(2)]) {
      expect((await engineRequest(other, 'GET', '/_ping')).status).toBe(200);
    }
    await d.start();
    const after = await engineJson<Info>(d, 'GET', '/info');
    expect(after.ID).toBe(before.ID);
    expect([...after.Labels].sort()).toEqual([...before.Labels].sort());
    expect((await engineRequest(d, 'GET', `/containers/${Id}/json`)).status).toBe(200);
    await engineRequest(d, 'DELETE', `/containers/${Id}`);
  });

  it('gives fleets started at the same time different namespaces and subnets', async () => {
    const [a, b] = await Promise.all([startFleet({ count: 1 }), startFleet({ count: 1 })]);
    try {
      const hosts = [a, b, fleet].flatMap((f) => [
        ...f.daemons.map((d) => d.host),
        new URL(f.unreachable.url.replace(/^tcp:/, 'https:')).hostname,
      ]);
      expect(new Set(hosts).size).toBe(hosts.length);
      for (const f of [a, b]) {
        expect((await engineRequest(f.daemons[0]!, 'GET', '/_ping')).status).toBe(200);
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('cleans up after a process that died with a running fleet', async () => {
    // A fleet with a running container in a child process, which then dies by SIGKILL: its
    // daemons die with it, its container, mounts and namespace stay until the cleanup.
    const script = `
      const { startFleet, engineJson } = await import(${JSON.stringify(join(REPO_ROOT, 'test/support/docker-fleet.ts'))});
      const { importBusyboxImage } = await import(${JSON.stringify(join(REPO_ROOT, 'test/support/busybox-image.ts'))});
      const fleet = await startFleet({ count: 1 });
      const d = fleet.daemons[0];
      await importBusyboxImage(d, 'orphan:1');
      const { Id } = await engineJson(d, 'POST', '/containers/create', { json: { Image: 'orphan:1', Cmd: ['sleep', '300'] } });
      await engineJson(d, 'POST', '/containers/' + Id + '/start');
      const c = await engineJson(d, 'GET', '/containers/' + Id + '/json');
      console.log(JSON.stringify({ host: d.host, dataRoot: d.dataRoot, containerPid: c.State.Pid, mergedDir: c.GraphDriver.Data?.MergedDir ?? '' }));
      setInterval(() => {}, 60000);
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (text: string) => {
          out += text;
          if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
        });
        child.once('exit', (code) => reject(new Error(`child exited (${code}): ${out}`)));
      });
      const orphan = JSON.parse(line) as {
        host: string;
        dataRoot: string;
        containerPid: number;
        mergedDir: string;
      };
      const root = dirname(orphan.dataRoot);
      const dockerdPid = Number(readFileSync(join(root, 'dockerd.pid'), 'utf8'));
      expect(processRuns(orphan.containerPid)).toBe(true);

      child.kill('SIGKILL');
      await exited;
      const deadline = Date.now() + 5_000;
      while (processRuns(dockerdPid) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(processRuns(dockerdPid)).toBe(false);

      await cleanStaleFleets();
      expect(processRuns(orphan.containerPid)).toBe(false);
      // overlay2 mounts each container's root file system; vfs mounts nothing.
      if (orphan.mergedDir) {
        expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(orphan.mergedDir);
      }
      // Another test file may take the freed index at once; it must then be that file's.
      const index = orphan.host.split('.')[2];
      const record = `/run/commissioner-fleet/${index}.json`;
      if (existsSync(record)) {
        expect(JSON.parse(readFileSync(record, 'utf8'))).not.toMatchObject({ pid: child.pid });
      } else {
        expect(existsSync(`/run/netns/cmsn-${index}`)).toBe(false);
        expect(existsSync(root)).toBe(false);
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });
});

import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createTestCa, issueClientCert, issueServerCert } from './test-ca';

const run = promisify(execFile);

/** One daemon of a fleet started by `startFleet`. */
export interface FleetDaemon {
  /** `dev1`, `dev2`, …; also the daemon's host name, so `/info` `Name` differs per daemon. */
  name: string;
  /** `10.77.N.2`. */
  host: string;
  port: number;
  /** `tcp://10.77.N.2:2376`. */
  url: string;
  /** The daemon's network namespace (`/run/netns/<namespace>`): servers beside it start there. */
  namespace: string;
  /** The daemon's unix socket (root only), for what runs on the device itself (sshd). */
  socketPath: string;
  /** The client's credentials (the fleet's CA, one client certificate for the whole fleet). */
  tls: {
    caPath: string;
    certPath: string;
    keyPath: string;
    caPem: string;
    certPem: string;
    keyPem: string;
  };
  /** dockerd's `--data-root`; kept across stop() and start(). */
  dataRoot: string;
  /**
   * The test machine as this daemon (and its containers) reach it: `10.77.N.1`. Services the
   * daemon should pull from must listen there or on 0.0.0.0, not on 127.0.0.1.
   */
  hostAddress: string;
  /**
   * Stops this daemon as `systemctl stop docker` would (SIGTERM; dockerd stops its containers
   * first, 10 s for a process that ignores SIGTERM unless the container has a shorter
   * StopTimeout), then its containerd. Its address then refuses connections.
   */
  stop(): Promise<void>;
  /** Starts it again on the same data, address and identity; resolves once it answers. */
  start(): Promise<void>;
  /**
   * Kills dockerd with SIGKILL, as a crash or a power cut of its process would: its address
   * refuses connections at once; containers keep running under containerd. `start()` brings
   * it back.
   */
  kill(): Promise<void>;
}

export interface Fleet {
  daemons: FleetDaemon[];
  /** An address inside the fleet's range, a namespace with no daemon: connections are refused. */
  unreachable: { url: string };
  /** The first daemon's host on a port where nothing listens. */
  wrongPort: { url: string };
  stop(): Promise<void>;
}

export interface StartFleetOptions {
  count: number;
  /** Per daemon, in order: passed as `dockerd --label key=value`, shown in `/info` `Labels`. */
  labels?: Record<string, string>[];
}

export interface EngineResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface EngineRequestOptions {
  /** A JSON value (sent as application/json), bytes, or a stream (e.g. a tar archive). */
  body?: Buffer | string | Readable;
  json?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

const NETNS_PREFIX = 'cmsn-';
const HOST_VETH_PREFIX = 'cmsnh';
const SUBNET_PREFIX = '10.77';
const FIRST_INDEX = 1;
const LAST_INDEX = 254;
const DOCKER_PORT = 2376;
const WRONG_PORT = 2375;
const STATE_DIR = '/run/commissioner-fleet';
const LOCK_PREFIX = '\0commissioner-fleet-';
const SHIM_SOCKET_DIR = '/run/containerd/s/';
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const CONTAINERD_DEADLINE_MS = 15_000;
const DOCKERD_DEADLINE_MS = 45_000;
const DOCKERD_STOP_GRACE_MS = 40_000;
const CONTAINERD_STOP_GRACE_MS = 10_000;
const TEARDOWN_GRACE_MS = 5_000;
const PROCESS_DEATH_WAIT_MS = 5_000;

type StorageDriver = 'overlay2' | 'vfs';

const netnsName = (n: number): string => `${NETNS_PREFIX}${n}`;
const hostVeth = (n: number): string => `${HOST_VETH_PREFIX}${n}`;
const hostAddressOf = (n: number): string => `${SUBNET_PREFIX}.${n}.1`;
const deviceAddressOf = (n: number): string => `${SUBNET_PREFIX}.${n}.2`;
const cgroupParent = (n: number): string => `${NETNS_PREFIX}${n}`;
const fleetTmpRoot = (): string => join(tmpdir(), 'commissioner-fleet');
const recordPath = (n: number): string => join(STATE_DIR, `${n}.json`);

/**
 * Starts a fleet of independent Docker daemons on this machine, as Commissioner meets devices:
 * `count` daemons in parallel, plus one empty namespace for `unreachable`; resolves once every
 * daemon answers `GET /_ping` over mutual TLS. Needs root, docker.io (dockerd 20.10,
 * containerd), iproute2, util-linux (nsenter, unshare, setpriv) and openssl.
 *
 * Each daemon gets an index N (1–254) that names everything it owns: network namespace
 * `cmsn-N`; veth `cmsnhN` (host side, 10.77.N.1/24) ↔ `eth0` (inside, 10.77.N.2/24, default
 * route via the host); its own containerd and its dockerd, both started in the namespace with
 * `nsenter` (dockerd also in its own UTS namespace, named like the daemon); container cgroups
 * under `cmsn-N`; files under `$TMPDIR/commissioner-fleet/N`; a note of owner pid and
 * directory in `/run/commissioner-fleet/N.json`. Devices do not reach one another (the host
 * does not forward), and dockerd's bridge, iptables rules and published ports live inside
 * each namespace.
 *
 * The lock on an index is an abstract Unix socket `@commissioner-fleet-N` bound by the owning
 * process: the kernel grants it to one process at a time and frees it when that process dies,
 * however it dies. A lock is never stale, and "nobody holds the lock" means "whatever is named
 * N is left over". Leftovers are removed when an index is taken and by `cleanStaleFleets()`,
 * which every `startFleet` runs first; the daemons die with the test process (pdeathsig), and
 * an exit hook removes the rest when the process exits without `stop()`.
 *
 * Storage: overlay2 when the kernel mounts an overlay in the fleet's directory, else vfs (and
 * vfs too when dockerd refuses overlay2); `COMMISSIONER_FLEET_STORAGE_DRIVER` overrides.
 */
export async function startFleet(options: StartFleetOptions): Promise<Fleet> {
  const { count, labels = [] } = options;
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be ≥ 1, not ${count}`);
  if (labels.length > count) throw new Error(`labels for ${labels.length} of ${count} daemons`);
  await cleanStaleFleets();
  const indices = await allocate(count + 1);
  const spare = indices[count]!;
  const daemons: DaemonHandle[] = [];
  try {
    await Promise.all(indices.map((n) => prepareIndex(n)));
    // The fleet's CA and client identity live with the spare index, which lasts as long as
    // the fleet and runs nothing.
    const tlsDir = join(indexRoot(spare), 'client');
    await mkdir(tlsDir, { recursive: true });
    const ca = await createTestCa(tlsDir);
    const client = await issueClientCert(
      ca,
      { commonName: 'commissioner-test-client', ipAddresses: [], dnsNames: [] },
      tlsDir,
    );
    const tls = {
      caPath: ca.caCertPath,
      certPath: client.certPath,
      keyPath: client.keyPath,
      caPem: ca.caPem,
      certPem: await readFile(client.certPath, 'utf8'),
      keyPem: await readFile(client.keyPath, 'utf8'),
    };
    const driver = await storageDriver();
    const started = await Promise.allSettled(
      indices.slice(0, count).map(async (n, i) => {
        const server = await issueServerCert(
          ca,
          { commonName: `dev${i + 1}`, ipAddresses: [deviceAddressOf(n)], dnsNames: [] },
          indexRoot(n),
        );
        const daemon = new DaemonHandle(n, `dev${i + 1}`, tls, server, labels[i] ?? {});
        daemons.push(daemon);
        await daemon.launch(driver);
      }),
    );
    const failure = started.find((s) => s.status === 'rejected');
    if (failure) throw failure.reason;
  } catch (e) {
    await Promise.all(daemons.map((d) => d.shutdown(0)));
    releaseIndices(indices);
    throw e;
  }
  daemons.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  const first = daemons[0]!;
  return {
    daemons,
    unreachable: { url: `tcp://${deviceAddressOf(spare)}:${DOCKER_PORT}` },
    wrongPort: { url: `tcp://${first.host}:${WRONG_PORT}` },
    stop: once(async () => {
      await Promise.all(daemons.map((d) => d.shutdown(TEARDOWN_GRACE_MS)));
      releaseIndices(indices);
    }),
  };
}

/** Options for dockerode: `new Docker(fleetClientOptions(daemon))`. */
export function fleetClientOptions(d: FleetDaemon): {
  host: string;
  port: number;
  protocol: 'https';
  ca: string;
  cert: string;
  key: string;
} {
  return {
    host: d.host,
    port: d.port,
    protocol: 'https',
    ca: d.tls.caPem,
    cert: d.tls.certPem,
    key: d.tls.keyPem,
  };
}

/** One Engine API request over mutual TLS; any status resolves, transport errors reject. */
export function engineRequest(
  d: FleetDaemon,
  method: string,
  path: string,
  options: EngineRequestOptions = {},
): Promise<EngineResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    }
    const req = https.request(
      {
        host: d.host,
        port: d.port,
        method,
        path,
        headers,
        ca: d.tls.caPem,
        cert: d.tls.certPem,
        key: d.tls.keyPem,
        agent: false,
        timeout: options.timeoutMs ?? 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} on ${d.url} timed out`)));
    req.on('error', reject);
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else body.on('error', (e) => req.destroy(e)).pipe(req);
  });
}

/** An Engine API call that must answer 2xx; returns the parsed JSON body (undefined if empty). */
export async function engineJson<T>(
  d: FleetDaemon,
  method: string,
  path: string,
  options: EngineRequestOptions = {},
): Promise<T> {
  const res = await engineRequest(d, method, path, options);
  const text = res.body.toString('utf8');
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${method} ${path} on ${d.name} answered ${res.status}: ${text.trim()}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Removes what dead processes left behind: every index named by a namespace, host veth,
 * record or directory that no live process holds the lock of. Returns the indices cleaned.
 */
export async function cleanStaleFleets(): Promise<number[]> {
  const candidates = new Set<number>();
  const collect = (names: string[], pattern: RegExp): void => {
    for (const name of names) {
      const m = pattern.exec(name);
      if (m) candidates.add(Number(m[1]));
    }
  };
  collect(safeReaddir('/run/netns'), /^cmsn-(\d+)$/);
  collect(safeReaddir('/sys/class/net'), /^cmsnh(\d+)$/);
  collect(safeReaddir(STATE_DIR), /^(\d+)\.json$/);
  collect(safeReaddir(fleetTmpRoot()), /^(\d+)$/);
  const cleaned: number[] = [];
  for (const n of [...candidates].sort((a, b) => a - b)) {
    if (n < FIRST_INDEX || n > LAST_INDEX || held.has(n)) continue;
    if (!(await tryLock(n))) continue;
    try {
      cleanupIndexSync(n);
      cleaned.push(n);
    } finally {
      unlock(n);
    }
  }
  return cleaned;
}

/** Which storage driver the fleet's daemons use on this machine (probed once per process). */
export function fleetStorageDriver(): Promise<StorageDriver> {
  return storageDriver();
}

// ---------------------------------------------------------------------------------------------
// One daemon

interface ServerCert {
  certPath: string;
  keyPath: string;
}

class DaemonHandle implements FleetDaemon {
  readonly host: string;
  readonly port = DOCKER_PORT;
  readonly url: string;
  readonly namespace: string;
  readonly socketPath: string;
  readonly dataRoot: string;
  readonly hostAddress: string;
  private readonly root: string;
  private containerd: ChildProcess | undefined;
  private dockerd: ChildProcess | undefined;
  private driver: StorageDriver = 'overlay2';
  private transition: Promise<void> = Promise.resolve();

  constructor(
    readonly index: number,
    readonly name: string,
    readonly tls: FleetDaemon['tls'],
    private readonly server: ServerCert,
    private readonly labels: Record<string, string>,
  ) {
    this.root = indexRoot(index);
    this.host = deviceAddressOf(index);
    this.url = `tcp://${this.host}:${DOCKER_PORT}`;
    this.namespace = netnsName(index);
    this.socketPath = join(this.root, 'docker.sock');
    this.dataRoot = join(this.root, 'data');
    this.hostAddress = hostAddressOf(index);
  }

  stop(): Promise<void> {
    return this.serialized(() => this.stopProcesses(DOCKERD_STOP_GRACE_MS));
  }

  start(): Promise<void> {
    return this.serialized(() => this.startProcesses());
  }

  kill(): Promise<void> {
    return this.serialized(async () => {
      if (this.dockerd) await terminate(this.dockerd, 0);
      this.dockerd = undefined;
    });
  }

  /** First start; falls back to vfs when dockerd refuses overlay2 on this file system. */
  async launch(driver: StorageDriver): Promise<void> {
    this.driver = driver;
    try {
      await this.start();
    } catch (e) {
      if (this.driver !== 'overlay2' || !/error initializing graphdriver/i.test(String(e))) {
        throw e;
      }
      overlayRefused = true;
      this.driver = 'vfs';
      await this.start();
    }
  }

  /**
   * Teardown: removes the containers through the API (so shims and mounts go away the normal
   * way, and nothing waits out a stop timeout), stops both daemons, then removes whatever is
   * left by force.
   */
  async shutdown(graceMs: number): Promise<void> {
    await this.serialized(async () => {
      if (graceMs > 0 && this.running()) await this.removeContainers(graceMs).catch(() => {});
      await this.stopProcesses(graceMs);
    });
    cleanupIndexSync(this.index);
  }

  private running(): boolean {
    return this.dockerd !== undefined && alive(this.dockerd);
  }

  private serialized(action: () => Promise<void>): Promise<void> {
    const next = this.transition.then(action);
    this.transition = next.catch(() => {});
    return next;
  }

  private async startProcesses(): Promise<void> {
    if (this.running()) return;
    const containerdDir = join(this.root, 'containerd');
    const socket = join(containerdDir, 'containerd.sock');
    const daemonConfig = join(this.root, 'daemon.json');
    await mkdir(containerdDir, { recursive: true });
    await writeFile(join(containerdDir, 'config.toml'), containerdConfig(containerdDir, socket));
    // The daemon's identity (`/info` ID) comes from its trust key, by default the shared
    // /etc/docker/key.json; only the config file can move it (no such flag in 20.10).
    await writeFile(
      daemonConfig,
      JSON.stringify({ 'deprecated-key-path': join(this.root, 'key.json') }),
    );
    if (!this.containerd || !alive(this.containerd)) {
      await rm(socket, { force: true });
      this.containerd = spawnInNamespace(
        this.index,
        ['containerd', '--config', join(containerdDir, 'config.toml')],
        join(this.root, 'containerd.log'),
      );
      await waitForSocket(this.containerd, socket, join(this.root, 'containerd.log'));
    }
    const args = [
      '--config-file',
      daemonConfig,
      '--data-root',
      this.dataRoot,
      '--exec-root',
      join(this.root, 'exec'),
      '--pidfile',
      join(this.root, 'dockerd.pid'),
      // TCP, and a socket of its own for what runs on the device (never /var/run/docker.sock).
      '-H',
      `tcp://${this.host}:${DOCKER_PORT}`,
      '-H',
      `unix://${this.socketPath}`,
      '--tlsverify',
      '--tlscacert',
      this.tls.caPath,
      '--tlscert',
      this.server.certPath,
      '--tlskey',
      this.server.keyPath,
      // Our own containerd: without --containerd, dockerd would use the system's whenever
      // /run/containerd/containerd.sock exists and the daemons would share it.
      '--containerd',
      socket,
      '--storage-driver',
      this.driver,
      // cgroupfs with a parent per index, so a teardown can find and kill every container
      // process of this daemon even when dockerd and the shims are gone.
      '--exec-opt',
      'native.cgroupdriver=cgroupfs',
      '--cgroup-parent',
      cgroupParent(this.index),
      ...Object.entries(this.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    ];
    const log = join(this.root, 'dockerd.log');
    this.dockerd = spawnInNamespace(this.index, ['dockerd', ...args], log, this.name);
    try {
      await waitForPing(this, this.dockerd, log);
    } catch (e) {
      await this.stopProcesses(0);
      throw e;
    }
  }

  private async stopProcesses(graceMs: number): Promise<void> {
    if (this.dockerd) await terminate(this.dockerd, graceMs);
    if (this.containerd)
      await terminate(this.containerd, Math.min(graceMs, CONTAINERD_STOP_GRACE_MS));
    this.dockerd = undefined;
    this.containerd = undefined;
  }

  private async removeContainers(timeoutMs: number): Promise<void> {
    const list = await engineJson<{ Id: string }[]>(this, 'GET', '/containers/json?all=1', {
      timeoutMs,
    });
    await Promise.all(
      list.map((c) =>
        engineRequest(this, 'DELETE', `/containers/${c.Id}?force=1&v=1`, { timeoutMs }),
      ),
    );
  }
}

function containerdConfig(dir: string, socket: string): string {
  const q = (s: string): string => JSON.stringify(s);
  return [
    'version = 2',
    `root = ${q(join(dir, 'root'))}`,
    `state = ${q(join(dir, 'state'))}`,
    // dockerd needs none of the CRI plugin (Kubernetes), which would also probe CNI.
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
    '[grpc]',
    `  address = ${q(socket)}`,
    '[ttrpc]',
    `  address = ${q(`${socket}.ttrpc`)}`,
    '[debug]',
    '  address = ""',
    '[metrics]',
    '  address = ""',
    // Its default is /opt/containerd, shared by every containerd of the machine.
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${q(join(dir, 'opt'))}`,
    '',
  ].join('\n');
}

/**
 * Starts a command inside index n's network namespace with a clean environment, its output
 * appended to `logPath`. `nsenter`, not `ip netns exec`: the latter remounts /sys, which hides
 * the cgroup mounts dockerd needs. `setpriv --pdeathsig` makes the kernel kill the daemon if
 * this process dies (even by SIGKILL); with a host name, it also gets its own UTS namespace.
 * Every step execs the next, so the child's pid is the daemon's.
 */
function spawnInNamespace(
  n: number,
  command: string[],
  logPath: string,
  hostname?: string,
): ChildProcess {
  const inner = ['setpriv', '--pdeathsig', 'KILL', '--'];
  const withHost = hostname
    ? [
        'unshare',
        '--uts',
        '--',
        ...inner,
        '/bin/sh',
        '-c',
        'printf %s "$1" > /proc/sys/kernel/hostname && shift && exec "$@"',
        'sh',
        hostname,
        ...command,
      ]
    : [...inner, ...command];
  const fd = openSync(logPath, 'a');
  try {
    const child = spawn('nsenter', [`--net=/run/netns/${netnsName(n)}`, '--', ...withHost], {
      env: { PATH: SYSTEM_PATH },
      stdio: ['ignore', fd, fd],
    });
    // The wait that follows sees the child gone and quotes the log.
    child.on('error', (e) =>
      appendFileSync(logPath, `spawning ${command[0]} failed: ${e.message}\n`),
    );
    return child;
  } finally {
    closeSync(fd);
  }
}

async function waitForSocket(child: ChildProcess, socket: string, log: string): Promise<void> {
  const deadline = Date.now() + CONTAINERD_DEADLINE_MS;
  while (!existsSync(socket)) {
    if (!alive(child)) throw new Error(`containerd exited: ${await logTail(log)}`);
    if (Date.now() > deadline) throw new Error(`containerd did not start: ${await logTail(log)}`);
    await sleep(10);
  }
}

async function waitForPing(d: FleetDaemon, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + DOCKERD_DEADLINE_MS;
  for (;;) {
    const res = await engineRequest(d, 'GET', '/_ping', { timeoutMs: 2_000 }).catch(
      () => undefined,
    );
    if (res?.status === 200) return;
    if (!alive(child)) {
      throw new Error(`dockerd ${d.name} exited before answering: ${await logTail(log)}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`dockerd ${d.name} did not answer /_ping: ${await logTail(log)}`);
    }
    await sleep(25);
  }
}

async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (!alive(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
  const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(force);
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.pid !== undefined;
}

async function logTail(path: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trim().slice(-3000) || 'no output';
}

// ---------------------------------------------------------------------------------------------
// Indices: locks, namespaces, cleanup

const held = new Map<number, Server>();
let exitHookInstalled = false;

function indexRoot(n: number): string {
  return join(fleetTmpRoot(), String(n));
}

/** Binds the index's abstract socket; false when a live process (maybe this one) holds it. */
function tryLock(n: number): Promise<boolean> {
  if (held.has(n)) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') resolve(false);
      else reject(e);
    });
    server.listen(`${LOCK_PREFIX}${n}`, () => {
      server.unref();
      held.set(n, server);
      installExitHook();
      resolve(true);
    });
  });
}

function unlock(n: number): void {
  held.get(n)?.close();
  held.delete(n);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test that never called stop(): the daemons would die with us (pdeathsig), but their
  // containers, mounts and namespaces would wait for the next run's cleanup.
  process.once('exit', () => {
    for (const n of held.keys()) {
      try {
        cleanupIndexSync(n);
      } catch {
        // Exiting anyway; the next run cleans what is left.
      }
    }
  });
}

/** Takes `count` free indices whose subnet no other interface uses, each cleaned of leftovers. */
async function allocate(count: number): Promise<number[]> {
  const foreign = await foreignSubnets();
  const got: number[] = [];
  try {
    for (let n = FIRST_INDEX; n <= LAST_INDEX && got.length < count; n++) {
      if (foreign.has(n) || !(await tryLock(n))) continue;
      got.push(n);
      cleanupIndexSync(n);
    }
  } catch (e) {
    releaseIndices(got);
    throw e;
  }
  if (got.length < count) {
    releaseIndices(got);
    throw new Error(
      `no ${count} free fleet subnets in ${SUBNET_PREFIX}.${FIRST_INDEX}–${LAST_INDEX}`,
    );
  }
  return got;
}

function releaseIndices(indices: number[]): void {
  for (const n of indices) {
    try {
      cleanupIndexSync(n);
    } finally {
      unlock(n);
    }
  }
}

/** Third octets of 10.77.x.y addresses on interfaces that are not ours. */
async function foreignSubnets(): Promise<Set<number>> {
  const { stdout } = await run('ip', ['-o', '-4', 'addr', 'show']);
  const taken = new Set<number>();
  for (const line of stdout.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+10\.77\.(\d+)\./.exec(line);
    if (m && !/^cmsnh\d+(@|$)/.test(m[1]!)) taken.add(Number(m[2]));
  }
  return taken;
}

/** The namespace, veth and directories of index n; the daemons start later. */
async function prepareIndex(n: number): Promise<void> {
  const ns = netnsName(n);
  const veth = hostVeth(n);
  const root = indexRoot(n);
  await mkdir(root, { recursive: true });
  await mkdir(STATE_DIR, { recursive: true });
  await writeFile(recordPath(n), JSON.stringify({ pid: process.pid, root }));
  const steps: string[][] = [
    ['netns', 'add', ns],
    ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns],
    ['addr', 'add', `${hostAddressOf(n)}/24`, 'dev', veth],
    ['link', 'set', veth, 'up'],
    ['-n', ns, 'link', 'set', 'lo', 'up'],
    ['-n', ns, 'addr', 'add', `${deviceAddressOf(n)}/24`, 'dev', 'eth0'],
    ['-n', ns, 'link', 'set', 'eth0', 'up'],
    ['-n', ns, 'route', 'add', 'default', 'via', hostAddressOf(n)],
  ];
  for (const args of steps) {
    try {
      await run('ip', args);
    } catch (e) {
      const stderr = (e as { stderr?: string }).stderr ?? '';
      throw new Error(`ip ${args.join(' ')} failed: ${stderr.trim() || String(e)}`, { cause: e });
    }
  }
}

/**
 * Removes everything index n may own, by force: kills the processes in its namespace (dockerd,
 * containerd, shims, docker-proxy) and in its cgroups (containers), unmounts what lies under
 * its directory, deletes the shims' sockets, veth, namespace, directory, cgroups and record.
 * Synchronous, so the exit hook can run it; idempotent and quick when nothing is left.
 */
function cleanupIndexSync(n: number): void {
  const ns = netnsName(n);
  const root = recordedRoot(n) ?? indexRoot(n);
  const pids = netnsPids(ns);
  const shimSockets = pids.length > 0 ? boundSocketPaths(pids[0]!, SHIM_SOCKET_DIR) : [];
  for (const pid of pids) kill(pid);
  const cgroups = cgroupDirs(cgroupParent(n));
  const containerPids = killCgroups(cgroups);
  waitUntilDead([...pids, ...containerPids]);
  unmountUnder(root);
  for (const path of shimSockets) rmSync(path, { force: true });
  if (existsSync(`/sys/class/net/${hostVeth(n)}`)) quietly('ip', ['link', 'del', hostVeth(n)]);
  if (existsSync(`/run/netns/${ns}`)) quietly('ip', ['netns', 'del', ns]);
  rmSync(root, { recursive: true, force: true });
  removeCgroups(cgroups);
  rmSync(recordPath(n), { force: true });
}

function recordedRoot(n: number): string | undefined {
  try {
    const record = JSON.parse(readFileSync(recordPath(n), 'utf8')) as { root?: unknown };
    return typeof record.root === 'string' ? record.root : undefined;
  } catch {
    return undefined;
  }
}

function netnsPids(ns: string): number[] {
  if (!existsSync(`/run/netns/${ns}`)) return [];
  try {
    const out = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', stdio: 'pipe' });
    return out.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Unix socket paths under `prefix` bound in the network namespace of `pid`. containerd's shims
 * keep their sockets in the machine-wide /run/containerd/s; killed, they would leave them.
 */
function boundSocketPaths(pid: number, prefix: string): string[] {
  try {
    return readFileSync(`/proc/${pid}/net/unix`, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/)[7] ?? '')
      .filter((path) => path.startsWith(prefix));
  } catch {
    return [];
  }
}

/** The `name` cgroup in every mounted hierarchy, with its descendants, deepest first. */
function cgroupDirs(name: string): string[] {
  const dirs: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of safeReaddir(dir)) {
      const child = join(dir, entry);
      if (isDirectory(child)) walk(child);
    }
    dirs.push(dir);
  };
  for (const mount of mounts()) {
    if (mount.fstype !== 'cgroup' && mount.fstype !== 'cgroup2') continue;
    const dir = join(mount.point, name);
    if (isDirectory(dir)) walk(dir);
  }
  return dirs;
}

function killCgroups(dirs: string[]): number[] {
  const pids = new Set<number>();
  // A frozen (paused) process would not die until thawed.
  for (const dir of dirs) {
    writeQuietly(join(dir, 'freezer.state'), 'THAWED');
    writeQuietly(join(dir, 'cgroup.freeze'), '0');
  }
  for (const dir of dirs) {
    for (const pid of readPids(join(dir, 'cgroup.procs'))) pids.add(pid);
  }
  for (const pid of pids) kill(pid);
  return [...pids];
}

function removeCgroups(dirs: string[]): void {
  const deadline = Date.now() + PROCESS_DEATH_WAIT_MS;
  for (const dir of dirs) {
    for (;;) {
      try {
        rmdirSync(dir);
        break;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code !== 'EBUSY' || Date.now() > deadline) break;
        sleepSync(20);
      }
    }
  }
}

function readPids(path: string): number[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Until every pid is gone or a zombie (its mounts and sockets are released either way). */
function waitUntilDead(pids: number[]): void {
  const deadline = Date.now() + PROCESS_DEATH_WAIT_MS;
  let left = pids;
  while (left.length > 0 && Date.now() < deadline) {
    left = left.filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
      } catch {
        return false;
      }
    });
    if (left.length > 0) sleepSync(10);
  }
}

/** Lazily unmounts every mount at or below `root`, deepest first (overlays, netns, shm). */
function unmountUnder(root: string): void {
  let real = root;
  try {
    real = realpathSync(root);
  } catch {
    // Gone already; mounts would still be listed under the recorded path.
  }
  const points = mounts()
    .map((m) => m.point)
    .filter((p) => p === real || p.startsWith(`${real}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of new Set(points)) quietly('umount', ['-l', point]);
}

interface MountEntry {
  point: string;
  fstype: string;
}

function mounts(): MountEntry[] {
  const unescape = (s: string): string =>
    s.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const fields = line.split(' ');
      const separator = fields.indexOf('-');
      return { point: unescape(fields[4] ?? ''), fstype: fields[separator + 1] ?? '' };
    });
}

function quietly(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    // Best effort: the caller checks what matters.
  }
}

function writeQuietly(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch {
    // Not this hierarchy's file.
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Storage driver

let driverProbe: Promise<StorageDriver> | undefined;
let overlayRefused = false;

/**
 * overlay2 when this kernel mounts an overlay on the fleet's file system (dockerd's own test,
 * in short), else vfs (copies every layer: slow, but works anywhere).
 * COMMISSIONER_FLEET_STORAGE_DRIVER overrides the probe.
 */
async function storageDriver(): Promise<StorageDriver> {
  const forced = process.env.COMMISSIONER_FLEET_STORAGE_DRIVER;
  if (forced === 'overlay2' || forced === 'vfs') return forced;
  driverProbe ??= probeOverlay().then((ok) => (ok ? 'overlay2' : 'vfs'));
  const probed = await driverProbe;
  return overlayRefused ? 'vfs' : probed;
}

async function probeOverlay(): Promise<boolean> {
  await mkdir(fleetTmpRoot(), { recursive: true });
  const dir = join(fleetTmpRoot(), `overlay-probe-${process.pid}`);
  const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((d) =>
    join(dir, d),
  ) as [string, string, string, string];
  try {
    await Promise.all([lower, upper, work, merged].map((d) => mkdir(d, { recursive: true })));
    await run('mount', [
      '-t',
      'overlay',
      'overlay',
      '-o',
      `lowerdir=${lower},upperdir=${upper},workdir=${work}`,
      merged,
    ]);
    await run('umount', [merged]);
    return true;
  } catch {
    return false;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function once(action: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= action());
}

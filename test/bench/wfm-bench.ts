import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addClient } from '../../electron/core/identity/margo-clients';
import { plantIdentity } from '../../electron/core/identity/plant-identity';
import { setDesiredDeployment } from '../../electron/core/store/margo-desired-state';
import { openStore } from '../../electron/core/store/store';
import { CLI } from '../support/run-cli';
import type { Measure } from './run';

const CLIENTS = 500;
const SECONDS = 60;
const TICKS_PER_SECOND = 100;

/** User + system CPU time of a process so far, in seconds (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // After "pid (comm) ": state is field 3, utime 14, stime 15 (1-based) → 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface Poller {
  agent: https.Agent;
  etag: string | undefined;
}

function poll(url: URL, poller: Poller): Promise<{ status: number; ms: number }> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: url.hostname,
        port: url.port,
        path: '/api/v1/deployments',
        agent: poller.agent,
        servername: 'localhost',
        headers: poller.etag ? { 'if-none-match': poller.etag } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.headers.etag) poller.etag = res.headers.etag;
          resolve({
            status: res.statusCode ?? 0,
            ms: Number(process.hrtime.bigint() - start) / 1e6,
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * 500 Margo clients, each with its own certificate and one deployment, poll the state manifest
 * with their ETag once a second for a minute against `margo serve` (its own process, as in the
 * field). Measured: the latency each client sees (p99), and the server process's CPU time
 * over the minute (from /proc), as a fraction of one core. The clients share one RSA key (only
 * their certificates differ): generating 500 keys would take two minutes and tests nothing.
 * Each connects from its own loopback address, as devices would from theirs.
 */
export async function wfmBenchmarks(): Promise<Measure[]> {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-wfm-bench-'));
  const home = join(root, 'home');
  const store = openStore(home);
  const identity = plantIdentity(store.paths);
  const shared = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const pollers: Poller[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const clientId = `client-${String(i).padStart(3, '0')}`;
    const { svid } = addClient(store, identity, clientId, {
      key: { publicKeyPem: shared.publicKey, privateKeyPem: shared.privateKey },
    });
    const id = randomUUID();
    setDesiredDeployment(
      store,
      clientId,
      'gw-1',
      id,
      Buffer.from(
        `apiVersion: application.margo.org/v1alpha1\nkind: ApplicationDeployment\nid: ${id}\n`,
      ),
    );
    pollers.push({
      agent: new https.Agent({
        keepAlive: true,
        maxSockets: 1,
        ca: identity.ca.certPem,
        cert: svid.certPem,
        key: svid.keyPem,
        // Each device from an address of its own, as on a plant LAN (the server caps
        // connections per address): 127.1.x.y, all of which reach loopback.
        localAddress: `127.1.${Math.floor(i / 250)}.${1 + (i % 250)}`,
      }),
      etag: undefined,
    });
  }
  store.close();

  const server = spawn(
    process.execPath,
    [CLI, 'margo', 'serve', '--host', '127.0.0.1', '--port', '0', '--trust-port', '0'],
    { env: { ...process.env, COMMISSIONER_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const url = new URL(
      await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0] as string);
        });
        server.once('exit', (code) => reject(new Error(`margo serve exited with ${code}`)));
      }),
    );
    // Warm-up: every client connects (TLS handshake) and fetches its manifest once.
    for (let i = 0; i < CLIENTS; i += 50) {
      await Promise.all(pollers.slice(i, i + 50).map((p) => poll(url, p)));
    }
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let errors = 0;
    const cpuBefore = cpuSeconds(server.pid as number);
    const started = Date.now();
    await Promise.all(
      pollers.map(async (p, i) => {
        // Spread over the second, as independent devices would be.
        await new Promise((r) => setTimeout(r, (i * 1000) / CLIENTS));
        for (let tick = 0; tick < SECONDS; tick++) {
          const due = started + (i * 1000) / CLIENTS + tick * 1000;
          try {
            const { status, ms } = await poll(url, p);
            latencies.push(ms);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          } catch {
            errors += 1;
          }
          const wait = due + 1000 - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    const cores = (cpuSeconds(server.pid as number) - cpuBefore) / elapsed;
    const sorted = latencies.sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    const notModified = (statuses.get(304) ?? 0) / Math.max(1, latencies.length);
    return [
      {
        name: `WFM: ${CLIENTS} clients polling with ETags every second for ${SECONDS} s — p99 latency`,
        value: Math.round(p99 * 10) / 10,
        unit: 'ms',
        target: '< 20 ms',
        pass: p99 < 20 && errors === 0,
        detail: `median ${Math.round(percentile(sorted, 50) * 10) / 10} ms, ${latencies.length} requests (${Math.round(notModified * 100)}% 304), ${errors} errors`,
      },
      {
        name: 'WFM: server CPU while serving them',
        value: Math.round(cores * 100) / 100,
        unit: 'cores',
        target: '< 1 core',
        pass: cores < 1,
        detail: `${Math.round(latencies.length / elapsed)} requests/s; the 500 simulated clients run in the benchmark's own process on the same 2 cores`,
      },
    ];
  } finally {
    server.kill('SIGTERM');
    for (const p of pollers) p.agent.destroy();
    rmSync(root, { recursive: true, force: true });
  }
}

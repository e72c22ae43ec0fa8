import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompatibilityDevice } from '../../shared/compatibility/compatibility-device';
import { compatibilityRows } from '../../shared/compatibility/evaluate';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import { validateDocumentText } from '../../shared/validation/validate-document';
import { addDevice, keepTlsFiles } from '../../electron/core/store/device-inventory';
import { probeDevices } from '../../electron/core/devices/probe-devices';
import { openStore } from '../../electron/core/store/store';
import { BASE_DESCRIPTION, edit } from '../support/base-documents';
import { startFleet } from '../support/docker-fleet';
import type { Measure } from './run';

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function devicesBenchmarks(): Promise<Measure[]> {
  return [...(await probeBenchmark()), evaluationBenchmark()];
}

/** Probing 20 real Docker engines in parallel against probing one of them. */
async function probeBenchmark(): Promise<Measure[]> {
  const count = 20;
  const root = mkdtempSync(join(tmpdir(), 'commissioner-bench-devices-'));
  const started = performance.now();
  const fleet = await startFleet({ count });
  const startSeconds = round((performance.now() - started) / 1000, 1);
  const store = openStore(join(root, 'home'));
  try {
    fleet.daemons.forEach((d, i) => {
      const name = `dev${i + 1}`;
      const tls = keepTlsFiles(store, name, {
        ca: d.tls.caPath,
        cert: d.tls.certPath,
        key: d.tls.keyPath,
      });
      addDevice(store, {
        name,
        kind: 'docker',
        connection: { protocol: 'tcp', host: d.host, port: d.port, tls },
        labels: {},
        described: {},
      });
    });
    await probeDevices(store); // warm: TLS contexts, daemon caches
    const one: number[] = [];
    const all: number[] = [];
    let ourCpu = 0;
    let daemonCpu = 0;
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      const single = await probeDevices(store, ['dev1']);
      one.push(performance.now() - t);
      const cpu = process.cpuUsage();
      const daemons = dockerdCpuMs();
      t = performance.now();
      const many = await probeDevices(store);
      all.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      ourCpu += (used.user + used.system) / 1000 / 5;
      daemonCpu += (dockerdCpuMs() - daemons) / 5;
      if (!single.results[0]?.reachable || many.results.some((r) => !r.reachable))
        throw new Error('a fleet device did not answer');
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
    const ratio = round(median(all) / median(one));
    // Here the 20 "devices" are 20 dockerd on this laptop's cores: the CPU both sides spend
    // bounds the parallel time from below. On a plant network each daemon has its own CPU.
    const cores = availableParallelism();
    const bound = (ourCpu + daemonCpu) / cores;
    return [
      {
        name: `probe ${count} devices in parallel vs one`,
        value: ratio,
        unit: '×',
        target: '≤ 2×',
        pass: ratio <= 2,
        detail: `one ${round(median(one), 1)} ms, ${count} ${round(median(all), 1)} ms (medians of 5); CPU for the ${count}: ours ${round(ourCpu, 0)} ms + the daemons' ${round(daemonCpu, 0)} ms on ${cores} shared cores = a floor of ${round(bound, 0)} ms (${round(bound / median(one))}× one); fleet started in ${startSeconds} s`,
      },
    ];
  } finally {
    store.close();
    await fleet.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** CPU time all dockerd processes of this machine have used, in ms (from /proc). */
function dockerdCpuMs(): number {
  const tick = 10; // USER_HZ is 100 on Linux
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'dockerd') continue;
      const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      // the process ended while being read
    }
  }
  return total;
}

/**
 * The pure evaluator: 1,000 applications × 50 devices, against reading the same 1,000
 * descriptions once (parse and validate, as an import does) in the same run: matching the
 * whole catalog against a fleet should cost less than reading the catalog.
 */
function evaluationBenchmark(): Measure {
  const apps: ApplicationDescription[] = [];
  const texts: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const text = edit(
      edit(BASE_DESCRIPTION, 'id: com-example-line-monitor', `id: com-bench-${i}`),
      '    id: line-monitor-compose\n',
      `    id: line-monitor-compose
    requiredResources:
      cpu: {cores: ${(i % 4) + 1}}
      memory: ${(i % 8) + 1}Gi
      peripherals: [{type: gpu}]
      interfaces: [{type: ethernet}]
    deviceConstraints:
      eligibilityRules:
        - propertySelector: {matchExpressions: [{key: /vendor, operator: In, values: [V${i % 5}]}]}
        - labelSelector: {matchExpressions: [{key: line, operator: In, values: ["${i % 7}"]}]}
          propertySelector: {matchExpressions: [{key: /peripherals, operator: ContainsAny, itemSelector: {matchExpressions: [{key: /type, operator: In, values: [gpu]}]}}]}
`,
    );
    texts.push(text);
  }
  for (const text of texts)
    apps.push(validateDocumentText(text, { file: 'x' }).value as ApplicationDescription);
  const devices: CompatibilityDevice[] = Array.from({ length: 50 }, (_, j) => ({
    name: `dev${j}`,
    source: j % 2 ? 'docker-probe' : 'margo-client',
    unknown: j % 2 ? ['peripherals', 'interfaces'] : [],
    capabilities: {
      properties: {
        id: `dev${j}`,
        vendor: `V${j % 5}`,
        modelNumber: 'M',
        serialNumber: `S${j}`,
        cpus: [{ cores: (j % 8) + 1, architecture: j % 3 ? 'amd64' : 'arm64' }],
        memory: `${(j % 16) + 1}Gi`,
        storage: '64Gi',
        ...(j % 2
          ? {}
          : {
              peripherals: [{ type: 'gpu' as const }],
              interfaces: [{ type: 'ethernet' as const }],
            }),
        supportedRuntimes: ['oci'],
        supportedDeploymentTypes: ['compose'],
      },
      labels: { line: String(j % 7) },
    },
  }));
  for (const app of apps.slice(0, 50)) for (const d of devices) compatibilityRows(app, d); // warm the JIT
  // Alternating rounds, medians: a burst of load elsewhere falls on both alike.
  const reads: number[] = [];
  const evaluations: number[] = [];
  let rows = 0;
  for (let r = 0; r < 3; r++) {
    let t = performance.now();
    for (const text of texts) validateDocumentText(text, { file: 'x' });
    reads.push(performance.now() - t);
    t = performance.now();
    rows = 0;
    for (const app of apps) for (const d of devices) rows += compatibilityRows(app, d).length;
    evaluations.push(performance.now() - t);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] as number;
  const ms = median(evaluations);
  const readMs = median(reads);
  const ratio = round(ms / readMs);
  return {
    name: 'evaluate 1,000 applications × 50 devices vs validating the 1,000 descriptions once',
    value: ratio,
    unit: '×',
    target: '≤ 0.5',
    pass: ratio <= 0.5,
    detail: `medians of 3: ${round(ms, 0)} ms for ${rows} profile verdicts, ${round(readMs, 0)} ms to validate; load ${round(loadavg()[0] as number, 1)}`,
  };
}

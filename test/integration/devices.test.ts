import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompatibilityRow } from '../../shared/compatibility/verdict';
import { ProbeResult } from '../../shared/devices/probe-result';
import { DeviceCapabilitiesManifest } from '../../shared/margo/device-capabilities';
import { validateDocumentText } from '../../shared/validation/validate-document';
import { compatibilityMatrix } from '../../electron/core/devices/device-compatibility';
import {
  addDevice,
  deviceKeysDir,
  getDevice,
  keepTlsFiles,
  listDevices,
  updateDescribed,
  updateLabels,
} from '../../electron/core/store/device-inventory';
import { probeDevices } from '../../electron/core/devices/probe-devices';
import { importSources } from '../../electron/core/import/import-sources';
import { showApplication } from '../../electron/core/store/catalog-reader';
import { openStore, type Store } from '../../electron/core/store/store';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import { BASE_DESCRIPTION, edit } from '../support/base-documents';
import { startFleet, type Fleet } from '../support/docker-fleet';
import { createTestCa, issueClientCert } from '../support/test-ca';
import { runCli } from '../support/run-cli';
import { mkdirSync, writeFileSync } from 'node:fs';

const root = mkdtempSync(join(tmpdir(), 'commissioner-devices-'));
const home = join(root, 'home');
let fleet: Fleet;
let store: Store;
let plainServer: http.Server;
let plainPort = 0;

const fleetUrl = (i: number) => fleet.daemons[i]?.url as string;
const tls = (i: number) => ({
  ca: fleet.daemons[i]?.tls.caPath as string,
  cert: fleet.daemons[i]?.tls.certPath as string,
  key: fleet.daemons[i]?.tls.keyPath as string,
});
const hostPort = (url: string) => {
  const m = /^tcp:\/\/([^:]+):(\d+)$/.exec(url) as RegExpExecArray;
  return { host: m[1] as string, port: Number(m[2]) };
};

function addTlsDevice(name: string, url: string, files = tls(0)) {
  addDevice(store, {
    name,
    kind: 'docker',
    connection: { protocol: 'tcp', ...hostPort(url), tls: keepTlsFiles(store, name, files) },
    labels: {},
    described: {},
  });
}

beforeAll(async () => {
  fleet = await startFleet({
    count: 3,
    labels: [{}, { 'example.com/line': '3', 'example.com/zone': 'paint' }, {}],
  });
  store = openStore(home);
  // Something that answers plain HTTP but is not Docker (a wrong port on a device).
  plainServer = http.createServer((_req, res) => res.writeHead(404).end('not here'));
  await new Promise<void>((r) => plainServer.listen(0, '127.0.0.1', () => r()));
  plainPort = (plainServer.address() as { port: number }).port;
}, 120_000);

afterAll(async () => {
  store?.close();
  plainServer?.close();
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('devices on the LAN, probed for real', () => {
  it('probes three Docker engines in parallel: facts, rc.3 capabilities, daemon labels', async () => {
    fleet.daemons.forEach((d, i) => addTlsDevice(`dev${i + 1}`, d.url, tls(i)));
    const { results } = await probeDevices(store, ['dev1', 'dev2', 'dev3']);
    expect(results.map((r) => [r.name, r.reachable, r.error])).toEqual([
      ['dev1', true, null],
      ['dev2', true, null],
      ['dev3', true, null],
    ]);
    for (const r of results) {
      ProbeResult.parse(r);
      expect(r.facts?.cpus).toBeGreaterThan(0);
      expect(r.facts?.memoryBytes).toBeGreaterThan(64 * 1024 * 1024);
      expect(r.facts?.apiVersion).toMatch(/^1\.\d+$/);
      expect(r.facts?.negotiatedApiVersion).toBe(r.facts?.apiVersion);
      // The capabilities are a valid rc.3 manifest, as our own validator reads them.
      const validation = validateDocumentText(JSON.stringify(r.capabilities), {
        file: `${r.name}.json`,
      });
      expect(validation.kind).toBe('DeviceCapabilitiesManifest');
      expect(validation.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      DeviceCapabilitiesManifest.parse(r.capabilities);
      expect(r.capabilities?.properties.supportedDeploymentTypes).toEqual(['compose']);
    }
    expect(new Set(results.map((r) => r.facts?.engineId)).size).toBe(3);
    expect(results[1]?.capabilities?.labels).toMatchObject({
      'example.com/line': '3',
      'example.com/zone': 'paint',
    });
    expect(getDevice(store, 'dev1')?.lastGood?.reachable).toBe(true);
  }, 60_000);

  it('says in plain words why a device cannot be probed', async () => {
    mkdirSync(join(root, 'other-ca'), { recursive: true });
    const otherCa = await createTestCa(join(root, 'other-ca'));
    const strangerCert = await issueClientCert(
      otherCa,
      { commonName: 'stranger', ipAddresses: [], dnsNames: [] },
      join(root, 'other-ca'),
    );
    addTlsDevice('off', fleet.unreachable.url);
    addTlsDevice('wrong-port', fleet.wrongPort.url);
    addTlsDevice('wrong-ca', fleetUrl(0), { ...tls(0), ca: otherCa.caCertPath });
    addTlsDevice('stranger', fleetUrl(0), {
      ca: tls(0).ca,
      cert: strangerCert.certPath,
      key: strangerCert.keyPath,
    });
    addDevice(store, {
      name: 'plain-to-tls',
      kind: 'docker',
      connection: { protocol: 'tcp', ...hostPort(fleetUrl(0)), tls: null },
      labels: {},
      described: {},
    });
    addDevice(store, {
      name: 'web-server',
      kind: 'docker',
      connection: { protocol: 'tcp', host: '127.0.0.1', port: plainPort, tls: null },
      labels: {},
      described: {},
    });
    addTlsDevice('tls-to-plain', `tcp://127.0.0.1:${plainPort}`);
    const names = [
      'off',
      'wrong-port',
      'wrong-ca',
      'stranger',
      'plain-to-tls',
      'web-server',
      'tls-to-plain',
    ];
    const { results } = await probeDevices(store, names, 3000);
    const byName = Object.fromEntries(results.map((r) => [r.name, r.error]));
    expect(byName.off).toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('nothing accepts connections'),
    });
    expect(byName['wrong-port']).toMatchObject({ kind: 'refused' });
    expect(byName['wrong-ca']).toMatchObject({
      kind: 'tls-untrusted-server',
      message: expect.stringContaining('the laptop refused the device'),
    });
    expect(byName.stranger).toMatchObject({
      kind: 'tls-client-rejected',
      message: expect.stringContaining('refused the laptop'),
    });
    expect(byName['plain-to-tls']).toMatchObject({
      kind: 'tls-required',
      message: expect.stringContaining('--tls-ca'),
    });
    expect(byName['web-server']).toMatchObject({
      kind: 'not-docker',
      message: expect.stringContaining('not a Docker Engine'),
    });
    expect(byName['tls-to-plain']).toMatchObject({
      kind: 'not-docker',
      message: expect.stringContaining('neither TLS nor the Docker API'),
    });
    for (const r of results)
      expect(r).toMatchObject({ reachable: false, capabilities: null, facts: null });
  }, 60_000);
});

describe('compatibility against the real fleet', () => {
  let description: ApplicationDescription;

  beforeAll(async () => {
    const text = edit(
      edit(
        BASE_DESCRIPTION,
        '    id: line-monitor-compose\n',
        `    id: line-monitor-compose
    deviceConstraints:
      capacityRequirements: {cpu: {cores: 1, architectures: [amd64, arm64]}, memory: 256Mi}
      eligibilityRules:
        - labelSelector: {matchExpressions: [{key: example.com/line, operator: In, values: ["3"]}]}
    requiredResources:
      peripherals: [{type: gpu, manufacturer: NVIDIA}]
`,
      ),
      'id: com-example-line-monitor',
      'id: com-example-paint-monitor',
    );
    const dir = join(root, 'paint-package');
    mkdirSync(join(dir, 'resources'), { recursive: true });
    writeFileSync(join(dir, 'margo.yaml'), text);
    writeFileSync(join(dir, 'resources', 'icon.png'), 'png');
    writeFileSync(join(dir, 'resources', 'description.md'), '# paint');
    const report = await importSources(store, [{ input: dir, path: dir }]);
    expect(report.imported).toHaveLength(1);
    description = showApplication(store.db, 'com-example-paint-monitor')
      ?.document as ApplicationDescription;
  });

  const rowsFor = (names: string[]) =>
    compatibilityMatrix(
      description,
      listDevices(store).filter((d) => names.includes(d.name)),
    );

  it('explains line by line where each profile can run, and why not', () => {
    const rows = rowsFor(['dev1', 'dev2', 'off']);
    for (const r of rows) CompatibilityRow.parse(r);
    expect(rows.map((r) => [r.device, r.profile, r.verdict])).toEqual([
      ['dev1', 'line-monitor-compose', 'incompatible'],
      ['dev1', 'line-monitor-helm', 'incompatible'],
      ['dev2', 'line-monitor-compose', 'unknown'],
      ['dev2', 'line-monitor-helm', 'incompatible'],
      ['off', 'line-monitor-compose', 'unknown'],
      ['off', 'line-monitor-helm', 'unknown'],
    ]);
    const dev1 = rows[0]?.checks.find((c) => c.status === 'failed');
    expect(dev1).toMatchObject({
      name: 'eligibility rules',
      reason: 'rule 1: label example.com/line does not exist',
    });
    expect(rows[1]?.checks[0]).toMatchObject({
      name: 'deployment type',
      status: 'failed',
      reason: 'the device runs compose, not helm',
    });
    // dev2 meets capacity and eligibility; only the GPU is not known for a probed device.
    expect(
      rows[2]?.checks.filter((c) => c.status !== 'passed').map((c) => [c.name, c.status]),
    ).toEqual([['peripheral gpu NVIDIA', 'unknown']]);
    expect(rows[4]?.checks[0]?.reason).toContain('never reached');
  });

  it('labels and descriptions the engineer adds change the verdict at once', () => {
    updateDescribed(store, 'dev2', {
      peripherals: [{ type: 'gpu', manufacturer: 'NVIDIA', model: 'T4' }],
    });
    expect(rowsFor(['dev2'])[0]?.verdict).toBe('compatible');
    updateLabels(store, 'dev1', { 'example.com/line': '3' }, []);
    expect(rowsFor(['dev1'])[0]?.verdict).toBe('unknown');
    updateDescribed(store, 'dev1', { peripherals: [] });
    expect(rowsFor(['dev1'])[0]).toMatchObject({ verdict: 'incompatible' });
  });

  it('the CLI: devices list/probe/label/remove and compat, with the documented JSON', async () => {
    const env = { COMMISSIONER_HOME: home };
    const probe = await runCli(['devices', 'probe', 'dev2', 'dev3', '--json'], { env });
    expect(probe.code).toBe(0);
    expect(
      ProbeResult.array()
        .parse(JSON.parse(probe.stdout))
        .map((r) => r.reachable),
    ).toEqual([true, true]);
    const failing = await runCli(['devices', 'probe', 'off', '--json', '--timeout', '2'], { env });
    expect(failing.code).toBe(1);
    const unknownName = await runCli(['devices', 'probe', 'nope'], { env });
    expect(unknownName.code).toBe(2);
    const label = await runCli(
      ['devices', 'label', 'dev3', 'example.com/line=3', 'example.com/zone-'],
      { env },
    );
    expect(label.stdout).toContain('example.com/line=3');
    const compat = await runCli(
      ['compat', 'com-example-paint-monitor', '--device', 'dev3', '--json'],
      { env },
    );
    expect(compat.code).toBe(0);
    expect(
      CompatibilityRow.array()
        .parse(JSON.parse(compat.stdout))
        .map((r) => r.verdict),
    ).toEqual(['unknown', 'incompatible']);
    const human = await runCli(['compat', 'com-example-paint-monitor', '--device', 'dev3'], {
      env,
    });
    expect(human.stdout).toContain('UNKNOWN peripheral gpu NVIDIA');
    const add = await runCli(
      [
        'devices',
        'add',
        'docker',
        'press-7',
        '--host',
        fleet.unreachable.url,
        '--tls-ca',
        tls(0).ca,
        '--tls-cert',
        tls(0).cert,
        '--tls-key',
        tls(0).key,
      ],
      { env },
    );
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('cannot be reached now');
    expect(existsSync(join(deviceKeysDir(store, 'press-7'), 'key.pem'))).toBe(true);
    const list = await runCli(['devices', 'list', '--json'], { env });
    expect((JSON.parse(list.stdout) as { name: string }[]).map((d) => d.name)).toContain('press-7');
    const removed = await runCli(['devices', 'remove', 'press-7'], { env });
    expect(removed.code).toBe(0);
    expect(existsSync(deviceKeysDir(store, 'press-7'))).toBe(false);
    const noTls = await runCli(['devices', 'add', 'docker', 'bare', '--host', fleetUrl(0)], {
      env,
    });
    expect(noTls.code).toBe(2);
    expect(noTls.stderr).toContain('needs its TLS files');
    expect(noTls.stderr).toContain('--tls-ca, --tls-cert and --tls-key');
  }, 60_000);
});

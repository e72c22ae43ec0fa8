import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import { importSources } from '../../electron/core/import/import-sources';
import type { ReportAudit } from '../../electron/core/report/report-audit';
import { addRevision, DeploymentSummary } from '../../electron/core/store/deployment-journal';
import { addDevice, recordProbe } from '../../electron/core/store/device-inventory';
import { openStore, type Store } from '../../electron/core/store/store';
import {
  commissioningReport,
  reportDigest,
} from '../../electron/core/use-cases/commissioning-report';
import type { AuditEntry } from '../../shared/audit/audit-entry';
import { MASK } from '../../shared/configuration/secret-heuristic';
import { CreatedReport } from '../../shared/contract/reports';
import { reportHtml } from '../../shared/report/report-html';
import { LINE_APP, makeLineAppKit } from '../support/compose-app-fixture';
import { addFleetDevices } from '../support/fleet-inventory';
import { startFleet, type Fleet } from '../support/docker-fleet';
import { readPdf } from '../support/pdf-text';
import { runCli } from '../support/run-cli';

/**
 * The commissioning report from a real store: first from recorded rows (no device needed),
 * through the use case and the contract; then after a real deploy to two fleet devices,
 * through the CLI, read back with poppler as a viewer would.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SECRET = 'Hunter2-never-in-a-report';
/** A trail with nothing on it, for the tests that look at devices and apps. */
const NO_AUDIT_TRAIL: ReportAudit = { entries: () => [], head: () => null };
const HOSTILE = '<script>alert(1)</script>';

function deploymentYaml(appId: string): string {
  return `apiVersion: application.margo.org/v1alpha1
kind: ApplicationDeployment
metadata:
  name: ${appId}
  namespace: margo
spec:
  applicationId: ${appId}
  deploymentProfile:
    type: compose
    components:
      - name: line-app
        properties:
          packageLocation: oci://registry.example.com/compose/line-app
  parameters:
    adminPassword:
      value: "${SECRET}"
      targets:
        - pointer: ADMIN_PASSWORD
          components: [line-app]
    siteName:
      value: "${HOSTILE}"
      targets:
        - pointer: SITE_NAME
          components: [line-app]
`;
}

describe('report from recorded rows (no device asked)', () => {
  let store: Store;
  const digest = `sha256:${'d4'.repeat(32)}`;

  beforeAll(() => {
    store = openStore(join(root, 'rows'));
    for (const name of ['press-1', 'press-2']) {
      addDevice(store, {
        name,
        kind: 'docker',
        connection: { protocol: 'unix', socketPath: `/run/${name}.sock` },
        labels: { line: '3' },
        described: { serialNumber: `SN-${name}` },
      });
    }
    recordProbe(store, {
      name: 'press-1',
      reachable: false,
      error: { kind: 'refused', message: 'press-1 refused the connection' },
      capabilities: null,
      facts: null,
      probedAt: '2026-12-06T09:00:00.000Z',
    });
    addRevision(store, {
      id: 'dep-press-1',
      appId: 'com-example-hostile',
      device: 'press-1',
      profileId: 'compose',
      version: '2.0.0',
      deployment: deploymentYaml('com-example-hostile'),
      digest,
      rendered: null,
    });
  });
  afterAll(() => store.close());

  it('masks secrets as deployments show does, and states digests, devices and probes', () => {
    const report = commissioningReport(store, {
      devices: 'all',
      since: null,
      audit: NO_AUDIT_TRAIL,
    });
    expect(report.devices.map((d) => d.name)).toEqual(['press-1', 'press-2']);
    const [press1, press2] = report.devices;
    expect(press1?.lastProbe).toMatchObject({ reachable: false });
    expect(press1?.described.serialNumber).toBe('SN-press-1');
    expect(press1?.apps).toHaveLength(1);
    const app = press1!.apps[0]!;
    expect(app).toMatchObject({
      appId: 'com-example-hostile',
      appName: null,
      version: '2.0.0',
      revision: 1,
      deploymentDigest: digest,
      images: [],
      signatures: [],
    });
    expect(app.parameters).toEqual([
      { name: 'adminPassword', value: MASK, secret: true },
      { name: 'siteName', value: HOSTILE, secret: false },
    ]);
    expect(press2?.apps).toEqual([]);
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(reportHtml(report)).not.toContain(SECRET);
    expect(report.digest).toBe(reportDigest(report));
    expect(report.audit).toEqual({ entries: [], head: null });
  });

  it('names devices in the order asked; an unknown device or none at all is refused', () => {
    const report = commissioningReport(store, {
      devices: ['press-2', 'press-1', 'press-2'],
      since: null,
      audit: NO_AUDIT_TRAIL,
    });
    expect(report.scope).toBe('devices');
    expect(report.devices.map((d) => d.name)).toEqual(['press-2', 'press-1']);
    expect(() =>
      commissioningReport(store, { devices: ['press-9'], since: null, audit: NO_AUDIT_TRAIL }),
    ).toThrow(expect.objectContaining({ name: 'not-found' }));
    expect(() =>
      commissioningReport(store, { devices: [], since: null, audit: NO_AUDIT_TRAIL }),
    ).toThrow(expect.objectContaining({ name: 'invalid-input' }));
  });

  it('asks the audit trail for the period and the report devices, and states its head', () => {
    const asked: unknown[] = [];
    // A trail given by hand, to see what the report asks of it.
    const audit: ReportAudit = {
      entries: (since, devices) => {
        asked.push([since, devices]);
        return [
          {
            at: '2026-12-06T10:00:00.000Z',
            actor: 'ana',
            operation: 'deploy',
            target: 'press-1',
            outcome: 'ok',
            summary: 'adminPassword: given',
            hash: 'e5'.repeat(32),
          },
        ];
      },
      head: () => 'e5'.repeat(32),
    };
    const report = commissioningReport(store, {
      devices: ['press-1'],
      since: '2026-12-01T00:00:00.000Z',
      audit,
    });
    expect(asked).toEqual([['2026-12-01T00:00:00.000Z', ['press-1']]]);
    expect(report.audit.head).toBe('e5'.repeat(32));
    expect(reportHtml(report)).toContain('e5'.repeat(32));
    const all = commissioningReport(store, { devices: 'all', since: null, audit });
    expect(asked[1]).toEqual([null, null]);
    expect(all.digest).not.toBe(report.digest);
  });

  it('reports.create: a one-time download in the browser; the desktop app needs a chosen file', async () => {
    const browser: AppCore = await createAppCore({ home: join(root, 'rows'), host: 'browser' });
    try {
      const answer = await browser.call('reports.create', {
        devices: 'all',
        to: { kind: 'download', format: 'pdf' },
      });
      expect(answer.ok).toBe(true);
      const created = CreatedReport.parse(answer.ok ? answer.result : null);
      expect(created.download?.name).toMatch(
        /^commissioning-report-\d{4}-\d{2}-\d{2}T\d{4}Z\.pdf$/,
      );
      const download = browser.takeDownload(created.download!.token);
      expect(download?.mediaType).toBe('application/pdf');
      const pdf = readPdf(download!.bytes!);
      expect(pdf.text).toContain('Device press-1');
      expect(pdf.text).toContain(created.digest);
      expect(pdf.text).not.toContain(SECRET);
      // Handed out once.
      expect(browser.takeDownload(created.download!.token)).toBeUndefined();

      const unknown = await browser.call('reports.create', {
        devices: ['press-9'],
        to: { kind: 'download', format: 'html' },
      });
      expect(unknown.ok ? null : unknown.error.name).toBe('not-found');
    } finally {
      await browser.close();
    }
    const desktop = await createAppCore({ home: join(root, 'rows'), host: 'electron' });
    try {
      const refused = await desktop.call('reports.create', {
        devices: 'all',
        to: { kind: 'download', format: 'pdf' },
      });
      expect(refused.ok ? null : refused.error.name).toBe('not-supported');
      const file = join(root, 'saved.html');
      const picked = desktop.registerPicked({ path: file, kind: 'file' }, 'saved.html');
      const saved = await desktop.call('reports.create', {
        devices: ['press-1'],
        to: { kind: 'file', file: picked.token },
      });
      expect(saved.ok ? CreatedReport.parse(saved.result).file : saved.error).toBe('saved.html');
      const html = readFileSync(file, 'utf8');
      expect(html).toContain('<h2>Device press-1</h2>');
      expect(html).not.toContain('Device press-2');
      expect(html).not.toContain(SECRET);
      expect(html).not.toContain(HOSTILE);
    } finally {
      await desktop.close();
    }
  });

  it('the CLI: usage errors exit 2, an unknown device 1, and nothing is written', async () => {
    const home = join(root, 'rows');
    const cli = (args: string[]) =>
      runCli(['report', ...args], { env: { COMMISSIONER_HOME: home }, cwd: root });
    for (const args of [
      ['-o', 'r.pdf'],
      ['--all', '--device', 'press-1', '-o', 'r.pdf'],
      ['--all'],
      ['--all', '-o', 'r.docx'],
      ['--all', '--since', 'last week', '-o', 'r.pdf'],
    ]) {
      const run = await cli(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(/^commissioner report: /);
    }
    const unknown = await cli(['--device', 'press-1,press-9', '-o', 'r.pdf']);
    expect(unknown.code, unknown.stderr).toBe(1);
    expect(unknown.stderr).toContain('press-9');
    expect(() => readFileSync(join(root, 'r.pdf'))).toThrow();

    const ok = await cli(['--device', 'press-1', '--since', '7d', '-o', 'one.html', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const written = JSON.parse(ok.stdout) as { file: string; format: string; digest: string };
    expect(written).toMatchObject({ file: join(root, 'one.html'), format: 'html' });
    expect(readFileSync(written.file, 'utf8')).toContain(written.digest);
  });
});

describe('report after deploying to two fleet devices', { timeout: 240_000 }, () => {
  const home = join(root, 'fleet');
  const cli = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: home }, cwd: root });
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ count: 2 });
    const kit = await makeLineAppKit(join(root, 'app'));
    const store = openStore(home);
    try {
      await importSources(store, [{ input: kit.kit, path: kit.kit }]);
      addFleetDevices(store, fleet.daemons, ['press-1', 'press-2']);
    } finally {
      store.close();
    }
  }, 180_000);
  afterAll(async () => {
    await fleet?.stop();
  }, 120_000);

  it('report --all -o r.pdf names both devices, the app, its version and the digests; no secret', async () => {
    const deploy = await cli([
      'deploy',
      LINE_APP,
      '--device',
      'press-1,press-2',
      '--set',
      `adminPassword=${SECRET}`,
      '--yes',
    ]);
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(0);
    // A change that names press-1 alone: not an entry of press-2's report.
    const label = await cli(['devices', 'label', 'press-1', 'hall=A']);
    expect(label.code, label.stderr).toBe(0);
    const list = await cli(['deployments', 'list', '--json']);
    const deployments = DeploymentSummary.array().parse(JSON.parse(list.stdout));
    expect(deployments.map((d) => d.device)).toEqual(['press-1', 'press-2']);
    const digests: string[] = [];
    for (const d of deployments) {
      const show = await cli(['deployments', 'show', d.id, '--json']);
      digests.push(
        (JSON.parse(show.stdout) as { revisions: { digest: string }[] }).revisions[0]!.digest,
      );
    }

    const run = await cli(['report', '--all', '-o', 'r.pdf']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/report digest sha256:[0-9a-f]{64}/);
    const pdf = readPdf(readFileSync(join(root, 'r.pdf')));
    expect(pdf.renderedPages).toBe(pdf.pages);
    for (const text of [
      'Device press-1',
      'Device press-2',
      'Line App 1.0.0',
      LINE_APP,
      '1.0.0',
      ...digests,
    ])
      expect(pdf.text, text).toContain(text);
    expect(pdf.text).toContain(`${MASK} (secret)`);
    expect(pdf.text).not.toContain(SECRET);
    // The image each service runs, by its Docker image id.
    expect(pdf.text).toMatch(
      /line-app\/api\s+registry\.example\.com\/line\/busybox:1\.0\s+sha256:/,
    );

    // The report states the chain head as it was; the entry after it records this report.
    const stated = await cli(['report', '--device', 'press-2', '-o', 'p2.pdf', '--json']);
    expect(stated.code, stated.stderr).toBe(0);
    const made = JSON.parse(stated.stdout) as { digest: string; auditHead: string };
    const exported = await cli(['audit', 'export', '-o', 'trail.jsonl']);
    expect(exported.code, exported.stderr).toBe(0);
    const trail = readFileSync(join(root, 'trail.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    const at = trail.findIndex((e) => e.hash === made.auditHead);
    expect(at).toBeGreaterThan(0);
    expect(trail[at + 1]).toMatchObject({
      operation: 'report',
      target: 'press-2',
      inputs: { digest: made.digest, auditHead: made.auditHead },
      outcome: { result: 'ok' },
    });
    expect((await cli(['audit', 'verify', '--file', 'trail.jsonl'])).code).toBe(0);
    const p2 = readPdf(readFileSync(join(root, 'p2.pdf'))).text;
    expect(p2).toContain(made.digest);
    expect(p2).toContain(made.auditHead);
    // The deploy's entries name press-2 (one deploy to both devices), so they are the report's;
    // the devices added before, each naming only itself, are only press-2's own.
    const deployEntries = trail.filter((e) => e.operation === 'deploy');
    expect(deployEntries.map((e) => e.target).sort()).toEqual(['press-1', 'press-2']);
    for (const e of deployEntries) expect(p2).toContain(e.hash.slice(0, 12));
    const labelled = trail.filter((e) => e.operation === 'devices.update');
    expect(labelled.map((e) => e.target)).toEqual(['press-1']);
    expect(p2).not.toContain(labelled[0]!.hash.slice(0, 12));

    const html = await cli(['report', '--all', '-o', 'r.html']);
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(join(root, 'r.html'), 'utf8');
    for (const digest of digests) expect(page).toContain(digest);
    expect(page).not.toContain(SECRET);
  });
});

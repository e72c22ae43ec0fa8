import { VERDICT_WORDS } from '../trust/artifact-trust-words';
import { LEVEL_WORDS } from '../contract/trust-store';
import { formatBytes } from '../units/quantity';
import type { CommissioningReport, ReportApp, ReportDevice } from './commissioning-report';

/**
 * The commissioning report as pages of plain blocks, the words chosen once: the HTML and the
 * PDF renderings only draw these, so both say the same thing. Texts are raw (unescaped): each
 * renderer escapes or encodes them for its medium.
 */
export type ReportBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'fields'; rows: [label: string, value: string][] }
  | { kind: 'table'; columns: string[]; rows: string[][] }
  | { kind: 'signature-lines'; lines: string[] };

export interface ReportPage {
  title: string;
  blocks: ReportBlock[];
}

export interface ReportLayout {
  title: string;
  pages: ReportPage[];
}

export const REPORT_TITLE = 'Commissioning report';

export function reportLayout(report: CommissioningReport): ReportLayout {
  return {
    title: REPORT_TITLE,
    pages: [
      summaryPage(report),
      ...report.devices.map(devicePage),
      auditPage(report),
      signOffPage(report),
    ],
  };
}

function summaryPage(report: CommissioningReport): ReportPage {
  const by = report.generatedBy;
  const apps = report.devices.reduce((n, d) => n + d.apps.length, 0);
  return {
    title: REPORT_TITLE,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Made', report.generatedAt],
          ['By', `${by.engineer} on ${by.host}`],
          ['Installation', by.installation],
          [
            'Devices',
            report.scope === 'all' ? 'every device in the inventory' : 'the devices named',
          ],
          ['Audit period', report.since === null ? 'the whole trail' : `from ${report.since}`],
          ['Report digest', report.digest],
          ['Audit chain head', report.audit.head ?? 'none: no audit entry recorded'],
        ],
      },
      {
        kind: 'table',
        columns: ['Device', 'Kind', 'Address', 'Applications'],
        rows: report.devices.map((d) => [
          d.name,
          d.kind === 'docker' ? 'Docker' : 'Margo',
          d.address,
          d.apps.length === 0
            ? 'none'
            : d.apps.map((a) => `${a.appName ?? a.appId} ${a.version}`).join(', '),
        ]),
      },
      {
        kind: 'text',
        text:
          report.devices.length === 0
            ? 'There are no devices in this report.'
            : `${report.devices.length} device${report.devices.length === 1 ? '' : 's'}, ${apps} application deployment${apps === 1 ? '' : 's'}. Secret parameter values are never shown. The report digest is the sha256 of the report's content (canonical JSON, without the digest itself); the audit chain head can be checked against an export of the audit trail.`,
      },
    ],
  };
}

function devicePage(device: ReportDevice): ReportPage {
  const blocks: ReportBlock[] = [
    { kind: 'heading', text: 'Device' },
    { kind: 'fields', rows: deviceFields(device) },
  ];
  if (device.facts) {
    const f = device.facts;
    blocks.push(
      { kind: 'heading', text: 'Facts (last probe that reached it)' },
      {
        kind: 'fields',
        rows: [
          ['Docker Engine', `${f.serverVersion} (API ${f.negotiatedApiVersion})`],
          ['Operating system', `${f.os} (${f.osType}), kernel ${f.kernelVersion}`],
          ['Architecture', f.architecture],
          ['CPUs', String(f.cpus)],
          ['Memory', formatBytes(f.memoryBytes)],
          ['Runtimes', f.runtimes.join(', ')],
          ['Storage driver', f.storageDriver],
          ['Host name', f.name],
        ],
      },
    );
  }
  blocks.push({ kind: 'heading', text: 'Capabilities' });
  blocks.push(
    device.capabilities
      ? { kind: 'fields', rows: flatten(device.capabilities) }
      : { kind: 'text', text: 'Not known: the device was never reached.' },
  );
  blocks.push({ kind: 'heading', text: 'Applications' });
  if (device.apps.length === 0) blocks.push({ kind: 'text', text: 'No application deployed.' });
  for (const app of device.apps) blocks.push(...appBlocks(app));
  return { title: `Device ${device.name}`, blocks };
}

function deviceFields(device: ReportDevice): [string, string][] {
  const probe = device.lastProbe;
  const d = device.described;
  const rows: [string, string][] = [
    ['Name', device.name],
    ['Kind', device.kind === 'docker' ? 'Docker device' : 'Margo device'],
    ['Address', device.address],
    ['Added', device.addedAt],
    [
      'Last probe',
      probe === null
        ? 'never probed'
        : probe.reachable
          ? `${probe.probedAt}: reachable`
          : `${probe.probedAt}: not reachable: ${probe.error?.message ?? ''}`,
    ],
    ['Host access', device.hostAccess === 'allow' ? 'allowed' : 'denied'],
  ];
  if (d.vendor) rows.push(['Vendor', d.vendor]);
  if (d.modelNumber) rows.push(['Model', d.modelNumber]);
  if (d.serialNumber) rows.push(['Serial number', d.serialNumber]);
  const labels = Object.entries(device.labels);
  if (labels.length > 0) rows.push(['Labels', labels.map(([k, v]) => `${k}=${v}`).join(', ')]);
  return rows;
}

function appBlocks(app: ReportApp): ReportBlock[] {
  const blocks: ReportBlock[] = [
    { kind: 'heading', text: `${app.appName ?? app.appId} ${app.version}` },
    {
      kind: 'fields',
      rows: [
        ['Application', app.appId],
        ['Version', app.version],
        ['Profile', app.profile],
        ['State', app.state],
        ['Revision', String(app.revision)],
        ['Last change', app.updatedAt],
        ['Deployment', app.deploymentId],
        ['ApplicationDeployment digest', app.deploymentDigest ?? 'not recorded'],
        ...app.components.map((c): [string, string] => [`Component ${c.name}`, c.state]),
      ],
    },
    app.parameters.length === 0
      ? { kind: 'text', text: 'No parameter values.' }
      : {
          kind: 'table',
          columns: ['Parameter', 'Value'],
          rows: app.parameters.map((p) => [p.name, p.secret ? `${p.value} (secret)` : p.value]),
        },
  ];
  if (app.images.length > 0) {
    blocks.push({
      kind: 'table',
      columns: ['Service', 'Image', 'Image id'],
      rows: app.images.map((i) => [`${i.component}/${i.service}`, i.image, i.imageId]),
    });
  }
  blocks.push(
    app.signatures.length === 0
      ? { kind: 'text', text: 'Signatures: the version is no longer in the catalog.' }
      : {
          kind: 'table',
          columns: ['Artifact', 'Digest', 'Signature', 'Policy'],
          rows: app.signatures.map((s) => [
            `${s.kind} ${s.name}`,
            s.artifact,
            [VERDICT_WORDS[s.verdict], s.signer, s.verdict === 'verified' ? null : s.reason]
              .filter((x): x is string => !!x)
              .join(': '),
            LEVEL_WORDS[s.policy],
          ]),
        },
  );
  return blocks;
}

/** Hex digits of an entry's hash shown: enough to find it, short enough for a table cell. */
const ENTRY_PREFIX = 12;

function auditPage(report: CommissioningReport): ReportPage {
  const entries = report.audit.entries;
  return {
    title: 'Audit entries',
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Period', report.since === null ? 'the whole trail' : `from ${report.since}`],
          ['Chain head', report.audit.head ?? 'none'],
        ],
      },
      entries.length === 0
        ? { kind: 'text', text: 'No audit entry in this period.' }
        : {
            kind: 'table',
            // The entry's hash prefix finds it in an `audit export`.
            columns: ['Entry', 'Time', 'Who', 'Operation', 'Target', 'Outcome', 'Inputs'],
            rows: entries.map((e) => [
              e.hash.slice(0, ENTRY_PREFIX),
              e.at,
              e.actor,
              e.operation,
              e.target,
              e.outcome,
              e.summary,
            ]),
          },
    ],
  };
}

function signOffPage(report: CommissioningReport): ReportPage {
  const s = report.signOff;
  return {
    title: 'Sign-off',
    blocks: [
      {
        kind: 'text',
        text: `This report (digest ${report.digest}) states what was installed on the devices above.`,
      },
      {
        kind: 'signature-lines',
        lines: [
          `Commissioned by${s.commissionedBy ? `: ${s.commissionedBy}` : ''}`,
          `Accepted by${s.acceptedBy ? `: ${s.acceptedBy}` : ''}`,
          `Date${s.date ? `: ${s.date}` : ''}`,
        ],
      },
    ],
  };
}

/** A nested document as `path: value` rows (`cpu.cores: 4`), arrays by index. */
function flatten(value: unknown, path = ''): [string, string][] {
  if (value === null || typeof value !== 'object') {
    return [[path || 'value', String(value)]];
  }
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [[path || 'value', Array.isArray(value) ? 'none' : '']];
  return entries.flatMap(([key, v]) => flatten(v, path ? `${path}.${key}` : key));
}

import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { maskSecrets } from '../../../shared/application-deployment/mask-secrets';
import { canonicalJson } from '../../../shared/compose/canonical-json';
import { CommissionerError } from '../../../shared/contract/contract-error';
import type { ApplicationDeployment } from '../../../shared/margo/application-deployment';
import {
  CommissioningReport,
  REPORT_FORMAT,
  type CommissioningReportBody,
  type ReportApp,
  type ReportDevice,
  type ReportParameter,
  type ReportSignature,
} from '../../../shared/report/commissioning-report';
import { secretParameters } from '../deployments/deployment-detail';
import { recoverInterruptedOperations } from '../deployments/recover-operations';
import { revisionImages } from '../deployments/revision-images';
import { compatibilityDevice } from '../devices/device-compatibility';
import type { ReportAudit } from '../report/report-audit';
import { storedAuditTrail } from '../report/stored-audit';
import { audited } from '../audit/audited';
import { showApplication } from '../store/catalog-reader';
import {
  componentStatuses,
  listDeployments,
  storedRevision,
  type DeploymentSummary,
} from '../store/deployment-journal';
import { getDevice, listDevices, type DeviceRecord } from '../store/device-inventory';
import { installationOwner } from '../store/installation';
import type { Store } from '../store/store';
import { artifactTrustFor } from '../trust/artifact-trust';
import { deviceView } from './list-devices';
import { noDevice } from './update-device';

export interface CommissioningReportInput {
  /** Every device of the inventory, or these, in this order. */
  devices: 'all' | readonly string[];
  /** Audit entries from this instant on (ISO 8601); null: the whole trail. */
  since: string | null;
  /** Where the audit entries and chain head come from (default: this data home's trail). */
  audit?: ReportAudit;
  /** For tests: the instant the report is made. */
  now?: Date;
}

/**
 * `report` / `reports.create`: the commissioning report of some devices — per device its facts
 * and capabilities, the apps it runs (version, profile, state, parameter values with secrets
 * masked as `deployments show` masks them, digests, signature verdicts), the audit entries of
 * the period and the chain head, blank sign-off lines, and the digest of all of it. Reads the
 * store only: the devices are not asked (their last probe and the recorded states are what the
 * report states, with when).
 */
export function commissioningReport(
  store: Store,
  input: CommissioningReportInput,
): CommissioningReport {
  // Made reports are on the trail with their digest: the entry after the head a report states
  // names that report, so a reader of `audit export` finds which report was handed over.
  return audited(
    store,
    {
      operation: 'report',
      target: input.devices === 'all' ? 'all devices' : input.devices.join(','),
      inputs: {
        devices: input.devices === 'all' ? 'all' : [...input.devices],
        since: input.since,
      },
    },
    () => buildReport(store, input, input.audit ?? storedAuditTrail(store)),
    (report) => ({ inputs: { digest: report.digest, auditHead: report.audit.head } }),
  );
}

function buildReport(
  store: Store,
  input: CommissioningReportInput,
  audit: ReportAudit,
): CommissioningReport {
  recoverInterruptedOperations(store);
  const devices = chosenDevices(store, input.devices);
  const deployments = listDeployments(store);
  const verdicts = new Map<string, ReportSignature[]>();
  const signaturesOf = (appId: string, version: string) => {
    const key = `${appId}@${version}`;
    let found = verdicts.get(key);
    if (!found) {
      found = artifactTrustFor(store, appId, version).map((t) => ({
        kind: t.kind,
        name: t.name,
        artifact: t.artifact,
        verdict: t.verdict,
        signer: t.signer,
        reason: t.reason,
        policy: t.policy.level,
      }));
      verdicts.set(key, found);
    }
    return found;
  };
  const names = devices.map((d) => d.name);
  const body: CommissioningReportBody = {
    format: REPORT_FORMAT,
    generatedAt: (input.now ?? new Date()).toISOString(),
    generatedBy: installationOwner(store),
    scope: input.devices === 'all' ? 'all' : 'devices',
    since: input.since,
    devices: devices.map((device) =>
      reportDevice(
        store,
        device,
        deployments.filter((d) => d.device === device.name),
        signaturesOf,
      ),
    ),
    audit: {
      entries: audit.entries(input.since, input.devices === 'all' ? null : names),
      head: audit.head(),
    },
    signOff: { commissionedBy: null, acceptedBy: null, date: null },
  };
  return CommissioningReport.parse({ ...body, digest: reportDigest(body) });
}

/** `sha256:` + hex of the canonical JSON of the report without its digest. */
export function reportDigest(body: CommissioningReportBody): string {
  const { digest: _ignored, ...rest } = body as CommissioningReportBody & { digest?: string };
  return `sha256:${createHash('sha256').update(canonicalJson(rest), 'utf8').digest('hex')}`;
}

function chosenDevices(store: Store, wanted: 'all' | readonly string[]): DeviceRecord[] {
  if (wanted === 'all') return listDevices(store);
  if (wanted.length === 0) {
    throw new CommissionerError(
      'invalid-input',
      'name at least one device for the report, or ask for every device',
      { field: 'devices' },
    );
  }
  const unique = [...new Set(wanted)];
  return unique.map((name) => {
    const device = getDevice(store, name);
    if (!device) throw noDevice(name);
    return device;
  });
}

function reportDevice(
  store: Store,
  device: DeviceRecord,
  deployments: readonly DeploymentSummary[],
  signaturesOf: (appId: string, version: string) => ReportSignature[],
): ReportDevice {
  const view = deviceView(device);
  const probe = device.lastProbe;
  return {
    name: device.name,
    kind: device.kind,
    address: view.connection.address,
    addedAt: device.addedAt,
    labels: device.labels,
    described: device.described,
    hostAccess: device.hostAccess,
    lastProbe: probe
      ? { probedAt: probe.probedAt, reachable: probe.reachable, error: probe.error }
      : null,
    facts: device.lastGood?.facts ?? null,
    capabilities: compatibilityDevice(device)?.capabilities ?? null,
    apps: deployments.map((d) => reportApp(store, d, signaturesOf)),
  };
}

function reportApp(
  store: Store,
  deployment: DeploymentSummary,
  signaturesOf: (appId: string, version: string) => ReportSignature[],
): ReportApp {
  const revision = storedRevision(store, deployment.id, deployment.revision);
  const app = showApplication(store.db, deployment.appId, deployment.version);
  return {
    deploymentId: deployment.id,
    appId: deployment.appId,
    appName: app?.name ?? null,
    version: deployment.version,
    profile: deployment.profile,
    state: deployment.state,
    revision: deployment.revision,
    updatedAt: deployment.updatedAt,
    deploymentDigest: revision?.digest ?? null,
    parameters: revision ? maskedParameters(store, deployment, revision.deployment) : [],
    components: componentStatuses(store, deployment.id).map((c) => ({
      name: c.name,
      state: c.state,
    })),
    images: revision ? revisionImages(revision.rendered) : [],
    signatures: signaturesOf(deployment.appId, deployment.version),
  };
}

/** The revision's parameter values, secrets replaced by the mask `deployments show` uses. */
function maskedParameters(
  store: Store,
  deployment: DeploymentSummary,
  yaml: string,
): ReportParameter[] {
  const parsed = parse(yaml) as ApplicationDeployment;
  const secrets = secretParameters(store, deployment, parsed);
  const masked = maskSecrets(parsed, secrets);
  return Object.entries(masked.spec.parameters ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, p]) => ({
      name,
      value: typeof p.value === 'string' ? p.value : JSON.stringify(p.value),
      secret: secrets.includes(name),
    }));
}

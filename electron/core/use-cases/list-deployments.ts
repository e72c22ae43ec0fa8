import type {
  DeploymentListEntry,
  DeploymentSummary,
  DeviceCheck,
  DriftFinding,
} from '../../../shared/contract/deployments';
import { checkAllDevices } from '../live-state/check-devices';
import { deviceChecks } from '../store/live-state-table';
import {
  componentStatuses,
  findDeployment,
  listDeployments as listRecorded,
} from '../store/deployment-journal';
import { recoverInterruptedOperations } from '../deployments/recover-operations';
import { showApplication } from '../store/catalog-reader';
import type { Store } from '../store/store';

/**
 * The deployments, one line each (`deployments list --json`): those on their devices, and the
 * removed ones too with `includeRemoved` (`--all`).
 */
export function listDeployments(
  store: Store,
  options: { includeRemoved?: boolean } = {},
): DeploymentSummary[] {
  recoverInterruptedOperations(store);
  return listRecorded(store, options);
}

/**
 * `deployments list --json` after `--refresh`: each summary with what drifted on its device
 * (every component's findings) and when the device was last asked (null: not yet).
 */
export function deploymentLines(
  store: Store,
  options: { includeRemoved?: boolean } = {},
): (DeploymentSummary & { drift: DriftFinding[]; checkedAt: string | null })[] {
  const checks = new Map(deviceChecks(store).map((c) => [c.device, c]));
  return listDeployments(store, options).map((summary) => ({
    ...summary,
    drift: componentStatuses(store, summary.id).flatMap((c) => c.drift ?? []),
    checkedAt: checks.get(summary.device)?.checkedAt ?? null,
  }));
}

/**
 * The Deployments screen's rows: each with its components' states, drift and error, whether
 * another installation took it over, and when its device was last asked.
 */
export function deploymentRows(
  store: Store,
  options: { includeRemoved?: boolean } = {},
): DeploymentListEntry[] {
  const checks = new Map(deviceChecks(store).map((c) => [c.device, c]));
  return listDeployments(store, options).map((summary) => {
    const record = findDeployment(store, summary.id);
    return {
      ...summary,
      appName: showApplication(store.db, summary.appId, summary.version)?.name ?? null,
      error: record?.error ?? null,
      takenOver: record?.takenOver ?? null,
      components: componentStatuses(store, summary.id).map((c) => ({
        name: c.name,
        state: c.state,
        // Only where something drifted: rows stay as they were otherwise.
        ...(c.drift && c.drift.length > 0 ? { drift: c.drift } : {}),
      })),
      check: checks.get(summary.device) ?? null,
    };
  });
}

/**
 * `deployments list --refresh`, Refresh all: every device with settled deployments is asked
 * what it runs (states and drift recorded), then the deployments are listed.
 */
export async function refreshAllDeployments(store: Store): Promise<DeviceCheck[]> {
  recoverInterruptedOperations(store);
  return checkAllDevices(store, 'refresh');
}

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
 * `deployments list --json`: each summary with what drifted on its device (every component's
 * findings) and when the device was last asked (null: not yet).
 */
export function deploymentLines(
  store: Store,
): (DeploymentSummary & { drift: DriftFinding[]; checkedAt: string | null })[] {
  const checks = new Map(deviceChecks(store).map((c) => [c.device, c]));
  return listDeployments(store).map((summary) => ({
    ...summary,
    drift: componentStatuses(store, summary.id).flatMap((c) => c.drift ?? []),
    checkedAt: checks.get(summary.device)?.checkedAt ?? null,
  }));
}

/** Every deployment, one line each. */
export function listDeployments(store: Store): DeploymentSummary[] {
  recoverInterruptedOperations(store);
  return listRecorded(store);
}

/**
 * The Deployments screen's rows: each with its components' states, drift and error, and when
 * its device was last asked.
 */
export function deploymentRows(store: Store): DeploymentListEntry[] {
  const checks = new Map(deviceChecks(store).map((c) => [c.device, c]));
  return listDeployments(store).map((summary) => ({
    ...summary,
    appName: showApplication(store.db, summary.appId, summary.version)?.name ?? null,
    error: findDeployment(store, summary.id)?.error ?? null,
    components: componentStatuses(store, summary.id).map((c) => ({
      name: c.name,
      state: c.state,
      // Only where something drifted: rows stay as they were otherwise.
      ...(c.drift && c.drift.length > 0 ? { drift: c.drift } : {}),
    })),
    check: checks.get(summary.device) ?? null,
  }));
}

/**
 * `deployments list --refresh`, Refresh all: every device with settled deployments is asked
 * what it runs (states and drift recorded), then the deployments are listed.
 */
export async function refreshAllDeployments(store: Store): Promise<DeviceCheck[]> {
  recoverInterruptedOperations(store);
  return checkAllDevices(store, 'refresh');
}

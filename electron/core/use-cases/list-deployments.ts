import type { DeploymentListEntry, DeploymentSummary } from '../../../shared/contract/deployments';
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

/** The Deployments screen's rows: each with its components' states and its error. */
export function deploymentRows(
  store: Store,
  options: { includeRemoved?: boolean } = {},
): DeploymentListEntry[] {
  return listDeployments(store, options).map((summary) => ({
    ...summary,
    appName: showApplication(store.db, summary.appId, summary.version)?.name ?? null,
    error: findDeployment(store, summary.id)?.error ?? null,
    takenOver: findDeployment(store, summary.id)?.takenOver ?? null,
    components: componentStatuses(store, summary.id).map((c) => ({ name: c.name, state: c.state })),
  }));
}

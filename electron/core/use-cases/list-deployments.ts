import type { DeploymentListEntry, DeploymentSummary } from '../../../shared/contract/deployments';
import {
  componentStatuses,
  findDeployment,
  listDeployments as listRecorded,
} from '../store/deployment-journal';
import { recoverInterruptedOperations } from '../deployments/recover-operations';
import { showApplication } from '../store/catalog-reader';
import type { Store } from '../store/store';

/** Every deployment, one line each (`deployments list --json`). */
export function listDeployments(store: Store): DeploymentSummary[] {
  recoverInterruptedOperations(store);
  return listRecorded(store);
}

/** The Deployments screen's rows: each with its components' states and its error. */
export function deploymentRows(store: Store): DeploymentListEntry[] {
  return listDeployments(store).map((summary) => ({
    ...summary,
    appName: showApplication(store.db, summary.appId, summary.version)?.name ?? null,
    error: findDeployment(store, summary.id)?.error ?? null,
    takenOver: findDeployment(store, summary.id)?.takenOver ?? null,
    components: componentStatuses(store, summary.id).map((c) => ({ name: c.name, state: c.state })),
  }));
}

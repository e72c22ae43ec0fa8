import type { DeploymentListEntry } from '../../../shared/contract/deployments';
import { deploymentDetail } from '../deployments/deployment-detail';
import { deploymentLogs } from '../deployments/docker/deployment-logs';
import {
  componentStatuses,
  findDeployment,
  listDeployments,
  type DeploymentDetail,
  type DeploymentRecord,
} from '../deployments/deployment-records';
import { isMargoDeployment } from '../deployments/margo/margo-placement';
import { refreshStatus } from '../deployments/docker/refresh-status';

import { showApplication } from '../store/catalog-reader';
import type { Store } from '../store/store';
import { DeploymentNotFoundError } from './deploy-job';

function lookup(store: Store, id: string): DeploymentRecord {
  const deployment = findDeployment(store, id);
  if (!deployment)
    throw new DeploymentNotFoundError(`no deployment ${id}: it may have been removed`);
  return deployment;
}

/** The Deployments screen's rows: each with its components' states and its error. */
export function deploymentList(store: Store): DeploymentListEntry[] {
  return listDeployments(store).map((summary) => {
    const record = findDeployment(store, summary.id);
    return {
      ...summary,
      appName: showApplication(store.db, summary.appId, summary.version)?.name ?? null,
      error: record?.error ?? null,
      components: componentStatuses(store, summary.id).map((c) => ({
        name: c.name,
        state: c.state,
      })),
    };
  });
}

export function showDeployment(store: Store, id: string): DeploymentDetail {
  return deploymentDetail(store, lookup(store, id));
}

/**
 * Asks the device what runs now (containers gone, restarting, exited) and records it; when
 * the device does not answer, the recorded state is shown and the error says why.
 */
export async function refreshDeployment(store: Store, id: string): Promise<DeploymentDetail> {
  const deployment = lookup(store, id);
  // A Margo device's state is what its client last reported: there is nothing to ask.
  if (!isMargoDeployment(store, deployment)) await refreshStatus(store, deployment);
  return deploymentDetail(store, lookup(store, id));
}

export function logsOf(store: Store, id: string, tail = 200) {
  const deployment = lookup(store, id);
  if (isMargoDeployment(store, deployment)) {
    throw new LogsUnavailableError(
      `${deployment.device} is a Margo device: its client reports states, not container logs (read them on the device)`,
    );
  }
  return deploymentLogs(store, deployment, { tail });
}

export class LogsUnavailableError extends Error {
  override name = 'LogsUnavailableError';
}

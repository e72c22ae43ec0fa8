import { CommissionerError } from '../../../shared/contract/contract-error';
import type { ServiceLogsView } from '../../../shared/contract/deploy';
import type { FollowHandlers, SavedLogs } from '../deployments/deployment-target';
import { targetOfDeployment } from '../deployments/deployment-targets';
import type { Store } from '../store/store';
import { recordedDeployment } from './show-deployment';

/** What a deployment's containers printed last (one component or service, or all). */
export async function deploymentLogs(
  store: Store,
  id: string,
  options: { tail?: number; component?: string; service?: string } = {},
): Promise<ServiceLogsView> {
  const tail = options.tail ?? 200;
  if (!Number.isInteger(tail) || tail <= 0) {
    throw new CommissionerError('invalid-input', `${tail} lines is not a positive whole number`, {
      field: 'tail',
    });
  }
  const deployment = recordedDeployment(store, id);
  return targetOfDeployment(store, deployment).logs(store, deployment, {
    tail,
    ...(options.component !== undefined ? { component: options.component } : {}),
    ...(options.service !== undefined ? { service: options.service } : {}),
  });
}

/**
 * Follows a deployment's logs: what its containers print from now on (after `tail` earlier
 * lines, default none) goes to `handlers` until the returned function is called or every
 * container's stream ended. Margo devices keep their logs: not supported there.
 */
export async function followDeploymentLogs(
  store: Store,
  id: string,
  options: { tail?: number },
  handlers: FollowHandlers,
): Promise<() => void> {
  const tail = options.tail ?? 0;
  if (!Number.isInteger(tail) || tail < 0) {
    throw new CommissionerError('invalid-input', `${tail} lines is not a whole number`, {
      field: 'tail',
    });
  }
  const deployment = recordedDeployment(store, id);
  return targetOfDeployment(store, deployment).followLogs(store, deployment, { tail }, handlers);
}

/** Writes every line a deployment's containers printed to `file` (a download, a saved file). */
export async function saveDeploymentLogs(
  store: Store,
  id: string,
  file: string,
): Promise<SavedLogs> {
  const deployment = recordedDeployment(store, id);
  return targetOfDeployment(store, deployment).saveLogs(store, deployment, file);
}

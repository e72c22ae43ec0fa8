import { CommissionerError } from '../../../shared/contract/contract-error';
import type { ServiceLogsView } from '../../../shared/contract/deploy';
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

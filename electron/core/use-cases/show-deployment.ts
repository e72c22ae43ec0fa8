import { notFound, type ContractError } from '../../../shared/contract/contract-error';
import type { DeploymentDetail } from '../../../shared/contract/deployments';
import { deploymentDetail } from '../deployments/deployment-detail';
import { findDeployment, type DeploymentRecord } from '../store/deployment-journal';
import { targetOfDeployment } from '../deployments/deployment-targets';
import { recoverInterruptedOperations } from '../deployments/recover-operations';
import { toContractError } from '../errors/to-contract-error';
import type { Store } from '../store/store';

/** A deployment by id, or by a unique prefix of it (4 characters or more). */
export function recordedDeployment(store: Store, id: string): DeploymentRecord {
  const found = findDeployment(store, id);
  if (!found) {
    throw notFound(
      'deployment',
      id,
      `no deployment ${id}: it may have been removed (the deployments list shows them; a unique prefix of 4 or more characters will do)`,
    );
  }
  return found;
}

/**
 * One deployment: state per component, revisions, timeline, its YAML (secrets masked). With
 * `refresh`, the device is asked first and what it runs now is recorded; when it does not
 * answer, the recorded state is shown and `refreshError` says why.
 */
export async function showDeployment(
  store: Store,
  id: string,
  options: { refresh?: boolean } = {},
): Promise<{ detail: DeploymentDetail; refreshError?: ContractError }> {
  recoverInterruptedOperations(store);
  const deployment = recordedDeployment(store, id);
  let refreshError: ContractError | undefined;
  if (options.refresh) {
    try {
      await targetOfDeployment(store, deployment).refresh(store, deployment);
    } catch (e) {
      refreshError = toContractError(e, `asking ${deployment.device}`);
    }
  }
  return {
    detail: deploymentDetail(store, recordedDeployment(store, deployment.id)),
    ...(refreshError !== undefined ? { refreshError } : {}),
  };
}

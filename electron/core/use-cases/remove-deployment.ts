import { audited } from '../audit/audited';
import type { Removal } from '../deployments/deployment-target';
import { targetOfDeployment } from '../deployments/deployment-targets';
import { recoverInterruptedOperations } from '../deployments/recover-operations';
import type { Store } from '../store/store';
import { recordedDeployment } from './show-deployment';

/**
 * Removes a deployment from its device: containers and networks go, data volumes stay unless
 * `purgeVolumes` (a Margo device is asked, through its desired state, and reports back).
 */
export async function removeDeployment(
  store: Store,
  id: string,
  /** `takeOver`: also when another installation deployed it since (see `devices show`). */
  options: { purgeVolumes: boolean; takeOver?: boolean },
): Promise<{ deployment: ReturnType<typeof recordedDeployment>; removal: Removal }> {
  return audited(
    store,
    {
      operation: 'deployments.remove',
      target: id,
      inputs: {
        deploymentId: id,
        purgeVolumes: options.purgeVolumes,
        takeOver: options.takeOver === true,
      },
    },
    async () => {
      recoverInterruptedOperations(store);
      const deployment = recordedDeployment(store, id);
      const removal = await targetOfDeployment(store, deployment).remove(
        store,
        deployment,
        options,
      );
      return { deployment, removal };
    },
    ({ deployment }) => ({
      target: deployment.device,
      inputs: {
        deploymentId: deployment.id,
        app: deployment.appId,
        version: deployment.version,
        revision: deployment.revision,
      },
    }),
  );
}

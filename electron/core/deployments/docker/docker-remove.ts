import type { Store } from '../../store/store';
import { beginDeviceOperation } from '../../store/device-locks';
import { connectDevice } from './device-docker';
import {
  DeploymentJournal,
  componentStatuses,
  storedRevision,
  type DeploymentRecord,
} from '../../store/deployment-journal';
import { removeProject, type RemovedProject } from './remove-project';
import { RenderedRevision } from './rendered-revision';
import { composeProjectName } from './compose-project';
import { removeDeviceRecords } from './device-record-volume';
import { refuseUnlessOurs } from './device-ownership';
import { validateDocumentText } from '../../../../shared/validation/validate-document';
import type { ApplicationDeployment } from '../../../../shared/margo/application-deployment';
import type { StoredRevision } from '../../store/deployment-journal';

/**
 * `deployments remove <id> [--purge-volumes]`: every component's containers and networks go
 * (and the delivered files); data volumes stay unless purged. The deployment stays in the
 * records as `removed` (listed with `--all`), its history ended: deploying the app there again
 * starts a new one, which no rollback leaves.
 */
export async function removeDockerDeployment(
  store: Store,
  deployment: DeploymentRecord,
  options: { purgeVolumes: boolean; takeOver?: boolean },
): Promise<RemovedProject[]> {
  const current = storedRevision(store, deployment.id, deployment.revision);
  const projects = current ? projectsOf(deployment.appId, current) : [];
  const { docker } = await connectDevice(store, deployment.device);
  await refuseUnlessOurs(store, docker, deployment, 'remove', options.takeOver === true);
  const operation = beginDeviceOperation(store, deployment.device, 'remove', deployment.id);
  const journal = new DeploymentJournal(store, deployment.id);
  try {
    journal.setState('removing');
    journal.setComponents(
      componentStatuses(store, deployment.id).map((c) => ({ name: c.name, state: 'removing' })),
    );
    const removed: RemovedProject[] = [];
    for (const { name, project } of projects) {
      const result = await removeProject(docker, project, options);
      removed.push(result);
      journal.event(
        'info',
        `removed ${name}: ${result.containers.length} containers, ${result.networks.length} networks${
          result.keptVolumes.length > 0
            ? `; data volumes kept: ${result.keptVolumes.join(', ')}`
            : ''
        }${options.purgeVolumes ? `; volumes purged: ${result.volumes.join(', ') || 'none'}` : ''}`,
        { revision: deployment.revision, component: name },
      );
    }
    // The device no longer runs it: its record goes too (no one is to adopt what is not there).
    await removeDeviceRecords(docker, deployment.appId);
    journal.setComponents(projects.map((p) => ({ name: p.name, state: 'removed' })));
    journal.setState('removed');
    journal.endHistory(deployment.revision);
    operation.finish('succeeded');
    return removed;
  } catch (e) {
    journal.setState('failed', {
      code: 'remove-failed',
      message: `removing failed: ${(e as Error).message}`,
      source: deployment.id,
    });
    operation.finish('failed', (e as Error).message);
    throw e;
  }
}

/**
 * The compose projects of a revision: from its rendered models, or — for a revision adopted
 * from a device's record, which has none — from its deployment's components.
 */
function projectsOf(appId: string, stored: StoredRevision): { name: string; project: string }[] {
  if (stored.rendered !== null) {
    return RenderedRevision.parse(stored.rendered).components.map((c) => ({
      name: c.name,
      project: c.project,
    }));
  }
  const checked = validateDocumentText(stored.deployment, { file: 'adopted deployment' });
  if (checked.kind !== 'ApplicationDeployment' || !checked.shapeValid) return [];
  return (checked.value as ApplicationDeployment).spec.deploymentProfile.components.map((c) => ({
    name: c.name,
    project: composeProjectName(appId, c.name),
  }));
}

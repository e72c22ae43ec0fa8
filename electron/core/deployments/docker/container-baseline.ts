import type Docker from 'dockerode';
import type { RenderedRevision } from './rendered-revision';
import { recordContainers, type RecordedContainer } from '../../store/live-state-table';
import type { Store } from '../../store/store';
import { inspectProject, snapshotOf } from './container-snapshot';

/**
 * After Commissioner applied a revision: its containers as they are now become the baseline
 * that changes made outside Commissioner are measured against.
 */
export async function recordDeployedContainers(
  store: Store,
  docker: Docker,
  deploymentId: string,
  rendered: RenderedRevision,
): Promise<void> {
  const containers: RecordedContainer[] = [];
  for (const component of rendered.components) {
    const found = await inspectProject(docker, component.project);
    for (const service of component.model.services) {
      const inspect = found.get(service.name);
      if (!inspect) continue;
      containers.push({
        component: component.name,
        service: service.name,
        containerId: inspect.Id,
        snapshot: snapshotOf(inspect),
      });
    }
  }
  recordContainers(store, deploymentId, containers, { replace: true });
}

import { COMPOSE_LABELS } from '../../../../shared/compose/compose-names';
import type { Store } from '../../store/store';
import { demuxLogs } from './container-diagnosis';
import { connectDevice } from './device-docker';
import { storedRevision, type DeploymentRecord } from '../../store/deployment-journal';
import { RenderedRevision } from './rendered-revision';

export interface ServiceLogs {
  component: string;
  service: string;
  container: string;
  text: string;
}

/** The last lines each container of a deployment printed (one component, or all). */
export async function deploymentLogs(
  store: Store,
  deployment: DeploymentRecord,
  options: { component?: string; service?: string; tail: number },
): Promise<ServiceLogs[]> {
  const current = storedRevision(store, deployment.id, deployment.revision);
  const components =
    current && current.rendered !== null ? RenderedRevision.parse(current.rendered).components : [];
  const wanted = components.filter(
    (c) => options.component === undefined || c.name === options.component,
  );
  if (options.component !== undefined && wanted.length === 0) {
    throw new Error(
      `deployment ${deployment.id} has no component ${options.component} (it has ${components.map((c) => c.name).join(', ')})`,
    );
  }
  const { docker } = await connectDevice(store, deployment.device);
  const out: ServiceLogs[] = [];
  for (const component of wanted) {
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`${COMPOSE_LABELS.project}=${component.project}`] },
    });
    for (const c of containers) {
      const service = c.Labels[COMPOSE_LABELS.service] ?? '';
      if (options.service !== undefined && service !== options.service) continue;
      const raw = (await docker.getContainer(c.Id).logs({
        stdout: true,
        stderr: true,
        tail: options.tail,
        timestamps: true,
        follow: false,
      })) as unknown as Buffer;
      out.push({
        component: component.name,
        service,
        container: (c.Names[0] ?? c.Id).replace(/^\//, ''),
        text: demuxLogs(raw),
      });
    }
  }
  return out.sort((a, b) => (a.component + a.service < b.component + b.service ? -1 : 1));
}

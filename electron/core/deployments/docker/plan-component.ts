import type Docker from 'dockerode';
import { containerName } from '../../../../shared/compose/compose-names';
import { planProject, type PlanItem, type ServiceDrift } from '../../../../shared/compose/plan';
import { containerNameOwners, projectContainers } from './project-state';
import type { RenderedComponent } from './rendered-revision';

export interface ComponentPlan {
  component: string;
  project: string;
  items: PlanItem[];
}

/**
 * What applying a component changes on the device: its containers compared with the desired
 * config hashes, with reasons taken from the revision installed now (`previous`), and hints
 * when only the image behind a tag or a delivered file changed.
 */
export async function planComponent(
  docker: Docker,
  component: RenderedComponent,
  previous: RenderedComponent | undefined,
  /** Per service, what was changed on the device outside Commissioner (the plan's first reason). */
  drift: ReadonlyMap<string, ServiceDrift> = new Map(),
): Promise<ComponentPlan> {
  const actual = await projectContainers(docker, component.project);
  const desired = component.services.map((service) => {
    const service0 = component.model.services.find((s) => s.name === service.name);
    const before = previous?.services.find((s) => s.name === service.name);
    const changedFiles = before
      ? Object.keys({ ...before.files, ...service.files }).filter(
          (path) => before.files[path] !== service.files[path],
        )
      : [];
    const drifted = drift.get(service.name);
    return {
      service: service.name,
      hash: service.hash,
      dependsOn: (service0?.dependsOn ?? []).map((d) => d.service),
      ...(drifted ? { drift: drifted } : {}),
      ...(before
        ? {
            hints: {
              imageContent: before.image === service.image && before.imageId !== service.imageId,
              files: changedFiles,
            },
          }
        : {}),
    };
  });
  const items = planProject({
    desired,
    actual,
    ...(previous ? { previous: previous.model } : {}),
    next: component.model,
  });
  return { component: component.name, project: component.project, items };
}

/**
 * Container names another project (or something not made by compose) already has on the
 * device: a deployment that needs them would fail half-way, so it is refused before anything
 * changes.
 */
export async function containerNameClashes(
  docker: Docker,
  components: readonly RenderedComponent[],
): Promise<string[]> {
  const owners = await containerNameOwners(docker);
  const clashes: string[] = [];
  for (const component of components) {
    for (const service of component.model.services) {
      const name = containerName(component.project, service);
      const owner = owners.get(name);
      if (owner !== undefined && owner !== component.project) {
        clashes.push(
          `service ${service.name} of ${component.name} needs the container name ${name}, which ${owner ? `the compose project ${owner}` : 'a container not made by compose'} already uses on the device: remove that container or change container_name`,
        );
      }
    }
  }
  return clashes;
}

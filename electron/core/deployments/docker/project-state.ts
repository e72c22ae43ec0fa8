import type Docker from 'dockerode';
import { COMPOSE_LABELS } from '../../../../shared/compose/compose-names';
import { containerStateOf } from '../../../../shared/compose/container-state';
import type { ActualContainer } from '../../../../shared/compose/plan';

/** The containers of a compose project on a device, as the planner compares them. */
export async function projectContainers(
  docker: Docker,
  project: string,
): Promise<ActualContainer[]> {
  const listed = await docker.listContainers({
    all: true,
    filters: { label: [`${COMPOSE_LABELS.project}=${project}`] },
  });
  return listed
    .filter((c) => c.Labels[COMPOSE_LABELS.oneoff] !== 'True')
    .map((c) => {
      const state = containerStateOf(c.State);
      const exit = /^Exited \((-?\d+)\)/.exec(c.Status);
      const number = Number(c.Labels[COMPOSE_LABELS.containerNumber]);
      return {
        id: c.Id,
        name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
        service: c.Labels[COMPOSE_LABELS.service] ?? '',
        ...(c.Labels[COMPOSE_LABELS.configHash]
          ? { hash: c.Labels[COMPOSE_LABELS.configHash] }
          : {}),
        state,
        ...(exit ? { exitCode: Number(exit[1]) } : {}),
        ...(Number.isInteger(number) && number > 0 ? { containerNumber: number } : {}),
      };
    });
}

/**
 * Who has each container name on the device: the compose project that made it, or '' for a
 * container no compose project made. Names are unique per device, so a name another project
 * holds cannot be taken: checked before anything changes.
 */
export async function containerNameOwners(docker: Docker): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const c of await docker.listContainers({ all: true })) {
    for (const name of c.Names) {
      owners.set(name.replace(/^\//, ''), c.Labels[COMPOSE_LABELS.project] ?? '');
    }
  }
  return owners;
}

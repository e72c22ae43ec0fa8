import type Docker from 'dockerode';
import { COMPOSE_LABELS } from '../../../../shared/compose/compose-names';
import type { ContainerSnapshot } from '../../store/live-state-table';

/** The parts of `GET /containers/{id}/json` that live state reads. */
export interface InspectedContainer {
  Id: string;
  Name?: string;
  Image: string;
  State: { Status: string; ExitCode?: number; OOMKilled?: boolean; Health?: { Status: string } };
  Config: { Env?: string[] | null; Labels?: Record<string, string> | null };
  HostConfig: {
    PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
    RestartPolicy?: { Name?: string };
  };
  Mounts?: { Type?: string; Name?: string; Source?: string; Destination: string; RW?: boolean }[];
}

/** What a container is, in the terms drift is measured in. */
export function snapshotOf(inspect: InspectedContainer): ContainerSnapshot {
  const ports: Record<string, string[]> = {};
  for (const [port, bindings] of Object.entries(inspect.HostConfig.PortBindings ?? {})) {
    ports[port] = (bindings ?? [])
      .map((b) => `${b.HostIp ? `${b.HostIp}:` : ''}${b.HostPort ?? ''}`)
      .sort();
  }
  const mounts: Record<string, string> = {};
  for (const m of inspect.Mounts ?? []) {
    const source = m.Type === 'volume' && m.Name ? m.Name : (m.Source ?? '');
    mounts[m.Destination] = `${m.Type ?? 'bind'} ${source}${m.RW === false ? ' (read-only)' : ''}`;
  }
  return {
    name: (inspect.Name ?? inspect.Id).replace(/^\//, ''),
    imageId: inspect.Image,
    env: [...(inspect.Config.Env ?? [])].sort(),
    labels: { ...(inspect.Config.Labels ?? {}) },
    ports,
    mounts,
  };
}

/** The containers of a compose project on a device, inspected, by service (one-off runs left out). */
export async function inspectProject(
  docker: Docker,
  project: string,
): Promise<Map<string, InspectedContainer>> {
  const listed = await docker.listContainers({
    all: true,
    filters: { label: [`${COMPOSE_LABELS.project}=${project}`] },
  });
  const byService = new Map<string, InspectedContainer>();
  // Number 1 first: it is the one the planner keeps when there are duplicates.
  const ordered = [...listed]
    .filter((c) => c.Labels[COMPOSE_LABELS.oneoff] !== 'True')
    .sort(
      (a, b) =>
        Number(a.Labels[COMPOSE_LABELS.containerNumber] ?? 1e9) -
        Number(b.Labels[COMPOSE_LABELS.containerNumber] ?? 1e9),
    );
  for (const c of ordered) {
    const service = c.Labels[COMPOSE_LABELS.service] ?? '';
    if (byService.has(service)) continue;
    try {
      byService.set(
        service,
        (await docker.getContainer(c.Id).inspect()) as unknown as InspectedContainer,
      );
    } catch (e) {
      // Removed between the list and the inspect: as good as not there.
      if ((e as { statusCode?: number }).statusCode !== 404) throw e;
    }
  }
  return byService;
}

import type Docker from 'dockerode';
import { FILES_LABEL } from './project-files';

const PROJECT_LABEL = 'com.docker.compose.project';

export interface RemovedProject {
  containers: string[];
  networks: string[];
  /** Volumes removed: the project's delivered files always, its data volumes only when purged. */
  volumes: string[];
  /** Data volumes kept (removal never loses data unless asked to). */
  keptVolumes: string[];
}

/**
 * Removes a compose project from a device the way `docker compose down` does: its containers
 * (stopped within their grace period), then its networks. Named and anonymous data volumes
 * stay unless `purgeVolumes`; the volumes holding the project's delivered files always go
 * (they are copies of the archive, not data).
 */
export async function removeProject(
  docker: Docker,
  project: string,
  options: { purgeVolumes: boolean },
): Promise<RemovedProject> {
  const filter = { label: [`${PROJECT_LABEL}=${project}`] };
  const removed: RemovedProject = { containers: [], networks: [], volumes: [], keptVolumes: [] };
  const containers = await docker.listContainers({ all: true, filters: filter });
  await Promise.all(
    containers.map(async (c) => {
      const container = docker.getContainer(c.Id);
      if (c.State === 'running' || c.State === 'restarting' || c.State === 'paused') {
        // Without a `t`, Docker gives each container its own stop grace period.
        await container.stop().catch(ignoreGone);
      }
      // Anonymous volumes carry no project label: they go with their container, when purging.
      await container.remove({ force: true, v: options.purgeVolumes }).catch(ignoreGone);
      removed.containers.push((c.Names[0] ?? c.Id).replace(/^\//, ''));
    }),
  );
  for (const n of await docker.listNetworks({ filters: filter })) {
    await docker.getNetwork(n.Id).remove().catch(ignoreGone);
    removed.networks.push(n.Name);
  }
  const volumes = (await docker.listVolumes({ filters: filter })).Volumes ?? [];
  for (const v of volumes) {
    const isFiles = v.Labels?.[FILES_LABEL] !== undefined;
    if (isFiles || options.purgeVolumes) {
      await docker.getVolume(v.Name).remove().catch(ignoreGone);
      removed.volumes.push(v.Name);
    } else {
      removed.keptVolumes.push(v.Name);
    }
  }
  return removed;
}

function ignoreGone(e: { statusCode?: number }): void {
  if (e.statusCode !== 404 && e.statusCode !== 304) throw e;
}

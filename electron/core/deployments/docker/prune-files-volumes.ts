import type Docker from 'dockerode';
import { COMPOSE_LABELS } from '../../../../shared/compose/compose-names';
import { FILES_LABEL } from './project-files';
import type { RenderedRevision } from './rendered-revision';

/**
 * Removes the delivered-files volumes of a revision's projects that nothing uses any more:
 * neither a service of the revision now installed nor any container on the device (a
 * container binds its files by path, which Docker does not count as using the volume).
 * Older revisions' files come back from the store if they are ever rolled back to.
 */
export async function pruneFilesVolumes(
  docker: Docker,
  installed: RenderedRevision,
): Promise<string[]> {
  const keep = new Set(
    installed.components.flatMap((c) =>
      c.services.map((s) => s.filesVolume).filter((v): v is string => v !== null),
    ),
  );
  for (const c of await docker.listContainers({ all: true, filters: { label: [FILES_LABEL] } })) {
    const volume = c.Labels[FILES_LABEL];
    if (volume) keep.add(volume);
  }
  const removed: string[] = [];
  for (const component of installed.components) {
    const listed = await docker.listVolumes({
      filters: { label: [`${COMPOSE_LABELS.project}=${component.project}`, FILES_LABEL] },
    });
    for (const volume of listed.Volumes ?? []) {
      if (keep.has(volume.Name)) continue;
      await docker
        .getVolume(volume.Name)
        .remove()
        .catch(() => undefined);
      removed.push(volume.Name);
    }
  }
  return removed;
}

import type { DependsOnModel, NetworkModel, VolumeModel } from './compose-model';

/**
 * The labels docker compose v2 puts on what it creates. Commissioner writes the same, so
 * `docker compose ls` / `ps` on a device shows Commissioner's projects, and containers
 * created by either tool are recognised by the other.
 */
export const COMPOSE_LABELS = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  version: 'com.docker.compose.version',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  dependsOn: 'com.docker.compose.depends_on',
  image: 'com.docker.compose.image',
} as const;

/**
 * A project name as docker compose accepts it: lower-case letters, digits, `_` and `-`,
 * starting with a letter or digit (`Line-Monitor@2` → `line-monitor2`). Empty when nothing
 * usable is left.
 */
export function normalizeProjectName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

/** `<project>-<service>-<number>`, or the service's container_name. */
export function containerName(
  project: string,
  service: { name: string; containerName?: string },
  number = 1,
): string {
  return service.containerName ?? `${project}-${service.name}-${number}`;
}

/** `<project>_<name>`; the `name:` the file gives; an external network's own name. */
export function networkName(project: string, nameInFile: string, network: NetworkModel): string {
  return resourceName(project, nameInFile, network);
}

/** `<project>_<name>`; the `name:` the file gives; an external volume's own name. */
export function volumeName(project: string, nameInFile: string, volume: VolumeModel): string {
  return resourceName(project, nameInFile, volume);
}

function resourceName(
  project: string,
  nameInFile: string,
  resource: { external: boolean; name?: string },
): string {
  if (resource.name !== undefined) return resource.name;
  return resource.external ? nameInFile : `${project}_${nameInFile}`;
}

/** The value of `com.docker.compose.depends_on`: `db:service_healthy:false,…` (service:condition:restart). */
export function dependsOnLabel(dependsOn: readonly DependsOnModel[]): string {
  return dependsOn.map((d) => `${d.service}:${d.condition}:${d.restart}`).join(',');
}

export interface ContainerLabelInput {
  project: string;
  service: string;
  number?: number;
  /** sha256 (hex) of `serviceFingerprint`. */
  configHash: string;
  /** Where the project's files live on the device (docker compose: the folder of compose.yaml). */
  workingDir: string;
  configFiles: string;
  /** The compose version these labels claim; docker compose writes its own version. */
  version: string;
  /** The image id (sha256:…) the container runs. */
  imageId: string;
  dependsOn: readonly DependsOnModel[];
}

/** Every compose label of a service container, for `ContainerContext.labels`. */
export function containerLabels(input: ContainerLabelInput): Record<string, string> {
  return {
    [COMPOSE_LABELS.project]: input.project,
    [COMPOSE_LABELS.service]: input.service,
    [COMPOSE_LABELS.containerNumber]: String(input.number ?? 1),
    [COMPOSE_LABELS.oneoff]: 'False',
    [COMPOSE_LABELS.configHash]: input.configHash,
    [COMPOSE_LABELS.workingDir]: input.workingDir,
    [COMPOSE_LABELS.configFiles]: input.configFiles,
    [COMPOSE_LABELS.version]: input.version,
    [COMPOSE_LABELS.image]: input.imageId,
    [COMPOSE_LABELS.dependsOn]: dependsOnLabel(input.dependsOn),
  };
}

/** Labels of a network or volume the project creates. */
export function resourceLabels(
  kind: 'network' | 'volume',
  project: string,
  nameInFile: string,
  version: string,
): Record<string, string> {
  return {
    [COMPOSE_LABELS.project]: project,
    [COMPOSE_LABELS[kind]]: nameInFile,
    [COMPOSE_LABELS.version]: version,
  };
}

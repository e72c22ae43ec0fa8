import type Docker from 'dockerode';
import type { ComposeModel, ServiceModel } from '../../../../shared/compose/compose-model';
import { networkName, volumeName } from '../../../../shared/compose/compose-names';
import { DEFAULT_NETWORK, loadCompose } from '../../../../shared/compose/load-compose';
import { serviceFingerprint } from '../../../../shared/compose/service-fingerprint';
import type { ApplicationDeployment } from '../../../../shared/margo/application-deployment';
import type { Component } from '../../../../shared/margo/components';
import { normalizeImageName } from '../../../../shared/oci/reference';
import { sha256Hex } from '../../store/content-digest';
import { findImageRef } from '../../images/find-image-ref';
import { imageForDevice } from '../../images/image-for-device';
import { PlatformMismatchError, type Platform } from '../../images/select-platform';
import { extractComposeArchive } from '../../kit/compose-archive';
import type { Store } from '../../store/store';
import { composeProjectName } from './compose-project';
import {
  describeMissing,
  findComposeArchive,
  missingComposeArchive,
  missingImage,
  type MissingSource,
} from './compose-sources';
import {
  deliveredFileHash,
  filesVolumeName,
  projectFiles,
  type DeliveredFile,
} from './project-files';
import type { RenderedComponent, RenderedRevision, RenderedService } from './rendered-revision';

/** Where a config's content is put in a service's files volume. */
export const CONFIGS_FOLDER = '.configs';
/** Components without a `timeout`: as long as Helm waits by default. */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export interface PreparedComponent {
  rendered: RenderedComponent;
  /** Per service, the files its volume holds (archive binds and configs). */
  files: Map<string, Map<string, DeliveredFile>>;
}

export type PreparedRevision =
  | { ok: true; rendered: RenderedRevision; components: PreparedComponent[]; warnings: string[] }
  | { ok: false; problems: string[]; warnings: string[] };

/**
 * Everything a revision needs from the store, checked before anything on the device changes:
 * each component's compose archive (digest, the spec's archive rules), its compose file read
 * with the deployment's parameters as variables, every image it names (in the store for the
 * device's platform, or already on the device), and each service's config hash. What is
 * missing is listed all at once, with where to get it.
 */
export async function prepareRevision(
  store: Store,
  docker: Docker,
  deployment: ApplicationDeployment,
  platform: Platform,
): Promise<PreparedRevision> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const missing: MissingSource[] = [];
  const components: PreparedComponent[] = [];
  // One line per missing image, naming every service that needs it.
  const missingImages = new Map<string, { component: string; services: string[] }>();
  for (const component of deployment.spec.deploymentProfile.components) {
    const archive = findComposeArchive(store, component);
    if (!archive) {
      missing.push(missingComposeArchive(component));
      continue;
    }
    let files: Map<string, Buffer>;
    let modes: Map<string, number>;
    try {
      ({ files, modes } = await extractComposeArchive(archive.path, archive.digest));
    } catch (e) {
      problems.push(`component ${component.name}: ${(e as Error).message}`);
      continue;
    }
    const label = `${component.name}@${component.properties.revision ?? 'legacy'}/compose.yaml`;
    const loaded = loadCompose({
      text: files.get('compose.yaml')?.toString('utf8') ?? '',
      file: label,
      variables: variablesFor(deployment, component.name),
      readFile: (path) => files.get(path)?.toString('utf8'),
    });
    warnings.push(
      ...loaded.warnings.map((w) => `${w.file}:${w.line}:${w.column}: warning: ${w.message}`),
    );
    if (!loaded.ok) {
      problems.push(...loaded.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`));
      continue;
    }
    const project = composeProjectName(deployment.spec.applicationId, component.name);
    const services: RenderedService[] = [];
    const serviceFiles = new Map<string, Map<string, DeliveredFile>>();
    for (const service of loaded.model.services) {
      const image = await resolveImage(store, docker, service.image, platform);
      if ('missing' in image) {
        const entry = missingImages.get(service.image) ?? {
          component: component.name,
          services: [],
        };
        entry.services.push(service.name);
        missingImages.set(service.image, entry);
        continue;
      }
      if ('problem' in image) {
        problems.push(`service ${service.name} of ${component.name}: ${image.problem}`);
        continue;
      }
      const own = filesOfService(loaded.model, service, files, modes);
      const hashes = Object.fromEntries(
        [...own].map(([path, file]) => [path, deliveredFileHash(file)] as const),
      );
      const filesVolume = own.size > 0 ? filesVolumeName(project, projectFiles(own)) : null;
      serviceFiles.set(service.name, own);
      const fingerprint = serviceFingerprint(service, {
        imageId: image.imageId,
        files: hashes,
        networks: service.networks.map((n) =>
          networkName(project, n.name, loaded.model.networks[n.name] ?? DEFAULT_NETWORK),
        ),
        volumes: [
          ...namedVolumes(project, loaded.model, service),
          ...dataFolders(service, files).map((folder) => dataFolderVolume(project, folder)),
          ...(filesVolume ? [filesVolume] : []),
        ],
      });
      services.push({
        name: service.name,
        hash: sha256Hex(fingerprint),
        image: service.image,
        imageId: image.imageId,
        imageRef: image.refName,
        files: hashes,
        filesVolume,
        dataFolders: Object.fromEntries(
          dataFolders(service, files).map((folder) => [folder, dataFolderVolume(project, folder)]),
        ),
      });
    }
    components.push({
      rendered: {
        name: component.name,
        project,
        archive: { refName: archive.refName, digest: archive.digest },
        wait: component.properties.wait ?? true,
        timeoutMs: timeoutOf(component),
        model: loaded.model,
        services,
      },
      files: serviceFiles,
    });
  }
  for (const [image, { component, services }] of missingImages) {
    missing.push(
      missingImage(
        image,
        `${services.length > 1 ? 'services' : 'service'} ${services.join(', ')} of ${component}`,
      ),
    );
  }
  if (missing.length > 0) problems.unshift(describeMissing(missing));
  if (problems.length > 0) return { ok: false, problems, warnings };
  return {
    ok: true,
    rendered: { components: components.map((c) => c.rendered) },
    components,
    warnings,
  };
}

/**
 * The interpolation variables of one component: every parameter that targets it, under its
 * pointer (an environment variable name; the legacy `ENV.X` form is read as X). Lists become
 * comma-separated text, as environment variables hold them.
 */
export function variablesFor(
  deployment: ApplicationDeployment,
  component: string,
): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const parameter of Object.values(deployment.spec.parameters ?? {})) {
    for (const target of parameter.targets) {
      if (!target.components.includes(component)) continue;
      const name = target.pointer.replace(/^env\./i, '');
      variables[name] = Array.isArray(parameter.value)
        ? parameter.value.map(String).join(',')
        : String(parameter.value);
    }
  }
  return variables;
}

type ResolvedImage =
  { refName: string | null; imageId: string } | { missing: true } | { problem: string };

/** The image of a service: from the store for this platform, else as the device already has it. */
async function resolveImage(
  store: Store,
  docker: Docker,
  name: string,
  platform: Platform,
): Promise<ResolvedImage> {
  const refName = findImageRef(store, name);
  if (refName) {
    try {
      return { refName, imageId: imageForDevice(store, refName, name, platform).imageId };
    } catch (e) {
      if (e instanceof PlatformMismatchError) return { problem: e.message };
      throw e;
    }
  }
  const onDevice = await docker
    .getImage(name.includes('@') ? name : normalizeImageName(name))
    .inspect()
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode === 404) return undefined;
      throw e;
    });
  return onDevice ? { refName: null, imageId: onDevice.Id } : { missing: true };
}

/**
 * The files a service takes from the archive: what its relative binds name (a file, or every
 * file under a folder) and its configs (under `.configs/<name>`). A relative bind of a path
 * the archive does not hold is a data folder on the device, not a delivered file.
 */
export function filesOfService(
  model: ComposeModel,
  service: ServiceModel,
  archive: ReadonlyMap<string, Buffer>,
  modes: ReadonlyMap<string, number>,
): Map<string, DeliveredFile> {
  const own = new Map<string, DeliveredFile>();
  for (const mount of service.mounts) {
    if (mount.type !== 'bind' || mount.bindFrom !== 'archive' || mount.source === undefined)
      continue;
    const source = mount.source;
    for (const [path, content] of archive) {
      if (source === '.' || path === source || path.startsWith(`${source}/`)) {
        own.set(path, { content, mode: modes.get(path) ?? 0o644 });
      }
    }
  }
  for (const config of service.configs) {
    const content = model.configs[config.source]?.content ?? '';
    // Configs are read-only to the service unless the file says otherwise (docker's 0444).
    own.set(`${CONFIGS_FOLDER}/${config.source}`, {
      content: Buffer.from(content, 'utf8'),
      mode: config.mode ?? 0o444,
      ...numericId('uid', config.uid),
      ...numericId('gid', config.gid),
    });
  }
  return own;
}

function numericId(key: 'uid' | 'gid', value: string | undefined): { uid?: number; gid?: number } {
  return value !== undefined && /^\d+$/.test(value) ? { [key]: Number(value) } : {};
}

/** Relative binds of paths the archive does not hold: data folders, kept on the device. */
export function dataFolders(service: ServiceModel, archive: ReadonlyMap<string, Buffer>): string[] {
  return service.mounts
    .filter((m) => m.type === 'bind' && m.bindFrom === 'archive' && m.source !== undefined)
    .map((m) => m.source as string)
    .filter(
      (source) =>
        source !== '.' &&
        ![...archive.keys()].some((path) => path === source || path.startsWith(`${source}/`)),
    );
}

/**
 * The volume standing for a data folder a compose file binds relatively (`./data:/var/data`):
 * on a device there is no project folder, so the folder is a named volume of the project,
 * which, like any data volume, survives updates and goes only when purged.
 */
export function dataFolderVolume(project: string, folder: string): string {
  const slug = folder
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return `${project}_dir-${slug || 'data'}`;
}

/** Real names of the named volumes a service mounts (anonymous ones have none yet). */
function namedVolumes(project: string, model: ComposeModel, service: ServiceModel): string[] {
  return service.mounts
    .filter((m) => m.type === 'volume' && m.source !== undefined)
    .map((m) => {
      const volume = model.volumes[m.source as string];
      return volume ? volumeName(project, m.source as string, volume) : `${project}_${m.source}`;
    });
}

function timeoutOf(component: Component): number {
  const m = /^(\d+)m(\d+)s$/.exec(component.properties.timeout ?? '');
  if (!m) return DEFAULT_TIMEOUT_MS;
  const ms = (Number(m[1]) * 60 + Number(m[2])) * 1000;
  return ms > 0 ? ms : DEFAULT_TIMEOUT_MS;
}

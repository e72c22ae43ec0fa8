import type Docker from 'dockerode';
import type { ComposeModel, ServiceModel } from '../../../../shared/compose/compose-model';
import {
  containerLabels,
  containerName,
  networkName,
  resourceLabels,
  volumeName,
} from '../../../../shared/compose/compose-names';
import {
  containerCreateBody,
  extraNetworks,
  networkCreateBody,
  volumeCreateBody,
  type ContainerContext,
} from '../../../../shared/compose/container-create';
import { dependencyOrder } from '../../../../shared/compose/dependency-order';
import { DEFAULT_NETWORK } from '../../../../shared/compose/load-compose';
import type { PlanItem } from '../../../../shared/compose/plan';
import { diagnoseEngineError, type Diagnosis } from './container-diagnosis';
import { deviceStoppedAnswering, rawDetail } from './device-stopped-answering';
import {
  FILES_LABEL,
  deliverProjectFiles,
  projectFiles,
  type DeliveredFile,
} from './project-files';
import { CONFIGS_FOLDER } from './prepare-revision';
import type { RenderedComponent, RenderedService } from './rendered-revision';
import { waitForCondition, waitUntilSettled, type Deadline } from './wait-for-services';

/** docker compose v1 reads this label as a version (older than 1.21 means legacy names). */
export const COMPOSE_VERSION = '2.0.0';
export const DEPLOYMENT_LABEL = 'org.margo.deployment.id';
export const COMPONENT_LABEL = 'org.margo.deployment.component';

export interface ApplyInput {
  docker: Docker;
  deploymentId: string;
  revisionLabel: string;
  /** Who deploys (ownership-labels.ts): on every container and volume this creates. */
  ownership: Record<string, string>;
  component: RenderedComponent;
  /** Per service, the files its volume holds. */
  files: ReadonlyMap<string, ReadonlyMap<string, DeliveredFile>>;
  plan: readonly PlanItem[];
  log(level: 'info' | 'warning' | 'error', message: string): void;
  /** The device's inventory name, for the words when it stops answering. */
  device?: string;
}

export type ComponentOutcome = { state: 'installed' } | { state: 'failed'; error: Diagnosis };

class ApplyFailure extends Error {
  constructor(
    readonly diagnosis: Diagnosis,
    cause?: unknown,
  ) {
    super(diagnosis.message, { cause });
  }
}

/**
 * Makes one compose project on a device what the plan says: its networks and volumes, the
 * files its services take from the archive, then its services in dependency order — each
 * level started together once what it depends on is started, healthy or completed as the
 * file asks — recreating only what changed and never touching data volumes; then waits, if
 * the component asks to, until every service runs (healthy where it has a check) within the
 * component's timeout. A failure says which service and why.
 */
export async function applyComponent(input: ApplyInput): Promise<ComponentOutcome> {
  const { docker, component } = input;
  const deadline: Deadline = { at: Date.now() + component.timeoutMs, ms: component.timeoutMs };
  try {
    await ensureNetworks(input);
    await ensureVolumes(input);
    const byService = new Map(input.plan.map((p) => [p.service, p]));
    const mountpoints = await deliverFiles(input);
    // Every container is made first, together (creating is cheap and needs no dependency up);
    // then they start level by level, each once what it depends on is as the file asks.
    const prepared = new Map<string, Prepared>();
    await Promise.all(
      component.model.services.map(async (service) => {
        prepared.set(
          service.name,
          await prepareContainer(input, service, byService.get(service.name), mountpoints),
        );
      }),
    );
    const containers = new Map([...prepared].map(([name, p]) => [name, p.id]));
    for (const level of dependencyOrder(component.model)) {
      await Promise.all(
        level.map(async (name) => {
          const service = serviceModel(component.model, name);
          for (const dependency of service.dependsOn) {
            const id = containers.get(dependency.service);
            if (id === undefined) continue;
            await waitForCondition(
              docker,
              dependency.service,
              id,
              dependency.condition,
              deadline,
            ).catch((e: unknown) => {
              if (!dependency.required) return;
              throw e;
            });
          }
          await startPrepared(input, service, prepared.get(name) as Prepared);
        }),
      );
    }
    for (const item of input.plan.filter((p) => p.action === 'remove')) {
      for (const id of item.containerIds) await stopAndRemove(docker, id);
      input.log('info', `removed ${item.service} (${item.reasons.join('; ')})`);
    }
    if (component.wait) {
      await waitUntilSettled(docker, component, containers, deadline);
    }
    return { state: 'installed' };
  } catch (e) {
    // A device that stops answering mid-apply is said so first, whichever call noticed.
    const lost = deviceStoppedAnswering(e instanceof ApplyFailure ? e.cause : e, {
      device: input.device ?? 'the device',
      doing: `applying ${component.name}`,
    });
    if (lost) return { state: 'failed', error: lost };
    if (e instanceof ApplyFailure) return { state: 'failed', error: e.diagnosis };
    const diagnosis = (e as { diagnosis?: Diagnosis }).diagnosis;
    if (diagnosis) return { state: 'failed', error: diagnosis };
    return {
      state: 'failed',
      error: { ...diagnoseEngineError('(project)', e), detail: rawDetail(e) },
    };
  }
}

/** A service's container, made or found, and what is left to do with it. */
interface Prepared {
  id: string;
  /** Start it (created now, or found stopped), unpause it, or leave it as it is. */
  then: 'start' | 'unpause' | 'nothing';
  log?: string;
}

async function prepareContainer(
  input: ApplyInput,
  service: ServiceModel,
  item: PlanItem | undefined,
  mountpoints: ReadonlyMap<string, string>,
): Promise<Prepared> {
  const { docker } = input;
  const action = item?.action ?? 'create';
  const existing = item?.containerIds[0];
  if (action === 'unchanged' && existing) return { id: existing, then: 'nothing' };
  if (action === 'start' && existing) {
    const state = (await docker.getContainer(existing).inspect()) as {
      State: { Paused?: boolean };
    };
    return {
      id: existing,
      then: state.State.Paused ? 'unpause' : 'start',
      log: `started ${service.name} (${item?.reasons.join('; ') ?? ''})`,
    };
  }
  let anonymous = new Map<string, string>();
  if (action === 'recreate' && existing) {
    anonymous = await anonymousVolumes(docker, existing);
    await stopAndRemove(docker, existing);
  }
  const rendered = renderedService(input.component, service.name);
  const context = serviceContext(input, service, rendered, mountpoints, anonymous);
  const name = containerName(input.component.project, service);
  try {
    const container = await docker.createContainer({
      ...containerCreateBody(service, context),
      name,
    } as Docker.ContainerCreateOptions);
    for (const extra of extraNetworks(service, context)) {
      await docker
        .getNetwork(extra.networkName)
        .connect({ Container: container.id, EndpointConfig: extra.EndpointConfig });
    }
    return {
      id: container.id,
      then: 'start',
      log:
        action === 'recreate'
          ? `recreated ${service.name} (${item?.reasons.join('; ')})`
          : `created ${service.name}`,
    };
  } catch (e) {
    throw new ApplyFailure(diagnoseEngineError(service.name, e), e);
  }
}

async function startPrepared(
  input: ApplyInput,
  service: ServiceModel,
  prepared: Prepared,
): Promise<void> {
  if (prepared.then === 'nothing') return;
  const container = input.docker.getContainer(prepared.id);
  try {
    if (prepared.then === 'unpause') await container.unpause();
    else await container.start();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 304) {
      throw new ApplyFailure(diagnoseEngineError(service.name, e), e);
    }
  }
  if (prepared.log) input.log('info', prepared.log);
}

function serviceContext(
  input: ApplyInput,
  service: ServiceModel,
  rendered: RenderedService,
  mountpoints: ReadonlyMap<string, string>,
  anonymous: ReadonlyMap<string, string>,
): ContainerContext {
  const { component } = input;
  const model = component.model;
  const filesMount = rendered.filesVolume ? mountpoints.get(rendered.filesVolume) : undefined;
  return {
    projectName: component.project,
    // A name with a digest cannot be a tag on a loaded image: run it by id.
    imageRef: rendered.image.includes('@') ? rendered.imageId : rendered.image,
    labels: {
      ...containerLabels({
        project: component.project,
        service: service.name,
        number: 1,
        configHash: rendered.hash,
        workingDir: `/commissioner/${component.project}`,
        configFiles: `${component.archive.refName}/compose.yaml`,
        version: COMPOSE_VERSION,
        imageId: rendered.imageId,
        dependsOn: service.dependsOn,
      }),
      [DEPLOYMENT_LABEL]: input.deploymentId,
      [COMPONENT_LABEL]: component.name,
      'org.margo.deployment.revision': input.revisionLabel,
      ...input.ownership,
      ...(rendered.filesVolume ? { [FILES_LABEL]: rendered.filesVolume } : {}),
    },
    networkName: (n) => networkName(component.project, n, model.networks[n] ?? DEFAULT_NETWORK),
    volumeName: (n) =>
      volumeName(
        component.project,
        n,
        model.volumes[n] ?? { driverOpts: {}, external: false, labels: {} },
      ),
    anonymousVolume: (target) => anonymous.get(target),
    archivePath: (path) => {
      const folder = rendered.dataFolders[path];
      if (folder !== undefined) return mountpoints.get(folder) ?? folder;
      if (filesMount === undefined) {
        throw new ApplyFailure({
          code: 'files-missing',
          message: `service ${service.name} binds ${path} from the archive, but its files were not delivered`,
        });
      }
      return path === '.' ? filesMount : `${filesMount}/${path}`;
    },
    configPath: (name) => `${filesMount ?? ''}/${CONFIGS_FOLDER}/${name}`,
  };
}

async function ensureNetworks(input: ApplyInput): Promise<void> {
  const { docker, component } = input;
  const used = new Set(component.model.services.flatMap((s) => s.networks.map((n) => n.name)));
  for (const name of used) {
    const model = component.model.networks[name] ?? DEFAULT_NETWORK;
    const real = networkName(component.project, name, model);
    const found = await docker
      .getNetwork(real)
      .inspect()
      .catch((e: { statusCode?: number }) => {
        if (e.statusCode === 404) return undefined;
        throw e;
      });
    if (found) continue;
    if (model.external) {
      throw new ApplyFailure({
        code: 'network-missing',
        message: `the compose file expects the network ${real} to exist on the device (external: true), and it does not: create it on the device first`,
      });
    }
    await docker.createNetwork(
      networkCreateBody(name, model, real, {
        ...resourceLabels('network', component.project, name, COMPOSE_VERSION),
        ...input.ownership,
      }) as unknown as Docker.NetworkCreateOptions,
    );
    input.log('info', `created network ${real}`);
  }
}

async function ensureVolumes(input: ApplyInput): Promise<void> {
  const { docker, component } = input;
  const wanted: { name: string; body?: Record<string, unknown>; external?: boolean }[] = [];
  for (const [name, model] of Object.entries(component.model.volumes)) {
    const real = volumeName(component.project, name, model);
    wanted.push({
      name: real,
      external: model.external,
      body: volumeCreateBody(name, model, real, {
        ...resourceLabels('volume', component.project, name, COMPOSE_VERSION),
        ...input.ownership,
      }),
    });
  }
  for (const service of component.services) {
    for (const [folder, real] of Object.entries(service.dataFolders)) {
      wanted.push({
        name: real,
        body: {
          Name: real,
          Labels: {
            ...resourceLabels('volume', component.project, `./${folder}`, COMPOSE_VERSION),
            ...input.ownership,
          },
        },
      });
    }
  }
  for (const volume of wanted) {
    const found = await docker
      .getVolume(volume.name)
      .inspect()
      .catch((e: { statusCode?: number }) => {
        if (e.statusCode === 404) return undefined;
        throw e;
      });
    if (found) continue;
    if (volume.external) {
      throw new ApplyFailure({
        code: 'volume-missing',
        message: `the compose file expects the volume ${volume.name} to exist on the device (external: true), and it does not: create it on the device first`,
      });
    }
    await docker.createVolume(volume.body as Docker.VolumeCreateOptions);
    input.log('info', `created volume ${volume.name}`);
  }
}

/**
 * Delivers the files of the services about to get a new container (and the mountpoints of
 * their data folders), once per volume; services left as they are keep theirs.
 */
async function deliverFiles(input: ApplyInput): Promise<Map<string, string>> {
  const { docker, component } = input;
  const mountpoints = new Map<string, string>();
  const needed = new Set(
    input.plan
      .filter((p) => p.action === 'create' || p.action === 'recreate')
      .map((p) => p.service),
  );
  for (const service of component.services) {
    if (!needed.has(service.name)) continue;
    for (const volume of Object.values(service.dataFolders)) {
      if (mountpoints.has(volume)) continue;
      const info = (await docker.getVolume(volume).inspect()) as { Mountpoint: string };
      mountpoints.set(volume, info.Mountpoint);
    }
    if (!service.filesVolume || mountpoints.has(service.filesVolume)) continue;
    const files = input.files.get(service.name);
    if (!files) {
      // An older revision whose archive left the store: its files may still be on the device.
      const kept = await docker
        .getVolume(service.filesVolume)
        .inspect()
        .catch(() => undefined);
      if (kept) {
        mountpoints.set(service.filesVolume, (kept as { Mountpoint: string }).Mountpoint);
        continue;
      }
      throw new ApplyFailure({
        code: 'files-missing',
        message: `the files of service ${service.name} are not at hand (the compose archive ${component.archive.refName} is no longer in the store): import its kit again`,
      });
    }
    const delivered = await deliverProjectFiles(docker, {
      project: component.project,
      files: projectFiles(new Map(files)),
      image: service.imageId,
      labels: {
        ...resourceLabels('volume', component.project, 'commissioner-files', COMPOSE_VERSION),
        ...input.ownership,
      },
    });
    mountpoints.set(delivered.volume, delivered.mountpoint);
    input.log(
      'info',
      `delivered ${files.size} file${files.size === 1 ? '' : 's'} of ${service.name} to ${delivered.volume}`,
    );
  }
  return mountpoints;
}

/** The anonymous volumes of a container by mount path, to give them to its replacement. */
async function anonymousVolumes(docker: Docker, id: string): Promise<Map<string, string>> {
  const info = (await docker.getContainer(id).inspect()) as {
    Mounts?: { Type: string; Name?: string; Destination: string }[];
  };
  return new Map(
    (info.Mounts ?? [])
      .filter((m) => m.Type === 'volume' && m.Name !== undefined && /^[0-9a-f]{64}$/.test(m.Name))
      .map((m) => [m.Destination, m.Name as string]),
  );
}

export async function stopAndRemove(docker: Docker, id: string): Promise<void> {
  const container = docker.getContainer(id);
  await container.stop().catch((e: { statusCode?: number }) => {
    if (e.statusCode !== 304 && e.statusCode !== 404) throw e;
  });
  await container.remove({ force: true, v: false }).catch((e: { statusCode?: number }) => {
    if (e.statusCode !== 404) throw e;
  });
}

function serviceModel(model: ComposeModel, name: string): ServiceModel {
  const service = model.services.find((s) => s.name === name);
  if (!service) throw new Error(`no service ${name} in the model`);
  return service;
}

function renderedService(component: RenderedComponent, name: string): RenderedService {
  const service = component.services.find((s) => s.name === name);
  if (!service) throw new Error(`no rendered service ${name}`);
  return service;
}

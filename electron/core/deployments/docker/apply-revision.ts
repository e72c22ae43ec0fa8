import type Docker from 'dockerode';
import type { MargoState } from '../../../../shared/compose/margo-state';
import {
  sideLoadImages,
  SideLoadError,
  type SideLoadProgress,
  type SideLoadResult,
} from '../../images/side-load';
import type { Platform } from '../../images/select-platform';
import { extractComposeArchive } from '../../kit/compose-archive';
import type { Store } from '../../store/store';
import { recordDeployedContainers } from './container-baseline';
import { applyComponent } from './apply-component';
import type { Diagnosis } from './container-diagnosis';
import { deviceStoppedAnswering, rawDetail } from './device-stopped-answering';
import type { DeploymentJournal } from '../../store/deployment-journal';
import { planComponent, type ComponentPlan } from './plan-component';
import { filesOfService } from './prepare-revision';
import type { DeliveredFile } from './project-files';
import { removeProject } from './remove-project';
import type { RenderedComponent, RenderedRevision } from './rendered-revision';

/** Files per component, per service, per path. */
export type RevisionFiles = ReadonlyMap<
  string,
  ReadonlyMap<string, ReadonlyMap<string, DeliveredFile>>
>;

export interface RevisionApplyInput {
  store: Store;
  docker: Docker;
  /** The device's inventory name: failures name it. */
  device: string;
  platform: Platform;
  deploymentId: string;
  revision: number;
  rendered: RenderedRevision;
  /** What the device runs now, to say why services change and to remove dropped components. */
  previous?: RenderedRevision | undefined;
  /** The files prepared with the revision; for an older revision they are read from the store. */
  files?: RevisionFiles;
  journal: DeploymentJournal;
  /** Who deploys this revision, as labels for what it creates (ownership-labels.ts). */
  ownership?: Record<string, string>;
  onProgress?: (message: string) => void;
  /** Every chunk of every image sent (the UI's byte counters; onProgress says it in tenths). */
  onImageProgress?: (progress: SideLoadProgress) => void;
}

export interface ComponentResult {
  name: string;
  state: MargoState;
  error?: Diagnosis;
}

export interface RevisionOutcome {
  ok: boolean;
  components: ComponentResult[];
  plans: ComponentPlan[];
  sideLoaded: SideLoadResult[];
  /** The first failure, with the component it happened in. */
  failure?: { component: string; diagnosis: Diagnosis };
}

/**
 * Puts a rendered revision on the device: side-loads its images, then applies its components
 * in order (the first failure stops the rest), then removes the projects of components the
 * previous revision had and this one does not (their data volumes stay).
 */
export async function applyRevision(input: RevisionApplyInput): Promise<RevisionOutcome> {
  const outcome = await applyRevisionSteps(input);
  // What Commissioner made is now the baseline changes outside it are measured against, also
  // after a failure (the containers it did make are ours); a device gone silent keeps the old.
  await recordDeployedContainers(
    input.store,
    input.docker,
    input.deploymentId,
    input.rendered,
  ).catch(() => undefined);
  return outcome;
}

async function applyRevisionSteps(input: RevisionApplyInput): Promise<RevisionOutcome> {
  const { docker, rendered, journal } = input;
  const outcome: RevisionOutcome = { ok: true, components: [], plans: [], sideLoaded: [] };
  const pending = (from: number) =>
    rendered.components.slice(from).map((c) => ({ name: c.name, state: 'pending' as MargoState }));

  const images = uniqueImages(rendered.components);
  if (images.length > 0) {
    try {
      // Every tenth of an image is news; every chunk is noise.
      const reported = new Map<string, number>();
      outcome.sideLoaded = await sideLoadImages(
        docker,
        input.store,
        images,
        input.platform,
        (p) => {
          input.onImageProgress?.(p);
          const tenth = Math.floor((p.bytesSent / Math.max(p.totalBytes, 1)) * 10);
          if (reported.get(p.image) === tenth) return;
          reported.set(p.image, tenth);
          input.onProgress?.(
            `side-loading ${p.image}: ${mib(p.bytesSent)} of ${mib(p.totalBytes)}`,
          );
        },
      );
      for (const r of outcome.sideLoaded.filter((r) => r.action === 'loaded')) {
        journal.event('info', `side-loaded ${r.image} (${mib(r.bytesSent)})`, {
          revision: input.revision,
        });
      }
    } catch (e) {
      const image = e instanceof SideLoadError ? e.image : 'the images';
      const diagnosis: Diagnosis = deviceStoppedAnswering(e, {
        device: input.device,
        doing: `receiving ${image}`,
      }) ?? {
        code: e instanceof SideLoadError ? `side-load-${e.kind}` : 'side-load-failed',
        message: (e as Error).message,
        detail: rawDetail(e instanceof SideLoadError ? (e.cause ?? e) : e),
      };
      const first = rendered.components[0]?.name ?? '';
      return {
        ...outcome,
        ok: false,
        components: [{ name: first, state: 'failed', error: diagnosis }, ...pending(1)],
        failure: { component: first, diagnosis },
      };
    }
  }

  for (const [index, component] of rendered.components.entries()) {
    const before = input.previous?.components.find((c) => c.name === component.name);
    let plan: ComponentPlan;
    try {
      plan = await planComponent(docker, component, before);
    } catch (e) {
      const diagnosis: Diagnosis = deviceStoppedAnswering(e, {
        device: input.device,
        doing: `comparing ${component.name} with what it runs`,
      }) ?? {
        code: 'device-unreachable',
        message: `${input.device} did not answer as expected while comparing ${component.name} with what it runs. Check the device, then deploy again.`,
        detail: rawDetail(e),
      };
      outcome.components.push(
        { name: component.name, state: 'failed', error: diagnosis },
        ...pending(index + 1),
      );
      return { ...outcome, ok: false, failure: { component: component.name, diagnosis } };
    }
    outcome.plans.push(plan);
    input.onProgress?.(`applying ${component.name}`);
    journal.event('info', `applying ${component.name}`, {
      revision: input.revision,
      component: component.name,
    });
    const result = await applyComponent({
      docker,
      deploymentId: input.deploymentId,
      revisionLabel: String(input.revision),
      ownership: input.ownership ?? {},
      component,
      files: input.files?.get(component.name) ?? (await filesFromStore(input.store, component)),
      plan: plan.items,
      device: input.device,
      log: (level, message) =>
        journal.event(level, message, { revision: input.revision, component: component.name }),
    });
    if (result.state === 'failed') {
      outcome.components.push(
        { name: component.name, state: 'failed', error: result.error },
        ...pending(index + 1),
      );
      return {
        ...outcome,
        ok: false,
        failure: { component: component.name, diagnosis: result.error },
      };
    }
    outcome.components.push({ name: component.name, state: 'installed' });
  }

  for (const dropped of input.previous?.components ?? []) {
    if (rendered.components.some((c) => c.project === dropped.project)) continue;
    const removed = await removeProject(docker, dropped.project, { purgeVolumes: false });
    journal.event(
      'info',
      `removed component ${dropped.name} (no longer in the profile): ${removed.containers.length} containers; data volumes kept: ${removed.keptVolumes.join(', ') || 'none'}`,
      { revision: input.revision },
    );
  }
  return outcome;
}

/** The images of a revision that come from the store, once each. */
function uniqueImages(components: readonly RenderedComponent[]) {
  const seen = new Map<string, { name: string; refName: string }>();
  for (const component of components) {
    for (const service of component.services) {
      if (service.imageRef !== null && !seen.has(service.imageRef)) {
        seen.set(service.imageRef, { name: service.image, refName: service.imageRef });
      }
    }
  }
  return [...seen.values()];
}

/**
 * The files of an older revision's services, read again from its compose archive in the
 * store; an empty map when the archive is gone (volumes still on the device are used as is).
 */
async function filesFromStore(
  store: Store,
  component: RenderedComponent,
): Promise<Map<string, Map<string, DeliveredFile>>> {
  const out = new Map<string, Map<string, DeliveredFile>>();
  if (!store.blobs.has(component.archive.digest)) return out;
  const archive = await extractComposeArchive(
    store.blobs.pathOf(component.archive.digest),
    component.archive.digest,
  );
  for (const service of component.model.services) {
    out.set(service.name, filesOfService(component.model, service, archive.files, archive.modes));
  }
  return out;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

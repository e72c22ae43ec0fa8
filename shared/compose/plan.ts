import { z } from 'zod';
import type { ComposeModel, ServiceModel } from './compose-model';
import { ContainerState } from './container-state';
import { levels } from './dependency-order';
import { serviceChanges } from './service-changes';

export { ContainerState } from './container-state';
export { dependencyOrder } from './dependency-order';

/**
 * What the caller knows changed besides the model, to say why a hash differs when the
 * service's settings did not: a new image behind the same tag, new content in a mounted file.
 */
export const ChangeHints = z.strictObject({
  imageContent: z.boolean().optional(),
  /** Archive files or config names whose content changed. */
  files: z.array(z.string()).optional(),
});
export type ChangeHints = z.infer<typeof ChangeHints>;

/**
 * What was changed on the device outside Commissioner for this service (live state's drift):
 * the words, and whether only recreating the container undoes it (a stop is undone by a start).
 */
export const ServiceDrift = z.strictObject({
  reasons: z.array(z.string()).min(1),
  recreate: z.boolean(),
});
export type ServiceDrift = z.infer<typeof ServiceDrift>;

export const DesiredService = z.strictObject({
  service: z.string(),
  /** The config hash of the service as it should run (sha256 of `serviceFingerprint`). */
  hash: z.string(),
  dependsOn: z.array(z.string()),
  hints: ChangeHints.optional(),
  drift: ServiceDrift.optional(),
});
export type DesiredService = z.infer<typeof DesiredService>;

/** A container found on the device with this project's label. */
export const ActualContainer = z.strictObject({
  id: z.string(),
  name: z.string(),
  service: z.string(),
  hash: z.string().optional(),
  state: ContainerState,
  exitCode: z.number().int().optional(),
  containerNumber: z.number().int().optional(),
});
export type ActualContainer = z.infer<typeof ActualContainer>;

export const PlanAction = z.enum(['create', 'recreate', 'start', 'remove', 'unchanged']);
export type PlanAction = z.infer<typeof PlanAction>;

export const PlanItem = z.strictObject({
  service: z.string(),
  action: PlanAction,
  /** Plain words for the review screen; never a value of an environment variable. */
  reasons: z.array(z.string()),
  /** The containers the action is about: the one to recreate, start or remove; [] for create. */
  containerIds: z.array(z.string()),
});
export type PlanItem = z.infer<typeof PlanItem>;

export interface PlanInput {
  desired: DesiredService[];
  actual: ActualContainer[];
  /** The model of the revision installed now, to say why a service changes. */
  previous?: ComposeModel;
  next: ComposeModel;
}

/**
 * What to do on a device to make a project match the new model, service by service, in
 * dependency order (dependencies first, file order among equals), removals last. Containers
 * are compared by config hash; the reasons come from comparing the installed model with the
 * new one. A paused container gets `start` (the deployer unpauses it); a dead or half-removed
 * one is recreated. A one-shot task (a dependency others wait on with
 * service_completed_successfully) that exited with 0 is done, not restarted.
 */
export function planProject(input: PlanInput): PlanItem[] {
  const items: PlanItem[] = [];
  const removals: PlanItem[] = [];
  const byService = new Map<string, ActualContainer[]>();
  for (const container of input.actual) {
    const list = byService.get(container.service) ?? [];
    list.push(container);
    byService.set(container.service, list);
  }
  const desired = new Map(input.desired.map((d) => [d.service, d]));
  const oneShots = oneShotServices(input.next);
  for (const name of levels(input.desired).flat()) {
    const want = desired.get(name) as DesiredService;
    const [kept, ...extras] = rankContainers(byService.get(name) ?? [], want.hash);
    if (extras.length > 0) {
      removals.push({
        service: name,
        action: 'remove',
        reasons: extras.map(
          (c) =>
            `duplicate container ${c.name}${c.containerNumber !== undefined ? ` (number ${c.containerNumber})` : ''}`,
        ),
        containerIds: extras.map((c) => c.id),
      });
    }
    // Changes made outside Commissioner are the reason first: they are what the plan undoes.
    const drifted = (want.drift?.reasons ?? []).map((r) => `drifted — ${r}`);
    if (kept === undefined) {
      const isNew = input.previous !== undefined && serviceOf(input.previous, name) === undefined;
      items.push({
        service: name,
        action: 'create',
        reasons: drifted.length > 0 ? drifted : [isNew ? 'new service' : 'container missing'],
        containerIds: [],
      });
    } else if (kept.hash !== want.hash) {
      items.push({
        service: name,
        action: 'recreate',
        reasons: [...drifted, ...changeReasons(input, name, kept, want)],
        containerIds: [kept.id],
      });
    } else if (want.drift?.recreate) {
      items.push({ service: name, action: 'recreate', reasons: drifted, containerIds: [kept.id] });
    } else {
      const same = sameConfiguration(kept, oneShots.has(name));
      items.push({
        service: name,
        action: same.action,
        reasons: drifted.length > 0 && same.action !== 'unchanged' ? drifted : same.reasons,
        containerIds: [kept.id],
      });
    }
  }
  const gone: string[] = [];
  for (const container of input.actual) {
    if (!desired.has(container.service) && !gone.includes(container.service))
      gone.push(container.service);
  }
  const removed = gone.map((service) => ({
    service,
    action: 'remove' as const,
    reasons: ['service is no longer in the compose file'],
    containerIds: (byService.get(service) ?? []).map((c) => c.id),
  }));
  return [...items, ...removed, ...removals];
}

/** The container to keep first: number 1, then one already matching, then running, then the lowest number. */
function rankContainers(containers: ActualContainer[], hash: string): ActualContainer[] {
  const rank = (c: ActualContainer) => [
    c.containerNumber === 1 ? 0 : 1,
    c.hash === hash ? 0 : 1,
    c.state === 'running' ? 0 : 1,
    c.containerNumber ?? Number.MAX_SAFE_INTEGER,
  ];
  return [...containers].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) {
      const d = (ra[i] as number) - (rb[i] as number);
      if (d !== 0) return d;
    }
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

function sameConfiguration(
  container: ActualContainer,
  oneShot: boolean,
): Pick<PlanItem, 'action' | 'reasons'> {
  switch (container.state) {
    case 'running':
      return { action: 'unchanged', reasons: [] };
    case 'restarting':
      return { action: 'unchanged', reasons: ['container is restarting'] };
    case 'paused':
      return { action: 'start', reasons: ['container is paused'] };
    case 'created':
      return { action: 'start', reasons: ['container was created but never started'] };
    case 'exited': {
      if (oneShot && container.exitCode === 0) {
        return { action: 'unchanged', reasons: ['one-shot task completed'] };
      }
      const code = container.exitCode === undefined ? '' : ` (code ${container.exitCode})`;
      return { action: 'start', reasons: [`container is exited${code}`] };
    }
    case 'dead':
      return { action: 'recreate', reasons: ['container is dead'] };
    case 'removing':
      return { action: 'recreate', reasons: ['container is being removed'] };
  }
}

function changeReasons(
  input: PlanInput,
  name: string,
  container: ActualContainer,
  want: DesiredService,
): string[] {
  const before = input.previous ? serviceOf(input.previous, name) : undefined;
  const after = serviceOf(input.next, name);
  const reasons = before && after ? serviceChanges(before, after) : [];
  if (want.hints?.imageContent && !reasons.some((r) => r.startsWith('image changed'))) {
    reasons.push('image content changed');
  }
  for (const file of want.hints?.files ?? []) reasons.push(`file ${file} changed`);
  if (reasons.length === 0) {
    reasons.push(
      container.hash === undefined
        ? 'container has no configuration hash'
        : 'configuration changed',
    );
  }
  return reasons;
}

function serviceOf(model: ComposeModel, name: string): ServiceModel | undefined {
  return model.services.find((s) => s.name === name);
}

function oneShotServices(model: ComposeModel): Set<string> {
  const out = new Set<string>();
  for (const service of model.services) {
    for (const d of service.dependsOn) {
      if (d.condition === 'service_completed_successfully') out.add(d.service);
    }
  }
  return out;
}

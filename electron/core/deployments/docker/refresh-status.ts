import type Docker from 'dockerode';
import { COMPOSE_LABELS } from '../../../../shared/compose/compose-names';
import { containerStateOf } from '../../../../shared/compose/container-state';
import {
  componentState,
  mostSevere,
  type MargoState,
  type ObservedContainer,
} from '../../../../shared/compose/margo-state';
import type { Store } from '../../store/store';
import { diagnoseContainer, lastLogLines, type ContainerInspect } from './container-diagnosis';
import { connectDevice } from './device-docker';
import {
  componentStatuses,
  DeploymentJournal,
  storedRevision,
  type DeploymentRecord,
  type StatusError,
} from '../../store/deployment-journal';
import { RenderedRevision, type RenderedComponent } from './rendered-revision';

/**
 * Looks at the device now and records what its containers say: a service that crashed or
 * turned unhealthy since the deployment makes its component (and the deployment) `failed`,
 * with the reason; one that recovered makes it `installed` again. Only an installed or failed
 * deployment is refreshed (an operation in progress or a removal owns the state). Returns
 * whether anything changed.
 */
export async function refreshStatus(store: Store, deployment: DeploymentRecord): Promise<boolean> {
  if (deployment.state !== 'installed' && deployment.state !== 'failed') return false;
  const current = storedRevision(store, deployment.id, deployment.revision);
  // A revision adopted from a device's record has no rendered models to compare with.
  if (!current || current.rendered === null) return false;
  const { docker } = await connectDevice(store, deployment.device);
  const rendered = RenderedRevision.parse(current.rendered);
  const observed: { name: string; state: MargoState; error: StatusError | null }[] = [];
  for (const component of rendered.components) {
    observed.push({ name: component.name, ...(await observeComponent(docker, component)) });
  }
  const before = componentStatuses(store, deployment.id);
  const changed = observed.some((o) => {
    const b = before.find((c) => c.name === o.name);
    return !b || b.state !== o.state || b.error?.message !== o.error?.message;
  });
  if (!changed) return false;
  const journal = new DeploymentJournal(store, deployment.id);
  journal.setComponents(observed);
  const overall = mostSevere(observed.map((o) => o.state)) ?? 'installed';
  const failed = observed.find((o) => o.state === 'failed');
  journal.setState(
    overall,
    failed?.error
      ? { ...failed.error, source: failed.name }
      : overall === 'installed'
        ? null
        : deployment.error,
  );
  for (const o of observed) {
    const b = before.find((c) => c.name === o.name);
    if (b?.state === o.state) continue;
    journal.event(
      o.state === 'failed' ? 'error' : 'info',
      `${o.name} is ${o.state} (seen on the device)${o.error ? `: ${o.error.message}` : ''}`,
      {
        revision: deployment.revision,
        component: o.name,
        ...(o.error ? { code: o.error.code } : {}),
      },
    );
  }
  return true;
}

async function observeComponent(
  docker: Docker,
  component: RenderedComponent,
): Promise<{ state: MargoState; error: StatusError | null }> {
  const listed = await docker.listContainers({
    all: true,
    filters: { label: [`${COMPOSE_LABELS.project}=${component.project}`] },
  });
  // Tasks that run once: what others wait on to complete, and services never restarted
  // (finishing with 0 is their success, as when the deployment waited for them).
  const oneShots = new Set([
    ...component.model.services.flatMap((s) =>
      s.dependsOn
        .filter((d) => d.condition === 'service_completed_successfully')
        .map((d) => d.service),
    ),
    ...component.model.services
      .filter((s) => s.restart.name === 'no' && s.command !== undefined)
      .map((s) => s.name),
  ]);
  const seen: {
    service: string;
    inspect: ContainerInspect & { State: { Health?: { Status: string } } };
    observed: ObservedContainer;
  }[] = [];
  for (const c of listed) {
    const inspect = (await docker.getContainer(c.Id).inspect()) as unknown as ContainerInspect;
    const service = c.Labels[COMPOSE_LABELS.service] ?? '';
    const health = inspect.State.Health?.Status;
    seen.push({
      service,
      inspect,
      observed: {
        state: containerStateOf(inspect.State.Status),
        ...(inspect.State.ExitCode !== undefined ? { exitCode: inspect.State.ExitCode } : {}),
        ...(health === 'starting' || health === 'healthy' || health === 'unhealthy'
          ? { health }
          : {}),
        oneShot: oneShots.has(service),
      },
    });
  }
  const missing = component.model.services.filter((s) => !seen.some((c) => c.service === s.name));
  if (missing.length > 0) {
    return {
      state: 'failed',
      error: {
        code: 'container-missing',
        message: `the container of ${missing.map((s) => s.name).join(', ')} is gone from the device (removed by hand?): deploy again to recreate it`,
        source: component.name,
      },
    };
  }
  const state = componentState(
    seen.map((s) => s.observed),
    'settled',
  );
  if (state.state !== 'failed') return { state: state.state, error: null };
  const bad = seen.find((s) => componentState([s.observed], 'settled').state === 'failed');
  const diagnosis = bad
    ? diagnoseContainer(bad.service, bad.inspect, await lastLogLines(docker, bad.inspect.Id))
    : undefined;
  return {
    state: 'failed',
    error: {
      code: diagnosis?.code ?? 'not-running',
      message:
        diagnosis?.message ?? `${bad?.service ?? component.name}: ${state.reason ?? 'not running'}`,
      source: component.name,
    },
  };
}

import type Docker from 'dockerode';
import type { DriftFinding } from '../../../../shared/contract/deployments';
import { componentDrift, oneShotServices, secretValues } from './component-drift';
import { inspectProject, snapshotOf } from './container-snapshot';
import {
  recordContainers,
  recordedContainers,
  type RecordedContainer,
} from '../../store/live-state-table';
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
import { installationOwner } from '../../store/installation';
import { isSettled } from '../settled-deployment';

/**
 * Looks at the device now and records what its containers say: a service that crashed or
 * turned unhealthy since the deployment makes its component (and the deployment) `failed`,
 * with the reason; one that recovered makes it `installed` again. What was changed outside
 * Commissioner (stopped, removed, recreated, other image, environment, ports, mounts, labels)
 * is recorded as the component's drift, beside its Margo state. Only a settled deployment is
 * refreshed (an operation in progress or a removal owns the state). Returns whether anything
 * changed.
 */
export async function refreshStatus(store: Store, deployment: DeploymentRecord): Promise<boolean> {
  if (!isSettled(store, deployment)) return false;
  const current = storedRevision(store, deployment.id, deployment.revision);
  // A revision adopted from a device's record has no rendered models to compare with.
  if (!current || current.rendered === null) return false;
  const { docker: client } = await connectDevice(store, deployment.device);
  const rendered = RenderedRevision.parse(current.rendered);
  const baseline = recordedContainers(store, deployment.id);
  const secrets = secretValues(store, deployment, current.deployment);
  const { installation } = installationOwner(store);
  const observed: {
    name: string;
    state: MargoState;
    error: StatusError | null;
    drift: DriftFinding[];
  }[] = [];
  const firstSeen: RecordedContainer[] = [];
  for (const component of rendered.components) {
    const containers = await inspectProject(client, component.project);
    const drift = componentDrift(component, containers, baseline, secrets, installation);
    for (const service of component.model.services) {
      const inspect = containers.get(service.name);
      const known = baseline.some(
        (b) => b.component === component.name && b.service === service.name,
      );
      // A deployment made before live state: what runs now, when it matches the revision,
      // becomes the baseline.
      if (inspect && !known && !drift.some((d) => d.service === service.name)) {
        firstSeen.push({
          component: component.name,
          service: service.name,
          containerId: inspect.Id,
          snapshot: snapshotOf(inspect),
        });
      }
    }
    observed.push({
      name: component.name,
      ...(await observeComponent(client, component)),
      drift,
    });
  }
  if (firstSeen.length > 0) recordContainers(store, deployment.id, firstSeen, { replace: false });
  const before = componentStatuses(store, deployment.id);
  const changed = observed.some((o) => {
    const b = before.find((c) => c.name === o.name);
    return (
      !b ||
      b.state !== o.state ||
      b.error?.message !== o.error?.message ||
      driftWords(b.drift ?? []) !== driftWords(o.drift)
    );
  });
  if (!changed) return false;
  const journal = new DeploymentJournal(store, deployment.id);
  journal.setComponents(observed);
  for (const o of observed) {
    const was = new Set((before.find((c) => c.name === o.name)?.drift ?? []).map((d) => d.message));
    for (const d of o.drift.filter((d) => !was.has(d.message))) {
      journal.event('warning', `drifted: ${d.message}`, {
        revision: deployment.revision,
        component: o.name,
        code: `drift-${d.kind}`,
      });
    }
  }
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

function driftWords(drift: readonly DriftFinding[]): string {
  return drift.map((d) => d.message).join('\n');
}

async function observeComponent(
  docker: Docker,
  component: RenderedComponent,
): Promise<{ state: MargoState; error: StatusError | null }> {
  const listed = await docker.listContainers({
    all: true,
    filters: { label: [`${COMPOSE_LABELS.project}=${component.project}`] },
  });
  const oneShots = oneShotServices(component);
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

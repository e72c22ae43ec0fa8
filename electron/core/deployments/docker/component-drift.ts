import { parse } from 'yaml';
import type { DriftFinding } from '../../../../shared/contract/deployments';
import type { ApplicationDeployment } from '../../../../shared/margo/application-deployment';
import { secretParameters } from '../deployment-detail';
import type Docker from 'dockerode';
import type { ServiceDrift } from '../../../../shared/compose/plan';
import type { RenderedComponent, RenderedRevision } from './rendered-revision';
import type { DeploymentRecord } from '../../store/deployment-journal';
import { recordedContainers, type RecordedContainer } from '../../store/live-state-table';
import { installationOwner } from '../../store/installation';
import type { Store } from '../../store/store';
import { serviceDrift } from './container-drift';
import { inspectProject, type InspectedContainer } from './container-snapshot';

/** What differs in a component's services from what Commissioner deployed. */
export function componentDrift(
  component: RenderedComponent,
  containers: Map<string, InspectedContainer>,
  baseline: readonly RecordedContainer[],
  secrets: readonly string[],
  installation: string,
): DriftFinding[] {
  const oneShots = oneShotServices(component);
  return component.model.services.flatMap((service) => {
    const rendered = component.services.find((s) => s.name === service.name);
    if (!rendered) return [];
    return serviceDrift({
      component: component.name,
      service: service.name,
      rendered,
      environment: service.environment,
      oneShot: oneShots.has(service.name),
      recorded: baseline.find((b) => b.component === component.name && b.service === service.name),
      current: containers.get(service.name),
      secretValues: secrets,
      installation,
    });
  });
}

/** The values of the deployment's secret parameters (never shown in drift words). */
export function secretValues(store: Store, deployment: DeploymentRecord, yaml: string): string[] {
  const parsed = parse(yaml) as ApplicationDeployment;
  const parameters = parsed.spec.parameters ?? {};
  return secretParameters(store, deployment, parsed)
    .map((name) => parameters[name]?.value)
    .filter((v) => v !== undefined && v !== null)
    .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

/**
 * Tasks that run once: what others wait on to complete, and services never restarted
 * (finishing with 0 is their success, as when the deployment waited for them).
 */
export function oneShotServices(component: RenderedComponent): Set<string> {
  return new Set([
    ...component.model.services.flatMap((s) =>
      s.dependsOn
        .filter((d) => d.condition === 'service_completed_successfully')
        .map((d) => d.service),
    ),
    ...component.model.services
      .filter((s) => s.restart.name === 'no' && s.command !== undefined)
      .map((s) => s.name),
  ]);
}

/**
 * Drift grouped per service for the planner: the words, and whether only a new container
 * undoes it (a container stopped or paused by hand just needs starting).
 */
export function driftByService(drift: readonly DriftFinding[]): Map<string, ServiceDrift> {
  const out = new Map<string, ServiceDrift>();
  for (const d of drift) {
    const seen = out.get(d.service) ?? { reasons: [], recreate: false };
    seen.reasons.push(d.message);
    seen.recreate ||= d.kind !== 'stopped' && d.kind !== 'removed';
    out.set(d.service, seen);
  }
  return out;
}

/**
 * What differs now on the device from a deployment's current revision, per component: read by
 * the plan of an update, so its actions say why (the watcher records the same as drift).
 */
export async function deploymentDrift(
  store: Store,
  docker: Docker,
  deployment: DeploymentRecord,
  current: { deployment: string; rendered: RenderedRevision },
): Promise<Map<string, DriftFinding[]>> {
  const baseline = recordedContainers(store, deployment.id);
  const secrets = secretValues(store, deployment, current.deployment);
  const { installation } = installationOwner(store);
  const out = new Map<string, DriftFinding[]>();
  for (const component of current.rendered.components) {
    const containers = await inspectProject(docker, component.project);
    out.set(component.name, componentDrift(component, containers, baseline, secrets, installation));
  }
  return out;
}

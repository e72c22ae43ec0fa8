import { z } from 'zod';
import { DeploymentState, STATE_SEVERITY } from '../margo/deployment-status';
import { ContainerState } from './container-state';

/** The Margo deployment states (the same enum the status manifests use). */
export const MargoState = DeploymentState;
export type MargoState = z.infer<typeof MargoState>;

/** The state a set of states adds up to: failed > removing > installing > pending > removed > installed. */
export function mostSevere(states: readonly MargoState[]): MargoState | undefined {
  for (const state of STATE_SEVERITY) if (states.includes(state)) return state;
  return undefined;
}

export const ContainerHealth = z.enum(['starting', 'healthy', 'unhealthy', 'none']);
export type ContainerHealth = z.infer<typeof ContainerHealth>;

export const ObservedContainer = z.strictObject({
  state: ContainerState,
  exitCode: z.number().int().optional(),
  health: ContainerHealth.optional(),
  /** A task others wait on with service_completed_successfully: exiting with 0 is its success. */
  oneShot: z.boolean(),
});
export type ObservedContainer = z.infer<typeof ObservedContainer>;

/** applying: the deployer is still at work; settled: it is done and this is how things stand. */
export const DeploymentPhase = z.enum(['applying', 'settled', 'removing']);
export type DeploymentPhase = z.infer<typeof DeploymentPhase>;

export interface ComponentState {
  state: MargoState;
  /** Plain words for the status's error message; absent when installed. */
  reason?: string;
}

/**
 * The Margo state of one component (a compose project) from its containers. While applying,
 * what is still on its way (health starting, a restart) is installing; once settled it is a
 * failure. A one-shot task that exited with 0 did its job. The most severe container decides.
 */
export function componentState(
  containers: readonly ObservedContainer[],
  phase: DeploymentPhase,
): ComponentState {
  if (phase === 'removing') {
    return containers.length === 0
      ? { state: 'removed' }
      : {
          state: 'removing',
          reason: `${containers.length} container${containers.length === 1 ? '' : 's'} still to remove`,
        };
  }
  if (containers.length === 0) {
    return phase === 'applying'
      ? { state: 'installing', reason: 'containers not created yet' }
      : { state: 'failed', reason: 'no container is running' };
  }
  const states = containers.map((c) => containerState(c, phase));
  const worst = mostSevere(states.map((s) => s.state)) as MargoState;
  return states.find((s) => s.state === worst) as ComponentState;
}

function containerState(c: ObservedContainer, phase: 'applying' | 'settled'): ComponentState {
  const waitOr = (reason: string): ComponentState =>
    phase === 'applying' ? { state: 'installing', reason } : { state: 'failed', reason };
  switch (c.state) {
    case 'running':
      if (c.health === 'unhealthy') return { state: 'failed', reason: 'health check failing' };
      if (c.health === 'starting') return { state: 'installing', reason: 'health check starting' };
      if (c.oneShot) {
        // Once settled, a "one-shot" still running is a service that runs on (a service with a
        // command and no restart policy may be either); the deploy accepted it running, and
        // `installing` would take the deployment out of the live-state watch for good.
        return phase === 'applying'
          ? { state: 'installing', reason: 'one-shot task still running' }
          : { state: 'installed' };
      }
      return { state: 'installed' };
    case 'exited':
      if (c.exitCode !== undefined && c.exitCode !== 0) {
        return { state: 'failed', reason: `container exited with code ${c.exitCode}` };
      }
      if (c.oneShot && c.exitCode === 0) return { state: 'installed' };
      return waitOr(c.exitCode === 0 ? 'container stopped (exit code 0)' : 'container stopped');
    case 'restarting':
      return phase === 'applying'
        ? { state: 'installing', reason: 'container is restarting' }
        : { state: 'failed', reason: 'container keeps restarting' };
    case 'created':
      return waitOr('container created but not started');
    case 'paused':
      return waitOr('container is paused');
    case 'removing':
      return waitOr('container is being removed');
    case 'dead':
      return { state: 'failed', reason: 'container is dead' };
  }
}

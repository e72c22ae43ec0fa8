import type Docker from 'dockerode';
import type { DependsOnCondition } from '../../../../shared/compose/compose-model';
import {
  diagnoseContainer,
  lastLogLines,
  type ContainerInspect,
  type Diagnosis,
} from './container-diagnosis';
import type { RenderedComponent } from './rendered-revision';

/** When waiting ends, and how long that was, for the message. */
export interface Deadline {
  at: number;
  ms: number;
}

const POLL_MS = 250;
/** A service without a health check counts as up once it has run this long without exiting. */
export const STEADY_MS = 1500;

export class WaitFailure extends Error {
  override name = 'WaitFailure';
  constructor(readonly diagnosis: Diagnosis) {
    super(diagnosis.message);
  }
}

type Inspect = ContainerInspect & {
  State: ContainerInspect['State'] & { StartedAt?: string };
  Config?: { Healthcheck?: { Test?: string[] } };
  HostConfig?: { RestartPolicy?: { Name?: string } };
};

async function inspect(docker: Docker, id: string): Promise<Inspect> {
  return (await docker.getContainer(id).inspect()) as unknown as Inspect;
}

async function fail(
  docker: Docker,
  service: string,
  info: Inspect,
  fallback: Diagnosis,
): Promise<never> {
  const logs = await lastLogLines(docker, info.Id);
  throw new WaitFailure(
    diagnoseContainer(service, info, logs) ?? {
      ...fallback,
      message: withLogs(fallback.message, logs),
    },
  );
}

function withLogs(message: string, logs: string): string {
  return logs.trim()
    ? `${message}; it printed last:\n${logs
        .trim()
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n')}`
    : message;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function timeText(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

/**
 * Waits until a dependency is what its dependents asked for: started, healthy, or completed
 * with exit code 0. A dependency that exits with an error, turns unhealthy or does not get
 * there before the deadline fails the wait, saying why.
 */
export async function waitForCondition(
  docker: Docker,
  service: string,
  id: string,
  condition: DependsOnCondition,
  deadline: Deadline,
): Promise<void> {
  for (;;) {
    const info = await inspect(docker, id);
    const s = info.State;
    switch (condition) {
      case 'service_started':
        if (s.Running || s.Status === 'exited') return;
        break;
      case 'service_healthy':
        if (s.Health === undefined && s.Running) return; // no health check: started is all there is
        if (s.Health?.Status === 'healthy') return;
        if (s.Health?.Status === 'unhealthy' || s.Status === 'exited' || s.Status === 'dead') {
          await fail(docker, service, info, {
            code: 'dependency-failed',
            message: `service ${service}, which others wait for, did not become healthy`,
          });
        }
        break;
      case 'service_completed_successfully':
        if (s.Status === 'exited' && s.ExitCode === 0) return;
        if (s.Status === 'exited' || s.Status === 'dead') {
          await fail(docker, service, info, {
            code: 'dependency-failed',
            message: `service ${service}, which others wait for, did not complete`,
          });
        }
        break;
    }
    if (Date.now() >= deadline.at) {
      await fail(docker, service, info, {
        code: 'timeout',
        message: `service ${service} was not ${condition === 'service_healthy' ? 'healthy' : condition === 'service_started' ? 'started' : 'completed'} within the component's timeout (${timeText(deadline.ms)})${s.Health ? ` (health: ${s.Health.Status})` : ''}`,
      });
    }
    await sleep(POLL_MS);
  }
}

/**
 * Waits until every service of the component is up: running (healthy where it has a health
 * check; steady for a moment where it has none), or finished with 0 when it is a one-shot
 * task. Fails at the first container that exited with an error, turned unhealthy or keeps
 * restarting, or at the deadline naming what is not ready — each time with its last output.
 */
export async function waitUntilSettled(
  docker: Docker,
  component: RenderedComponent,
  containers: ReadonlyMap<string, string>,
  deadline: Deadline,
): Promise<void> {
  const oneShot = new Set(
    component.model.services.flatMap((s) =>
      s.dependsOn
        .filter((d) => d.condition === 'service_completed_successfully')
        .map((d) => d.service),
    ),
  );
  const restartNever = new Set(
    component.model.services.filter((s) => s.restart.name === 'no').map((s) => s.name),
  );
  for (;;) {
    const waiting: { service: string; info: Inspect; why: string }[] = [];
    for (const [service, id] of containers) {
      const info = await inspect(docker, id);
      const s = info.State;
      if (
        s.Status === 'exited' &&
        s.ExitCode === 0 &&
        (oneShot.has(service) || restartNever.has(service))
      )
        continue;
      if (
        s.Status === 'exited' ||
        s.Status === 'dead' ||
        s.OOMKilled ||
        s.Health?.Status === 'unhealthy' ||
        (info.RestartCount ?? 0) > 2
      ) {
        await fail(docker, service, info, {
          code: 'not-running',
          message: `service ${service} is not running (${s.Status})`,
        });
      }
      if (s.Running && s.Health === undefined) {
        const since = Date.parse(s.StartedAt ?? '');
        if (Number.isFinite(since) && Date.now() - since >= STEADY_MS) continue;
        waiting.push({ service, info, why: 'just started' });
      } else if (s.Running && s.Health?.Status === 'healthy') {
        continue;
      } else {
        waiting.push({
          service,
          info,
          why: s.Health ? `health check ${s.Health.Status}` : s.Status,
        });
      }
    }
    if (waiting.length === 0) return;
    if (Date.now() >= deadline.at) {
      const first = waiting[0] as (typeof waiting)[number];
      const last = first.info.State.Health?.Log?.at(-1)?.Output.trim();
      await fail(docker, first.service, first.info, {
        code: 'timeout',
        message: `not ready within the component's timeout (${timeText(deadline.ms)}): ${waiting.map((w) => `${w.service} (${w.why})`).join(', ')}${last ? `; ${first.service}'s last health check said: ${last}` : ''}`,
      });
    }
    await sleep(POLL_MS);
  }
}

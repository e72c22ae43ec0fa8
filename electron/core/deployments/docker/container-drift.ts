import { COMPOSE_LABELS } from '../../../../shared/compose/compose-names';
import {
  ownerWords,
  readOwnershipLabels,
} from '../../../../shared/application-deployment/ownership-labels';
import type { DriftFinding } from '../../../../shared/contract/deployments';
import { isSecretParameter } from '../../../../shared/configuration/secret-heuristic';
import type { RenderedService } from './rendered-revision';
import type { ContainerSnapshot, RecordedContainer } from '../../store/live-state-table';
import { snapshotOf, type InspectedContainer } from './container-snapshot';

export interface ServiceDriftInput {
  component: string;
  service: string;
  /** The service as the current revision rendered it (hash, image id). */
  rendered: RenderedService;
  /** The environment the compose model sets (values interpolated), for a missing baseline. */
  environment: Record<string, string>;
  /** A task that runs once: being exited is its success, not a change. */
  oneShot: boolean;
  /** The container as Commissioner made it; absent for deployments made before live state. */
  recorded: RecordedContainer | undefined;
  /** The container on the device now; absent when there is none. */
  current: InspectedContainer | undefined;
  /** Secret values of the deployment: an environment variable holding one is never shown. */
  secretValues: readonly string[];
  /** This Commissioner installation's id: a container another one made is said to be theirs. */
  installation: string;
}

/** Exit codes of `docker stop` (the process ended on SIGTERM, or SIGKILL after the grace). */
const STOP_EXIT_CODES = new Set([0, 137, 143]);

/**
 * What differs between a service's container on the device and what Commissioner deployed:
 * removed, recreated (another container), stopped, image, environment, published ports, mounts,
 * labels. A container that crashed is not drift (its Margo state says failed); one stopped by
 * hand is.
 */
export function serviceDrift(input: ServiceDriftInput): DriftFinding[] {
  const { service, current, recorded } = input;
  const found = (kind: DriftFinding['kind'], message: string): DriftFinding => ({
    component: input.component,
    service,
    kind,
    message,
  });
  if (!current) return [found('removed', `container ${service} was removed outside Commissioner`)];
  // Another laptop deployed over ours: who did it says more than every field that differs.
  const stamp = readOwnershipLabels(current.Config.Labels);
  if (stamp && stamp.owner.installation !== input.installation) {
    return [
      found(
        'recreated',
        `container ${service} was recreated by ${ownerWords(stamp.owner)} with another Commissioner (revision ${stamp.revision} there)`,
      ),
    ];
  }
  const out: DriftFinding[] = [];
  if (recorded && recorded.containerId !== current.Id) {
    out.push(found('recreated', `container ${service} was recreated outside Commissioner`));
  } else if (
    !recorded &&
    current.Config.Labels?.[COMPOSE_LABELS.configHash] !== input.rendered.hash
  ) {
    out.push(
      found(
        'recreated',
        `container ${service} was recreated outside Commissioner with another configuration`,
      ),
    );
  }
  const stopped = stoppedByHand(current, input.oneShot);
  if (stopped)
    out.push(found('stopped', `container ${service} was ${stopped} outside Commissioner`));

  const now = snapshotOf(current);
  const expected: Pick<ContainerSnapshot, 'imageId'> & Partial<ContainerSnapshot> = recorded
    ? recorded.snapshot
    : { imageId: input.rendered.imageId };
  if (now.imageId !== expected.imageId) {
    out.push(
      found(
        'image',
        `image of ${service} differs: expected ${input.rendered.image} (${shortId(expected.imageId)}), found ${shortId(now.imageId)}`,
      ),
    );
  }
  const secret = secretTest(input.secretValues);
  out.push(
    ...environmentDrift(
      recorded ? envMap(recorded.snapshot.env) : new Map(Object.entries(input.environment)),
      envMap(now.env),
      !recorded,
      secret,
    ).map((m) => found('environment', m.replace('{service}', service))),
  );
  if (recorded) {
    out.push(
      ...mapDrift(recorded.snapshot.ports, now.ports, (p) => p.join(', ') || 'not published').map(
        (m) => found('ports', `published port ${m.replace('{service}', service)}`),
      ),
      ...mapDrift(recorded.snapshot.mounts, now.mounts, (m) => m).map((m) =>
        found('mounts', `mount ${m.replace('{service}', service)}`),
      ),
      ...labelDrift(recorded.snapshot.labels, now.labels).map((m) =>
        found('labels', m.replace('{service}', service)),
      ),
    );
  }
  return out;
}

/** Exit codes of a process ended by SIGTERM or SIGKILL: what `docker stop` does to it. */
const SIGNAL_EXIT_CODES = new Set([137, 143]);

function stoppedByHand(c: InspectedContainer, oneShot: boolean): string | undefined {
  if (c.State.Status === 'paused') return 'paused';
  if (c.State.Status !== 'exited') return undefined;
  // A task that runs once ends with a code of its own; ended by a signal (and not for lack of
  // memory), someone stopped it.
  if (oneShot) {
    return SIGNAL_EXIT_CODES.has(c.State.ExitCode ?? -1) && !c.State.OOMKilled
      ? 'stopped'
      : undefined;
  }
  const policy = c.HostConfig.RestartPolicy?.Name ?? 'no';
  // Docker restarts these on its own unless someone stopped them.
  if (policy === 'always' || policy === 'unless-stopped') return 'stopped';
  return STOP_EXIT_CODES.has(c.State.ExitCode ?? -1) ? 'stopped' : undefined;
}

function envMap(env: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of env) {
    const eq = entry.indexOf('=');
    if (eq > 0) out.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return out;
}

function secretTest(values: readonly string[]): (name: string, ...seen: string[]) => boolean {
  const secrets = values.filter((v) => v.length >= 4);
  return (name, ...seen) =>
    isSecretParameter(name, undefined) ||
    seen.some((value) => secrets.some((s) => value.includes(s)));
}

/**
 * Environment differences in words. Values are shown unless either side looks secret; variables
 * the image brings (not in the model) are not compared when the baseline is only the model.
 */
function environmentDrift(
  expected: Map<string, string>,
  actual: Map<string, string>,
  modelOnly: boolean,
  secret: (name: string, ...seen: string[]) => boolean,
): string[] {
  const out: string[] = [];
  for (const [name, want] of expected) {
    const have = actual.get(name);
    if (have === want) continue;
    const hidden = secret(name, want, have ?? '');
    if (have === undefined) {
      out.push(
        hidden
          ? `environment ${name} of {service} is missing (a secret: value not shown)`
          : `environment ${name} of {service} is missing: expected ${JSON.stringify(want)}`,
      );
    } else {
      out.push(
        hidden
          ? `environment ${name} of {service} differs (a secret: values not shown)`
          : `environment ${name} of {service} differs: expected ${JSON.stringify(want)}, found ${JSON.stringify(have)}`,
      );
    }
  }
  if (!modelOnly) {
    for (const name of actual.keys()) {
      if (!expected.has(name)) out.push(`environment ${name} of {service} was added`);
    }
  }
  return out;
}

function mapDrift<T>(
  expected: Record<string, T>,
  actual: Record<string, T>,
  show: (value: T) => string,
): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const want = expected[key];
    const have = actual[key];
    if (want !== undefined && have !== undefined && show(want) === show(have)) continue;
    if (have === undefined) out.push(`${key} of {service} is missing: expected ${show(want as T)}`);
    else if (want === undefined) out.push(`${key} of {service} was added: ${show(have)}`);
    else out.push(`${key} of {service} differs: expected ${show(want)}, found ${show(have)}`);
  }
  return out;
}

/** Label names only: values can be long and say little to people. */
function labelDrift(expected: Record<string, string>, actual: Record<string, string>): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    if (expected[key] === actual[key]) continue;
    out.push(
      key in actual
        ? key in expected
          ? `label ${key} of {service} differs`
          : `label ${key} of {service} was added`
        : `label ${key} of {service} is missing`,
    );
  }
  return out;
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

import { canonicalJson } from './canonical-json';
import type { PortModel, RestartModel, ServiceModel } from './compose-model';

/**
 * How each field of a service is named in a reason. Typed over every key of the model, so a
 * field added to the model cannot be forgotten here. null: the field never recreates a
 * container (it is not in the fingerprint) or has its own wording below.
 */
const FIELD_NAMES: Record<keyof ServiceModel, string | null> = {
  name: null,
  image: null,
  containerName: 'container name',
  command: 'command',
  entrypoint: 'entrypoint',
  environment: null,
  ports: null,
  mounts: null,
  configs: null,
  networks: null,
  dependsOn: null,
  restart: null,
  healthcheck: 'health check',
  labels: null,
  user: 'user',
  workingDir: 'working directory',
  devices: 'devices',
  capAdd: 'capabilities',
  capDrop: 'capabilities',
  privileged: 'privileged',
  readOnly: 'read-only root file system',
  tmpfs: 'tmpfs mounts',
  ulimits: 'ulimits',
  resources: 'resource limits',
  extraHosts: 'extra hosts',
  hostname: 'host name',
  domainname: 'domain name',
  stopGracePeriodNs: 'stop grace period',
  stopSignal: 'stop signal',
  logging: 'logging',
  init: 'init',
  dns: 'DNS servers',
  expose: 'exposed ports',
  groupAdd: 'groups',
  platform: 'platform',
  pullPolicy: null,
  shmSizeBytes: 'shared memory size',
  stdinOpen: 'stdin_open',
  tty: 'tty',
  macAddress: 'MAC address',
  securityOpt: 'security options',
  usernsMode: 'user namespace',
  ipc: 'IPC namespace',
  cgroup: 'cgroup namespace',
  sysctls: 'kernel parameters',
};

/**
 * Why a service's container must be recreated, in plain words, comparing the installed
 * revision's service with the new one: "image changed (busybox:1.0 → busybox:1.1)",
 * "environment POLL_SECONDS changed", "port 8080/tcp added". Environment values and label
 * values are never shown: they may be secrets. Empty when nothing a container holds changed.
 */
export function serviceChanges(previous: ServiceModel, next: ServiceModel): string[] {
  const reasons: string[] = [];
  if (previous.image !== next.image)
    reasons.push(`image changed (${previous.image} → ${next.image})`);
  reasons.push(...keyedChanges('environment', previous.environment, next.environment));
  reasons.push(...setChanges('port', previous.ports.map(portText), next.ports.map(portText)));
  reasons.push(
    ...entryChanges(
      'mount at',
      new Map(previous.mounts.map((m) => [m.target, m])),
      new Map(next.mounts.map((m) => [m.target, m])),
    ),
  );
  reasons.push(
    ...entryChanges(
      'config at',
      new Map(previous.configs.map((c) => [c.target, c])),
      new Map(next.configs.map((c) => [c.target, c])),
    ),
  );
  const prevNetworks = new Map(previous.networks.map((n) => [n.name, n]));
  const nextNetworks = new Map(next.networks.map((n) => [n.name, n]));
  const networkReasons = entryChanges('network', prevNetworks, nextNetworks);
  reasons.push(...networkReasons);
  if (networkReasons.length === 0 && previous.networks[0]?.name !== next.networks[0]?.name) {
    reasons.push('primary network changed');
  }
  reasons.push(...keyedChanges('label', previous.labels, next.labels));
  if (!same(previous.restart, next.restart)) {
    reasons.push(
      `restart policy changed (${restartText(previous.restart)} → ${restartText(next.restart)})`,
    );
  }
  for (const key of Object.keys(FIELD_NAMES) as (keyof ServiceModel)[]) {
    const label = FIELD_NAMES[key];
    if (label === null || same(previous[key], next[key])) continue;
    const before = previous[key];
    const after = next[key];
    reasons.push(
      typeof before === 'boolean' || typeof after === 'boolean'
        ? `${label} changed (${before ?? false} → ${after ?? false})`
        : before === undefined
          ? `${label} added`
          : after === undefined
            ? `${label} removed`
            : `${label} changed`,
    );
  }
  return [...new Set(reasons)];
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function keyedChanges(
  what: string,
  before: Record<string, string>,
  after: Record<string, string>,
): string[] {
  const out: string[] = [];
  for (const key of Object.keys(after)) {
    if (!Object.hasOwn(before, key)) out.push(`${what} ${key} added`);
    else if (before[key] !== after[key]) out.push(`${what} ${key} changed`);
  }
  for (const key of Object.keys(before)) {
    if (!Object.hasOwn(after, key)) out.push(`${what} ${key} removed`);
  }
  return out;
}

function setChanges(what: string, before: string[], after: string[]): string[] {
  return [
    ...after.filter((p) => !before.includes(p)).map((p) => `${what} ${p} added`),
    ...before.filter((p) => !after.includes(p)).map((p) => `${what} ${p} removed`),
  ];
}

function entryChanges<T>(what: string, before: Map<string, T>, after: Map<string, T>): string[] {
  const out: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) out.push(`${what} ${key} added`);
    else if (!same(before.get(key), value)) out.push(`${what} ${key} changed`);
  }
  for (const key of before.keys()) if (!after.has(key)) out.push(`${what} ${key} removed`);
  return out;
}

/** `8080/tcp` (same port outside and in), `8080:80/tcp`, `80/tcp` (not published), with the host address first when there is one. */
export function portText(port: PortModel): string {
  const host =
    port.hostIp === undefined
      ? ''
      : port.hostIp.includes(':')
        ? `[${port.hostIp}]:`
        : `${port.hostIp}:`;
  if (port.published === undefined) return `${host}${port.target}/${port.protocol}`;
  const mapping =
    port.published === port.target ? `${port.published}` : `${port.published}:${port.target}`;
  return `${host}${mapping}/${port.protocol}`;
}

function restartText(restart: RestartModel): string {
  return restart.maxRetries === undefined ? restart.name : `${restart.name}:${restart.maxRetries}`;
}

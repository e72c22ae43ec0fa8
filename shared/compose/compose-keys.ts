/*
 * What Commissioner does with the keys of the compose specification it does not support.
 * A key is never silently ignored: the message names it and says why, so the supplier (or
 * the engineer) knows what to change, and a typo is told apart from a real compose key.
 */

export const UNSUPPORTED_TOP_LEVEL: Record<string, string> = {
  secrets:
    'pass secret values as deployment parameters (they reach the container as environment variables) or as files of the application (configs)',
  include: 'the compose file must hold the whole application in one file',
  models: 'AI models are not supported',
};

export const UNSUPPORTED_SERVICE: Record<string, string> = {
  build: 'images must come pre-built in the kit: Commissioner never builds images on a device',
  extends: 'write the service out in full (YAML anchors and merge keys are fine)',
  secrets:
    'pass secret values as deployment parameters (environment) or as files of the application (configs)',
  network_mode:
    "services join the application's networks; host networking and sharing another container's network are not supported",
  pid: "sharing the host's or another container's process namespace is not supported",
  uts: "sharing the host's UTS namespace is not supported",
  cgroup_parent: 'the engine places containers in its own cgroups',
  profiles: 'every service of the file is deployed',
  scale: 'each service runs as exactly one container',
  links: 'services reach each other by service name on their networks',
  external_links: 'services reach each other by service name on their networks',
  volumes_from: 'mount the same named volume in both services',
  runtime: 'GPUs are requested with deploy.resources.reservations.devices',
  gpus: 'GPUs are requested with deploy.resources.reservations.devices',
  develop: 'it is for development machines',
  post_start: 'lifecycle hooks are not supported',
  pre_stop: 'lifecycle hooks are not supported',
  provider: 'provider services are not supported',
  credential_spec: 'it is for Windows containers',
  isolation: 'it is for Windows containers',
  attach: 'logs are read from the device',
  use_api_socket: "giving a container the engine's API socket is not supported",
};

/** Keys of a compose service that exist but that Commissioner does not support (generic reason). */
const OTHER_COMPOSE_SERVICE_KEYS = [
  'annotations',
  'blkio_config',
  'cpu_count',
  'cpu_percent',
  'cpu_shares',
  'cpu_period',
  'cpu_quota',
  'cpu_rt_runtime',
  'cpu_rt_period',
  'cpuset',
  'device_cgroup_rules',
  'dns_opt',
  'dns_search',
  'driver_opts',
  'label_file',
  'mem_swappiness',
  'memswap_limit',
  'oom_kill_disable',
  'oom_score_adj',
  'storage_opt',
];

export const SUPPORTED_SERVICE_KEYS = [
  'image',
  'container_name',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'volumes',
  'networks',
  'depends_on',
  'restart',
  'healthcheck',
  'labels',
  'user',
  'working_dir',
  'devices',
  'cap_add',
  'cap_drop',
  'privileged',
  'read_only',
  'tmpfs',
  'ulimits',
  'deploy',
  'extra_hosts',
  'hostname',
  'domainname',
  'stop_grace_period',
  'stop_signal',
  'logging',
  'init',
  'configs',
  'mem_limit',
  'mem_reservation',
  'cpus',
  'pids_limit',
  'shm_size',
  'dns',
  'expose',
  'group_add',
  'platform',
  'pull_policy',
  'stdin_open',
  'tty',
  'mac_address',
  'security_opt',
  'userns_mode',
  'ipc',
  'cgroup',
  'sysctls',
] as const;

export const SUPPORTED_TOP_LEVEL_KEYS = [
  'version',
  'name',
  'services',
  'networks',
  'volumes',
  'configs',
];

export function unsupportedServiceKey(key: string): string {
  const reason = Object.hasOwn(UNSUPPORTED_SERVICE, key) ? UNSUPPORTED_SERVICE[key] : undefined;
  if (reason !== undefined) return `${key} is not supported by Commissioner: ${reason}`;
  if (OTHER_COMPOSE_SERVICE_KEYS.includes(key)) {
    return `${key} is not supported by Commissioner: remove it from the service (unsupported settings are never silently ignored)`;
  }
  return `${key} is not a compose service setting${suggestion(key, SUPPORTED_SERVICE_KEYS)}: remove it or correct its name`;
}

export function unsupportedTopLevelKey(key: string): string {
  const reason = Object.hasOwn(UNSUPPORTED_TOP_LEVEL, key) ? UNSUPPORTED_TOP_LEVEL[key] : undefined;
  if (reason !== undefined) return `top-level ${key} is not supported by Commissioner: ${reason}`;
  return `${key} is not a top-level compose key${suggestion(key, SUPPORTED_TOP_LEVEL_KEYS)}: a compose file has services, networks, volumes and configs (and x- extensions)`;
}

/** ` (did you mean "image"?)` for a near miss of a supported key; '' otherwise. */
export function suggestion(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean ${best}?)`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

import { formatJsonPath } from '../validation/json-path';
import { BYTE_SIZE_HINT, parseByteSize } from './byte-size';
import type { DeviceRequestModel, ResourcesModel, RestartModel } from './compose-model';
import type { ComposeReport } from './compose-report';
import { DURATION_HINT, parseDurationNs } from './duration';
import { parseNanoCpus } from './nano-cpus';
import {
  shown,
  field,
  isMapping,
  readInt,
  readKeys,
  readName,
  readStringRecord,
  readText,
  readTextList,
  type Mapping,
  type Path,
} from './read-scalars';

const DEPLOY_UNSUPPORTED: Record<string, string> = {
  mode: 'each service runs as one container on one device',
  replicas: 'each service runs as exactly one container',
  placement: 'the deployment chooses the device',
  update_config: 'Commissioner updates by recreating the changed containers',
  rollback_config: 'Commissioner rolls back whole revisions',
  endpoint_mode: 'it needs a swarm',
  labels: 'service labels are written under labels:',
};

type AmountKey = keyof Omit<ResourcesModel, 'deviceRequests'>;

export interface ServiceLimits {
  resources: ResourcesModel;
  /** From `deploy.restart_policy`, when the file uses it instead of `restart:`. */
  restart?: RestartModel;
}

/**
 * Resources of a service: `deploy.resources` (limits, reservations, device requests such as
 * GPUs) and the compose v2 file keys `mem_limit`, `mem_reservation`, `cpus`, `pids_limit`
 * that say the same. Saying it twice with different values is a problem, not a silent pick.
 */
export function readServiceLimits(
  r: ComposeReport,
  servicePath: Path,
  service: Mapping,
): ServiceLimits {
  const resources: ResourcesModel = { deviceRequests: [] };
  const result: ServiceLimits = { resources };
  const origins: Partial<Record<string, Path>> = {};
  const set = (key: AmountKey, value: number | undefined, path: Path) => {
    if (value === undefined) return;
    const before = resources[key];
    const origin = origins[key];
    if (before !== undefined && origin !== undefined && before !== value) {
      r.problem(
        path,
        `this differs from ${formatJsonPath(origin)}, which sets the same limit: keep one of them`,
      );
      return;
    }
    resources[key] = value;
    origins[key] = path;
  };
  const deploy = service.deploy;
  const deployPath = field(servicePath, 'deploy');
  if (deploy !== undefined && deploy !== null) {
    if (!isMapping(deploy)) {
      r.problem(deployPath, `deploy must be a mapping, not ${shown(deploy)}`);
    } else {
      readKeys(
        r,
        deployPath,
        deploy,
        {
          resources: (v, p) => readDeployResources(r, p, v, set, resources),
          restart_policy: (v, p) => (result.restart = readRestartPolicy(r, p, v)),
        },
        (key) =>
          `deploy.${key} is not supported by Commissioner${Object.hasOwn(DEPLOY_UNSUPPORTED, key) ? `: ${DEPLOY_UNSUPPORTED[key]}` : ''}; only deploy.resources and deploy.restart_policy are`,
      );
    }
  }
  const legacy: [string, AmountKey, 'bytes' | 'cpus' | 'int'][] = [
    ['mem_limit', 'memoryBytes', 'bytes'],
    ['mem_reservation', 'reservedMemoryBytes', 'bytes'],
    ['cpus', 'nanoCpus', 'cpus'],
    ['pids_limit', 'pidsLimit', 'int'],
  ];
  for (const [key, target, kind] of legacy) {
    const value = service[key];
    if (value === undefined || value === null) continue;
    const path = field(servicePath, key);
    set(target, readAmount(r, path, value, kind, key), path);
  }
  return result;
}

function readAmount(
  r: ComposeReport,
  path: Path,
  value: unknown,
  kind: 'bytes' | 'cpus' | 'int',
  what: string,
): number | undefined {
  if (kind === 'int') return readInt(r, path, value, what, { min: -1 });
  const parsed = kind === 'bytes' ? parseByteSize(value) : parseNanoCpus(value);
  if (parsed === undefined) {
    r.problem(
      path,
      kind === 'bytes'
        ? `${what}: ${shown(value)} is not a size: ${BYTE_SIZE_HINT}`
        : `${what}: ${shown(value)} is not a number of CPUs, such as 0.5 or 2`,
    );
  }
  return parsed;
}

function readDeployResources(
  r: ComposeReport,
  path: Path,
  value: unknown,
  set: (key: AmountKey, value: number | undefined, path: Path) => void,
  resources: ResourcesModel,
): void {
  if (!isMapping(value)) {
    r.problem(
      path,
      `resources must be a mapping with limits and reservations, not ${shown(value)}`,
    );
    return;
  }
  readKeys(
    r,
    path,
    value,
    {
      limits: (v, p) =>
        readAmounts(r, p, v, 'limits', {
          cpus: (n, np) => set('nanoCpus', readAmount(r, np, n, 'cpus', 'cpus'), np),
          memory: (n, np) => set('memoryBytes', readAmount(r, np, n, 'bytes', 'memory'), np),
          pids: (n, np) => set('pidsLimit', readAmount(r, np, n, 'int', 'pids'), np),
        }),
      reservations: (v, p) =>
        readAmounts(r, p, v, 'reservations', {
          cpus: (n, np) => set('reservedNanoCpus', readAmount(r, np, n, 'cpus', 'cpus'), np),
          memory: (n, np) =>
            set('reservedMemoryBytes', readAmount(r, np, n, 'bytes', 'memory'), np),
          devices: (n, np) => resources.deviceRequests.push(...readDeviceRequests(r, np, n)),
        }),
    },
    (key) => `resources.${key} is not supported by Commissioner: use limits and reservations`,
  );
}

function readAmounts(
  r: ComposeReport,
  path: Path,
  value: unknown,
  what: string,
  readers: Record<string, (value: unknown, path: Path) => void>,
): void {
  if (!isMapping(value)) {
    r.problem(
      path,
      `${what} must be a mapping, such as {cpus: 0.5, memory: 512m}, not ${shown(value)}`,
    );
    return;
  }
  readKeys(
    r,
    path,
    value,
    readers,
    (key) =>
      `${what}.${key} is not supported by Commissioner: use ${Object.keys(readers).join(', ')}`,
  );
}

/** `devices:` of reservations: GPUs and other devices the engine hands over by driver. */
function readDeviceRequests(r: ComposeReport, path: Path, value: unknown): DeviceRequestModel[] {
  if (!Array.isArray(value)) {
    r.problem(
      path,
      `devices must be a list of device requests ({capabilities: [gpu], count: all}), not ${shown(value)}`,
    );
    return [];
  }
  const requests: DeviceRequestModel[] = [];
  value.forEach((item, i) => {
    const itemPath = field(path, i);
    if (!isMapping(item)) {
      r.problem(
        itemPath,
        `a device request must be a mapping such as {capabilities: [gpu], count: all}, not ${shown(item)}`,
      );
      return;
    }
    const request: DeviceRequestModel = { capabilities: [] };
    let ok = true;
    readKeys(
      r,
      itemPath,
      item,
      {
        driver: (v, p) => {
          const driver = readName(r, p, v, 'driver');
          if (driver === undefined) ok = false;
          else request.driver = driver;
        },
        count: (v, p) => {
          if (v === 'all') request.count = -1;
          else {
            const count = readInt(r, p, v, 'count (a number, or all)', { min: 1 });
            if (count === undefined) ok = false;
            else request.count = count;
          }
        },
        device_ids: (v, p) => {
          const ids = readTextList(r, p, v, 'device_ids');
          if (ids === undefined) ok = false;
          else request.deviceIds = ids;
        },
        capabilities: (v, p) => {
          const capabilities = readTextList(r, p, v, 'capabilities');
          if (capabilities === undefined) ok = false;
          else request.capabilities = [capabilities];
        },
        options: (v, p) => (request.options = readStringRecord(r, p, v, 'options')),
      },
      (key) =>
        `${key} is not a device request setting: use driver, count, device_ids, capabilities or options`,
    );
    if (!ok) return;
    if (request.capabilities.length === 0 || request.capabilities[0]?.length === 0) {
      r.problem(itemPath, 'a device request needs capabilities, such as [gpu]');
      return;
    }
    if (request.count !== undefined && request.deviceIds !== undefined) {
      r.problem(
        itemPath,
        'count and device_ids cannot both be given: name the devices, or say how many',
      );
      return;
    }
    // Compose reserves every matching device when neither is given.
    if (request.count === undefined && request.deviceIds === undefined) request.count = -1;
    requests.push(request);
  });
  return requests;
}

const RESTART_CONDITIONS: Record<string, RestartModel['name']> = {
  none: 'no',
  'on-failure': 'on-failure',
  any: 'always',
};

function readRestartPolicy(r: ComposeReport, path: Path, value: unknown): RestartModel | undefined {
  if (!isMapping(value)) {
    r.problem(
      path,
      `restart_policy must be a mapping such as {condition: on-failure, max_attempts: 3}, not ${shown(value)}`,
    );
    return undefined;
  }
  const policy: RestartModel = { name: 'always' };
  let ok = true;
  readKeys(
    r,
    path,
    value,
    {
      condition: (v, p) => {
        const condition = readText(r, p, v, 'condition');
        const name =
          condition !== undefined && Object.hasOwn(RESTART_CONDITIONS, condition)
            ? RESTART_CONDITIONS[condition]
            : undefined;
        if (name === undefined) {
          if (condition !== undefined)
            r.problem(p, `condition must be none, on-failure or any, not "${condition}"`);
          ok = false;
        } else policy.name = name;
      },
      max_attempts: (v, p) => {
        const attempts = readInt(r, p, v, 'max_attempts', { min: 0 });
        if (attempts === undefined) ok = false;
        else policy.maxRetries = attempts;
      },
      delay: (v, p) => {
        if (parseDurationNs(v) === undefined) r.problem(p, `delay: ${DURATION_HINT}`);
        else
          r.warning(p, 'delay is not applied: the Docker engine restarts with its own back-off', {
            atKey: true,
          });
      },
      window: (v, p) => {
        if (parseDurationNs(v) === undefined) r.problem(p, `window: ${DURATION_HINT}`);
        else r.warning(p, 'window is not applied: it needs a swarm', { atKey: true });
      },
    },
    (key) => `${key} is not a restart_policy setting: use condition, max_attempts, delay or window`,
  );
  if (!ok) return undefined;
  if (policy.name !== 'on-failure') delete policy.maxRetries;
  return policy;
}

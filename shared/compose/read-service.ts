import { BYTE_SIZE_HINT, parseByteSize } from './byte-size';
import { unsupportedServiceKey } from './compose-keys';
import type { LoggingModel, RestartModel, ServiceModel } from './compose-model';
import type { ComposeReport } from './compose-report';
import { DURATION_HINT, parseDurationNs } from './duration';
import { readDependsOn } from './read-depends-on';
import { readEnvironment, type EnvironmentSources } from './read-environment';
import { readHealthcheck } from './read-healthcheck';
import {
  readDevices,
  readExtraHosts,
  readNamespaceMode,
  readSecurityOpt,
  readSysctls,
  readUlimits,
} from './read-host-access';
import { readMounts } from './read-mounts';
import { readPorts } from './read-ports';
import { readServiceLimits } from './read-resources';
import {
  shown,
  field,
  isMapping,
  readBool,
  readKeys,
  readName,
  readStringRecord,
  readText,
  readTextList,
  readTextMap,
  setOwn,
  type Path,
} from './read-scalars';
import { readServiceConfigs } from './read-service-configs';
import { readServiceNetworks } from './read-service-networks';
import { shellSplit } from './shell-split';

/** Container names (and so service names, which become part of them) as Docker accepts them. */
export const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

type TextKey =
  | 'user'
  | 'workingDir'
  | 'hostname'
  | 'domainname'
  | 'stopSignal'
  | 'platform'
  | 'macAddress'
  | 'containerName';
type FlagKey = 'privileged' | 'readOnly' | 'stdinOpen' | 'tty' | 'init';
type ListKey = 'capAdd' | 'capDrop' | 'dns' | 'expose' | 'groupAdd' | 'tmpfs';

const IPC_MODES = ['host', 'private', 'shareable', 'none'] as const;

/** Pull policies that never reach for a registry: the image is in the kit, side-loaded. */
const OFFLINE_PULL_POLICIES = ['never', 'missing', 'if_not_present'];

/**
 * One service of compose.yaml, every short and long syntax read into the normalized model.
 * Returns undefined when the service cannot be deployed as written; the problems say why.
 * Keys are read in the file's order so problems come out in reading order.
 */
export function readService(
  r: ComposeReport,
  name: string,
  value: unknown,
  sources: EnvironmentSources,
): ServiceModel | undefined {
  const path: Path = ['services', name];
  const before = r.problems.length;
  if (!CONTAINER_NAME.test(name)) {
    r.problem(
      path,
      `the service name "${name}" may hold only letters, digits, _ . - and must start with a letter or digit (it becomes part of container names)`,
      { atKey: true },
    );
  }
  if (!isMapping(value)) {
    r.problem(
      path,
      `the service ${name} must be a mapping with at least image:, not ${shown(value)}`,
      { atKey: true },
    );
    return undefined;
  }
  const service: ServiceModel = {
    name,
    image: '',
    environment: readEnvironment(r, path, value.environment, value.env_file, sources),
    ports: [],
    mounts: [],
    configs: [],
    networks: [{ name: 'default', aliases: [] }],
    dependsOn: [],
    restart: { name: 'no' },
    labels: {},
    devices: [],
    capAdd: [],
    capDrop: [],
    privileged: false,
    readOnly: false,
    tmpfs: [],
    ulimits: [],
    resources: { deviceRequests: [] },
    extraHosts: [],
    dns: [],
    expose: [],
    groupAdd: [],
    stdinOpen: false,
    tty: false,
  };
  const limits = readServiceLimits(r, path, value);
  service.resources = limits.resources;
  const text = (key: TextKey) => (v: unknown, p: Path) => {
    const read = readName(r, p, v, p[p.length - 1] as string);
    if (read !== undefined) service[key] = read;
  };
  const flag = (key: FlagKey) => (v: unknown, p: Path) => {
    const read = readBool(r, p, v, p[p.length - 1] as string);
    if (read !== undefined) service[key] = read;
  };
  const list =
    (key: ListKey, single = false) =>
    (v: unknown, p: Path) => {
      service[key] = readTextList(r, p, v, p[p.length - 1] as string, { single }) ?? [];
    };
  // Read above: environment with env_file, resources from deploy and the short keys together.
  const ignore = () => undefined;
  readKeys(
    r,
    path,
    value,
    {
      image: (v, p) => (service.image = readName(r, p, v, 'image') ?? ''),
      container_name: (v, p) => {
        text('containerName')(v, p);
        if (service.containerName !== undefined && !CONTAINER_NAME.test(service.containerName)) {
          r.problem(
            p,
            `the container name "${service.containerName}" may hold only letters, digits, _ . - and must start with a letter or digit`,
          );
        }
      },
      command: (v, p) => setCommand(r, p, v, service, 'command'),
      entrypoint: (v, p) => setCommand(r, p, v, service, 'entrypoint'),
      environment: ignore,
      env_file: ignore,
      ports: (v, p) => (service.ports = readPorts(r, p, v)),
      volumes: (v, p) => (service.mounts = readMounts(r, p, v)),
      networks: (v, p) => (service.networks = readServiceNetworks(r, p, v)),
      depends_on: (v, p) => (service.dependsOn = readDependsOn(r, p, v)),
      restart: (v, p) => {
        const restart = readRestart(r, p, v);
        if (restart) service.restart = restart;
      },
      healthcheck: (v, p) => {
        const check = readHealthcheck(r, p, v);
        if (check) service.healthcheck = check;
      },
      labels: (v, p) => (service.labels = labelsOf(r, p, v)),
      user: text('user'),
      working_dir: text('workingDir'),
      devices: (v, p) => (service.devices = readDevices(r, p, v)),
      cap_add: list('capAdd'),
      cap_drop: list('capDrop'),
      privileged: flag('privileged'),
      read_only: flag('readOnly'),
      tmpfs: list('tmpfs', true),
      ulimits: (v, p) => (service.ulimits = readUlimits(r, p, v)),
      deploy: ignore,
      mem_limit: ignore,
      mem_reservation: ignore,
      cpus: ignore,
      pids_limit: ignore,
      extra_hosts: (v, p) => (service.extraHosts = readExtraHosts(r, p, v)),
      hostname: text('hostname'),
      domainname: text('domainname'),
      stop_grace_period: (v, p) => {
        const ns = parseDurationNs(v);
        if (ns === undefined)
          r.problem(p, `stop_grace_period: ${shown(v)} is not a duration: ${DURATION_HINT}`);
        else service.stopGracePeriodNs = ns;
      },
      stop_signal: text('stopSignal'),
      logging: (v, p) => {
        const logging = readLogging(r, p, v);
        if (logging) service.logging = logging;
      },
      init: flag('init'),
      configs: (v, p) => (service.configs = readServiceConfigs(r, p, v)),
      shm_size: (v, p) => {
        const bytes = parseByteSize(v);
        if (bytes === undefined)
          r.problem(p, `shm_size: ${shown(v)} is not a size: ${BYTE_SIZE_HINT}`);
        else service.shmSizeBytes = bytes;
      },
      dns: list('dns', true),
      expose: list('expose'),
      group_add: list('groupAdd'),
      platform: text('platform'),
      pull_policy: (v, p) => {
        const policy = readName(r, p, v, 'pull_policy');
        if (policy === undefined) return;
        service.pullPolicy = policy;
        if (!OFFLINE_PULL_POLICIES.includes(policy)) {
          r.warning(
            p,
            `pull_policy ${policy} asks for a registry pull: Commissioner delivers the image from the kit and never pulls, so the image must be in the kit`,
          );
        }
      },
      stdin_open: flag('stdinOpen'),
      tty: flag('tty'),
      mac_address: text('macAddress'),
      security_opt: (v, p) => {
        const options = readSecurityOpt(r, p, v);
        if (options.length > 0) service.securityOpt = options;
      },
      userns_mode: (v, p) => {
        const mode = readNamespaceMode(r, p, v, 'userns_mode', ['host'] as const);
        if (mode) service.usernsMode = mode;
      },
      ipc: (v, p) => {
        const mode = readNamespaceMode(r, p, v, 'ipc', IPC_MODES);
        if (mode) service.ipc = mode;
      },
      cgroup: (v, p) => {
        const mode = readNamespaceMode(r, p, v, 'cgroup', ['host', 'private'] as const);
        if (mode) service.cgroup = mode;
      },
      sysctls: (v, p) => {
        const sysctls = readSysctls(r, p, v);
        if (sysctls) service.sysctls = sysctls;
      },
    },
    unsupportedServiceKey,
  );
  if (limits.restart) {
    if (Object.hasOwn(value, 'restart')) {
      r.problem(
        field(path, 'deploy'),
        `the service sets both restart and deploy.restart_policy: keep one of them`,
      );
    } else service.restart = limits.restart;
  }
  if (!Object.hasOwn(value, 'image') && !Object.hasOwn(value, 'build')) {
    r.problem(
      path,
      `the service ${name} has no image: images must come pre-built in the kit, named by image:`,
      { atKey: true },
    );
  }
  for (const entry of service.expose) {
    if (!/^\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/.test(entry)) {
      r.problem(
        field(path, 'expose'),
        `expose takes ports such as 3000, 3000/udp or 3000-3005, not "${entry}"`,
      );
    }
  }
  return r.problems.length === before ? service : undefined;
}

function setCommand(
  r: ComposeReport,
  path: Path,
  value: unknown,
  service: ServiceModel,
  key: 'command' | 'entrypoint',
): void {
  if (value === null) return;
  if (typeof value === 'string') {
    const split = shellSplit(value);
    if (split.ok) service[key] = split.words;
    else r.problem(path, `${key}: ${split.message}`);
    return;
  }
  const words = readTextList(r, path, value, key);
  if (words !== undefined) service[key] = words;
}

const RESTART_NAMES = ['no', 'always', 'on-failure', 'unless-stopped'];

function readRestart(r: ComposeReport, path: Path, value: unknown): RestartModel | undefined {
  const text = readText(r, path, value, 'restart');
  if (text === undefined) return undefined;
  const m = /^on-failure:(\d+)$/.exec(text);
  if (m) return { name: 'on-failure', maxRetries: Number(m[1]) };
  if (RESTART_NAMES.includes(text)) return { name: text as RestartModel['name'] };
  r.problem(
    path,
    `restart must be "no", always, on-failure, on-failure:<retries> or unless-stopped, not ${shown(value)}`,
  );
  return undefined;
}

/** Labels are text: `version: 1.10` stays "1.10"; a list item without "=" is a label with an empty value. */
function labelsOf(r: ComposeReport, path: Path, value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, text] of readTextMap(r, path, value, 'labels') ?? [])
    setOwn(out, key, text ?? '');
  return out;
}

function readLogging(r: ComposeReport, path: Path, value: unknown): LoggingModel | undefined {
  if (!isMapping(value)) {
    r.problem(path, `logging must be a mapping with driver and options, not ${shown(value)}`);
    return undefined;
  }
  const logging: LoggingModel = { options: {} };
  readKeys(
    r,
    path,
    value,
    {
      driver: (v, p) => {
        const driver = readName(r, p, v, 'driver');
        if (driver !== undefined) logging.driver = driver;
      },
      options: (v, p) => (logging.options = v === null ? {} : readStringRecord(r, p, v, 'options')),
    },
    (key) => `${key} is not a logging setting: use driver and options`,
  );
  return logging;
}

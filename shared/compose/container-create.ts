import type {
  MountModel,
  NetworkModel,
  ServiceModel,
  ServiceNetworkModel,
  VolumeModel,
} from './compose-model';
import { portRange } from './read-ports';

/** What the deployer knows and the model does not: real names and where files are on the device. */
export interface ContainerContext {
  projectName: string;
  /** The image as the device knows it (side-loaded from the kit): a tag or an id. */
  imageRef: string;
  /** The com.docker.compose.* labels (see `containerLabels`); they win over the file's labels. */
  labels: Record<string, string>;
  networkName(nameInFile: string): string;
  volumeName(nameInFile: string): string;
  /** The volume an earlier container had at this path, to keep its data across a recreate. */
  anonymousVolume?(target: string): string | undefined;
  /** Absolute device path of a file or folder of the archive (`conf/app.conf`, `.` = its root). */
  archivePath(relativePath: string): string;
  /** Absolute device path of the file holding a config's content. */
  configPath(configName: string): string;
}

type Body = Record<string, unknown>;

/**
 * The body of `POST /containers/create` (Engine API 1.41, Docker 20.10) for one service.
 * Docker 20.10 attaches a new container to one network only: the service's first network is
 * given here, the others are returned by `extraNetworks` for `POST /networks/{id}/connect`
 * before the container starts. Empty lists and maps are left out.
 */
export function containerCreateBody(service: ServiceModel, context: ContainerContext): Body {
  const body: Body = { Image: context.imageRef };
  set(body, 'Cmd', service.command);
  set(body, 'Entrypoint', service.entrypoint);
  const env = Object.keys(service.environment)
    .sort()
    .map((key) => `${key}=${service.environment[key]}`);
  set(body, 'Env', env.length > 0 ? env : undefined);
  body.Labels = { ...service.labels, ...context.labels };
  set(body, 'ExposedPorts', nonEmpty(exposedPorts(service)));
  set(body, 'Healthcheck', service.healthcheck && healthcheck(service.healthcheck));
  set(body, 'User', service.user);
  set(body, 'WorkingDir', service.workingDir);
  set(body, 'Hostname', service.hostname);
  set(body, 'Domainname', service.domainname);
  set(body, 'StopSignal', service.stopSignal);
  if (service.stopGracePeriodNs !== undefined) {
    body.StopTimeout = Math.floor(service.stopGracePeriodNs / 1e9);
  }
  body.Tty = service.tty;
  body.OpenStdin = service.stdinOpen;
  set(body, 'MacAddress', service.macAddress);
  body.HostConfig = hostConfig(service, context);
  const primary = service.networks[0];
  if (primary) {
    body.NetworkingConfig = {
      EndpointsConfig: { [context.networkName(primary.name)]: endpointConfig(service, primary) },
    };
  }
  return body;
}

/** The service's networks after the first, for `POST /networks/{id}/connect` (body `{Container, EndpointConfig}`). */
export function extraNetworks(
  service: ServiceModel,
  context: ContainerContext,
): { networkName: string; EndpointConfig: Body }[] {
  return service.networks.slice(1).map((network) => ({
    networkName: context.networkName(network.name),
    EndpointConfig: endpointConfig(service, network),
  }));
}

/** The body of `POST /networks/create`. External networks are the device's: never created. */
export function networkCreateBody(
  name: string,
  network: NetworkModel,
  realName: string,
  labels: Record<string, string>,
): Body {
  if (network.external) {
    throw new Error(
      `network ${name} is external: it must exist on the device and is never created`,
    );
  }
  const body: Body = {
    Name: realName,
    // Docker 20.10 would otherwise accept a second network of the same name.
    CheckDuplicate: true,
    Driver: network.driver ?? 'bridge',
    Internal: network.internal,
    Attachable: network.attachable,
    EnableIPv6: network.enableIpv6,
    Labels: { ...network.labels, ...labels },
  };
  set(body, 'Options', nonEmpty(network.driverOpts));
  if (network.ipam) {
    const ipam: Body = {
      Driver: network.ipam.driver ?? 'default',
      Config: network.ipam.config.map((pool) => {
        const config: Body = {};
        set(config, 'Subnet', pool.subnet);
        set(config, 'Gateway', pool.gateway);
        set(config, 'IPRange', pool.ipRange);
        set(config, 'AuxiliaryAddresses', pool.auxAddresses);
        return config;
      }),
    };
    set(ipam, 'Options', nonEmpty(network.ipam.options));
    body.IPAM = ipam;
  }
  return body;
}

/** The body of `POST /volumes/create`. External volumes are the device's: never created. */
export function volumeCreateBody(
  name: string,
  volume: VolumeModel,
  realName: string,
  labels: Record<string, string>,
): Body {
  if (volume.external) {
    throw new Error(`volume ${name} is external: it must exist on the device and is never created`);
  }
  return {
    Name: realName,
    Driver: volume.driver ?? 'local',
    DriverOpts: volume.driverOpts,
    Labels: { ...volume.labels, ...labels },
  };
}

function hostConfig(service: ServiceModel, context: ContainerContext): Body {
  const host: Body = {};
  const binds: string[] = [];
  const mounts: Body[] = [];
  for (const mount of service.mounts) {
    if (mount.type === 'bind' && usesBinds(mount)) binds.push(bindText(mount, context));
    else mounts.push(mountBody(mount, context));
  }
  for (const config of service.configs) {
    mounts.push({
      Type: 'bind',
      Source: context.configPath(config.source),
      Target: config.target,
      ReadOnly: true,
    });
  }
  set(host, 'Binds', binds.length > 0 ? binds : undefined);
  set(host, 'Mounts', mounts.length > 0 ? mounts : undefined);
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of service.ports) {
    const key = `${port.target}/${port.protocol}`;
    (bindings[key] ??= []).push({
      HostIp: port.hostIp ?? '',
      HostPort: port.published === undefined ? '' : String(port.published),
    });
  }
  set(host, 'PortBindings', nonEmpty(bindings));
  const restart: Body = { Name: service.restart.name };
  if (service.restart.maxRetries !== undefined)
    restart.MaximumRetryCount = service.restart.maxRetries;
  host.RestartPolicy = restart;
  set(host, 'CapAdd', nonEmptyList(service.capAdd));
  set(host, 'CapDrop', nonEmptyList(service.capDrop));
  host.Privileged = service.privileged;
  host.ReadonlyRootfs = service.readOnly;
  const tmpfs: Record<string, string> = {};
  for (const entry of service.tmpfs) {
    const colon = entry.indexOf(':');
    if (colon < 0) tmpfs[entry] = '';
    else tmpfs[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  set(host, 'Tmpfs', nonEmpty(tmpfs));
  set(
    host,
    'Ulimits',
    nonEmptyList(service.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard }))),
  );
  const resources = service.resources;
  set(host, 'NanoCpus', resources.nanoCpus);
  set(host, 'Memory', resources.memoryBytes);
  set(host, 'PidsLimit', resources.pidsLimit);
  set(host, 'MemoryReservation', resources.reservedMemoryBytes);
  // Docker has no CPU reservation for a single engine; reservedNanoCpus is a swarm scheduling hint.
  set(
    host,
    'DeviceRequests',
    nonEmptyList(
      resources.deviceRequests.map((request) => {
        const out: Body = { Driver: request.driver ?? '' };
        set(out, 'Count', request.count);
        set(out, 'DeviceIDs', request.deviceIds);
        out.Capabilities = request.capabilities;
        set(out, 'Options', request.options);
        return out;
      }),
    ),
  );
  set(
    host,
    'Devices',
    nonEmptyList(
      service.devices.map((d) => ({
        PathOnHost: d.pathOnHost,
        PathInContainer: d.pathInContainer,
        CgroupPermissions: d.cgroupPermissions,
      })),
    ),
  );
  set(host, 'ExtraHosts', nonEmptyList(service.extraHosts));
  if (service.logging) {
    host.LogConfig = { Type: service.logging.driver ?? '', Config: service.logging.options };
  }
  set(host, 'Init', service.init);
  set(host, 'Dns', nonEmptyList(service.dns));
  set(host, 'GroupAdd', nonEmptyList(service.groupAdd));
  set(host, 'ShmSize', service.shmSizeBytes);
  set(host, 'SecurityOpt', service.securityOpt);
  set(host, 'UsernsMode', service.usernsMode);
  set(host, 'IpcMode', service.ipc);
  // Engine API 1.41 (Docker 20.10) knows CgroupnsMode.
  set(host, 'CgroupnsMode', service.cgroup);
  set(host, 'Sysctls', service.sysctls);
  const primary = service.networks[0];
  if (primary) host.NetworkMode = context.networkName(primary.name);
  return host;
}

/**
 * Binds (`src:dst:opts`) are used only where Mounts cannot say the same: a device path that
 * must be created when missing (what `-v` does, and what the short syntax promises), and
 * SELinux relabeling (`z`/`Z`), which Mounts do not offer. Archive files are never created
 * empty: a missing one must fail loudly.
 */
function usesBinds(mount: MountModel): boolean {
  return (
    mount.selinux !== undefined || (mount.bindFrom === 'device' && mount.createHostPath === true)
  );
}

function bindText(mount: MountModel, context: ContainerContext): string {
  const options = [
    mount.readOnly ? 'ro' : 'rw',
    ...(mount.selinux ? [mount.selinux] : []),
    ...(mount.propagation ? [mount.propagation] : []),
  ];
  return `${bindSource(mount, context)}:${mount.target}:${options.join(',')}`;
}

function bindSource(mount: MountModel, context: ContainerContext): string {
  const source = mount.source ?? '';
  return mount.bindFrom === 'archive' ? context.archivePath(source) : source;
}

function mountBody(mount: MountModel, context: ContainerContext): Body {
  const body: Body = { Type: mount.type };
  if (mount.type === 'volume') {
    const source =
      mount.source !== undefined
        ? context.volumeName(mount.source)
        : context.anonymousVolume?.(mount.target);
    set(body, 'Source', source);
  } else if (mount.type === 'bind') {
    body.Source = bindSource(mount, context);
  }
  body.Target = mount.target;
  body.ReadOnly = mount.readOnly;
  if (mount.type === 'volume' && mount.nocopy) body.VolumeOptions = { NoCopy: true };
  if (mount.type === 'bind' && mount.propagation) {
    body.BindOptions = { Propagation: mount.propagation };
  }
  if (mount.type === 'tmpfs') {
    const options: Body = {};
    set(options, 'SizeBytes', mount.tmpfsSizeBytes);
    set(options, 'Mode', mount.tmpfsMode);
    set(body, 'TmpfsOptions', nonEmpty(options));
  }
  return body;
}

function endpointConfig(service: ServiceModel, network: ServiceNetworkModel): Body {
  const endpoint: Body = { Aliases: [service.name, ...network.aliases] };
  if (network.ipv4Address !== undefined || network.ipv6Address !== undefined) {
    const ipam: Body = {};
    set(ipam, 'IPv4Address', network.ipv4Address);
    set(ipam, 'IPv6Address', network.ipv6Address);
    endpoint.IPAMConfig = ipam;
  }
  return endpoint;
}

/** `"80/tcp": {}` for every published port and every `expose:` entry (ranges expanded). */
function exposedPorts(service: ServiceModel): Record<string, Record<string, never>> {
  const out: Record<string, Record<string, never>> = {};
  for (const port of service.ports) out[`${port.target}/${port.protocol}`] = {};
  for (const entry of service.expose) {
    const [ports = '', protocol = 'tcp'] = entry.split('/');
    const range = portRange(ports);
    if (!range) continue;
    for (let port = range[0]; port <= range[1]; port++) out[`${port}/${protocol}`] = {};
  }
  return out;
}

function healthcheck(check: NonNullable<ServiceModel['healthcheck']>): Body {
  const out: Body = { Test: check.test };
  set(out, 'Interval', check.intervalNs);
  set(out, 'Timeout', check.timeoutNs);
  set(out, 'Retries', check.retries);
  set(out, 'StartPeriod', check.startPeriodNs);
  set(out, 'StartInterval', check.startIntervalNs);
  return out;
}

function set(target: Body, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

function nonEmptyList<T>(value: T[]): T[] | undefined {
  return value.length > 0 ? value : undefined;
}

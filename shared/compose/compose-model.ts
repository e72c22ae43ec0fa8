import { z } from 'zod';

/*
 * The normalized compose model: what the loader makes of compose.yaml once every short and
 * long syntax is read, interpolated and checked. Everything the deployer needs is explicit
 * here (no defaults left to guess), optional fields are absent rather than undefined, and the
 * whole model is plain JSON, so it can be stored with a revision and hashed.
 */

export const PortProtocol = z.enum(['tcp', 'udp', 'sctp']);
export type PortProtocol = z.infer<typeof PortProtocol>;

/** One container port; `9000-9002:9000-9002` becomes three of these. */
export const PortModel = z.strictObject({
  target: z.number().int().min(1).max(65535),
  /** Host port; absent = Docker picks a free one. */
  published: z.number().int().min(1).max(65535).optional(),
  protocol: PortProtocol,
  hostIp: z.string().optional(),
});
export type PortModel = z.infer<typeof PortModel>;

export const MountType = z.enum(['volume', 'bind', 'tmpfs']);
export type MountType = z.infer<typeof MountType>;

export const BindPropagation = z.enum([
  'private',
  'rprivate',
  'shared',
  'rshared',
  'slave',
  'rslave',
]);
export type BindPropagation = z.infer<typeof BindPropagation>;

export const MountModel = z.strictObject({
  type: MountType,
  /**
   * Volume: its name as written in the file (absent = anonymous volume). Bind: the path as
   * normalized, relative to the archive root (`conf/app.conf`, `.` for the root) when
   * `bindFrom` is 'archive', the absolute device path when 'device'. Tmpfs: absent.
   */
  source: z.string().optional(),
  target: z.string(),
  readOnly: z.boolean(),
  /** Relative binds (`./conf`) are files of the archive; absolute ones are the device's. */
  bindFrom: z.enum(['archive', 'device']).optional(),
  /** Short-syntax binds create a missing host path (as `docker run -v` does); long syntax does not. */
  createHostPath: z.boolean().optional(),
  propagation: BindPropagation.optional(),
  /** SELinux relabeling: `z` shared, `Z` private. */
  selinux: z.enum(['z', 'Z']).optional(),
  /** Docker Desktop hints (`cached`, `delegated`, `consistent`); no effect on a Linux engine. */
  consistency: z.string().optional(),
  nocopy: z.boolean().optional(),
  tmpfsSizeBytes: z.number().int().min(0).optional(),
  tmpfsMode: z.number().int().min(0).optional(),
});
export type MountModel = z.infer<typeof MountModel>;

export const ServiceConfigModel = z.strictObject({
  source: z.string(),
  /** Absolute path in the container; `/<source>` when the file does not say. */
  target: z.string(),
  uid: z.string().optional(),
  gid: z.string().optional(),
  mode: z.number().int().min(0).optional(),
});
export type ServiceConfigModel = z.infer<typeof ServiceConfigModel>;

export const ServiceNetworkModel = z.strictObject({
  name: z.string(),
  aliases: z.array(z.string()),
  ipv4Address: z.string().optional(),
  ipv6Address: z.string().optional(),
  priority: z.number().int().optional(),
});
export type ServiceNetworkModel = z.infer<typeof ServiceNetworkModel>;

export const DependsOnCondition = z.enum([
  'service_started',
  'service_healthy',
  'service_completed_successfully',
]);
export type DependsOnCondition = z.infer<typeof DependsOnCondition>;

export const DependsOnModel = z.strictObject({
  service: z.string(),
  condition: DependsOnCondition,
  required: z.boolean(),
  restart: z.boolean(),
});
export type DependsOnModel = z.infer<typeof DependsOnModel>;

export const RestartName = z.enum(['no', 'always', 'on-failure', 'unless-stopped']);
export type RestartName = z.infer<typeof RestartName>;

export const RestartModel = z.strictObject({
  name: RestartName,
  maxRetries: z.number().int().min(0).optional(),
});
export type RestartModel = z.infer<typeof RestartModel>;

export const HealthcheckModel = z.strictObject({
  /** Docker's form: ["CMD", …], ["CMD-SHELL", "…"], ["NONE"]; [] = the image's own check. */
  test: z.array(z.string()),
  intervalNs: z.number().int().min(0).optional(),
  timeoutNs: z.number().int().min(0).optional(),
  retries: z.number().int().min(0).optional(),
  startPeriodNs: z.number().int().min(0).optional(),
  startIntervalNs: z.number().int().min(0).optional(),
});
export type HealthcheckModel = z.infer<typeof HealthcheckModel>;

export const DeviceModel = z.strictObject({
  pathOnHost: z.string(),
  pathInContainer: z.string(),
  cgroupPermissions: z.string(),
});
export type DeviceModel = z.infer<typeof DeviceModel>;

export const UlimitModel = z.strictObject({
  name: z.string(),
  soft: z.number().int(),
  hard: z.number().int(),
});
export type UlimitModel = z.infer<typeof UlimitModel>;

export const DeviceRequestModel = z.strictObject({
  driver: z.string().optional(),
  /** -1 = every matching device. */
  count: z.number().int().min(-1).optional(),
  deviceIds: z.array(z.string()).optional(),
  /** Docker's OR-of-ANDs form; compose writes one AND list. */
  capabilities: z.array(z.array(z.string())),
  options: z.record(z.string(), z.string()).optional(),
});
export type DeviceRequestModel = z.infer<typeof DeviceRequestModel>;

export const ResourcesModel = z.strictObject({
  nanoCpus: z.number().int().min(0).optional(),
  memoryBytes: z.number().int().min(0).optional(),
  pidsLimit: z.number().int().optional(),
  reservedNanoCpus: z.number().int().min(0).optional(),
  reservedMemoryBytes: z.number().int().min(0).optional(),
  deviceRequests: z.array(DeviceRequestModel),
});
export type ResourcesModel = z.infer<typeof ResourcesModel>;

export const LoggingModel = z.strictObject({
  driver: z.string().optional(),
  options: z.record(z.string(), z.string()),
});
export type LoggingModel = z.infer<typeof LoggingModel>;

export const ServiceModel = z.strictObject({
  name: z.string(),
  image: z.string(),
  containerName: z.string().optional(),
  command: z.array(z.string()).optional(),
  entrypoint: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()),
  ports: z.array(PortModel),
  mounts: z.array(MountModel),
  configs: z.array(ServiceConfigModel),
  /** Primary network first (highest priority, then by name, as docker compose orders them). */
  networks: z.array(ServiceNetworkModel),
  dependsOn: z.array(DependsOnModel),
  restart: RestartModel,
  healthcheck: HealthcheckModel.optional(),
  labels: z.record(z.string(), z.string()),
  user: z.string().optional(),
  workingDir: z.string().optional(),
  devices: z.array(DeviceModel),
  capAdd: z.array(z.string()),
  capDrop: z.array(z.string()),
  privileged: z.boolean(),
  readOnly: z.boolean(),
  /** `/run` or `/run:size=64m,mode=1777`, as `docker run --tmpfs` takes them. */
  tmpfs: z.array(z.string()),
  ulimits: z.array(UlimitModel),
  resources: ResourcesModel,
  /** `host:ip`, Docker's ExtraHosts form. */
  extraHosts: z.array(z.string()),
  hostname: z.string().optional(),
  domainname: z.string().optional(),
  stopGracePeriodNs: z.number().int().min(0).optional(),
  stopSignal: z.string().optional(),
  logging: LoggingModel.optional(),
  init: z.boolean().optional(),
  dns: z.array(z.string()),
  /** `3000`, `3000/udp`: ports opened to other containers only. */
  expose: z.array(z.string()),
  groupAdd: z.array(z.string()),
  platform: z.string().optional(),
  pullPolicy: z.string().optional(),
  shmSizeBytes: z.number().int().min(0).optional(),
  stdinOpen: z.boolean(),
  tty: z.boolean(),
  macAddress: z.string().optional(),
  /**
   * Settings that loosen the container's confinement on the device (absent when the file does
   * not set them, so the config hash of services without them is what it always was).
   * `key=value` as the Engine API takes them: `seccomp=unconfined`, `no-new-privileges=true`.
   */
  securityOpt: z.array(z.string()).optional(),
  /** `host`: outside the engine's user namespace remapping. */
  usernsMode: z.literal('host').optional(),
  ipc: z.enum(['host', 'private', 'shareable', 'none']).optional(),
  cgroup: z.enum(['host', 'private']).optional(),
  sysctls: z.record(z.string(), z.string()).optional(),
});
export type ServiceModel = z.infer<typeof ServiceModel>;

export const IpamPoolModel = z.strictObject({
  subnet: z.string().optional(),
  gateway: z.string().optional(),
  ipRange: z.string().optional(),
  auxAddresses: z.record(z.string(), z.string()).optional(),
});
export type IpamPoolModel = z.infer<typeof IpamPoolModel>;

export const NetworkModel = z.strictObject({
  driver: z.string().optional(),
  driverOpts: z.record(z.string(), z.string()),
  /** External networks exist on the device already; Commissioner never creates or removes them. */
  external: z.boolean(),
  /** The real name when the file sets one (`name:`, or the external network's name). */
  name: z.string().optional(),
  internal: z.boolean(),
  attachable: z.boolean(),
  enableIpv6: z.boolean(),
  labels: z.record(z.string(), z.string()),
  ipam: z
    .strictObject({
      driver: z.string().optional(),
      config: z.array(IpamPoolModel),
      options: z.record(z.string(), z.string()),
    })
    .optional(),
});
export type NetworkModel = z.infer<typeof NetworkModel>;

export const VolumeModel = z.strictObject({
  driver: z.string().optional(),
  driverOpts: z.record(z.string(), z.string()),
  external: z.boolean(),
  name: z.string().optional(),
  labels: z.record(z.string(), z.string()),
});
export type VolumeModel = z.infer<typeof VolumeModel>;

export const ConfigModel = z.strictObject({
  /** The archive file it came from (normalized, relative to compose.yaml); absent for inline `content`. */
  file: z.string().optional(),
  content: z.string(),
});
export type ConfigModel = z.infer<typeof ConfigModel>;

export const ComposeModel = z.strictObject({
  /** In file order. */
  services: z.array(ServiceModel),
  networks: z.record(z.string(), NetworkModel),
  volumes: z.record(z.string(), VolumeModel),
  configs: z.record(z.string(), ConfigModel),
});
export type ComposeModel = z.infer<typeof ComposeModel>;

export const ComposeProblem = z.strictObject({
  file: z.string(),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  /** Where in the file, e.g. `services.web.ports[0]`; '' = the whole file. */
  path: z.string(),
  message: z.string(),
});
export type ComposeProblem = z.infer<typeof ComposeProblem>;

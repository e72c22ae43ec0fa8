import { z } from 'zod';
import type { PathSegment } from '../validation/diagnostic';
import { formatJsonPath } from '../validation/json-path';
import type { ComposeModel, MountModel, ServiceModel, VolumeModel } from './compose-model';

/*
 * What an application may do to the device it runs on, read from its compose model: the
 * settings that reach past the container into the device itself. `critical` findings give
 * the container control of the device (root on it, or every container on it); `elevated`
 * ones give it a part of the device an ordinary container does not have. The engineer sees
 * these before a deployment and acknowledges them; a device can refuse them altogether.
 */

export const HostAccessSeverity = z.enum(['critical', 'elevated']);
export type HostAccessSeverity = z.infer<typeof HostAccessSeverity>;

/** Stable ids, listed in docs/validation-rules.md ("Host access"): never rename one. */
export const HostAccessRule = z.enum([
  'host-privileged',
  'host-capability',
  'host-device',
  'host-docker-socket',
  'host-bind-system',
  'host-bind',
  'host-root-bind',
  'host-security-opt',
  'host-userns',
  'host-ipc',
  'host-cgroup',
  'host-sysctl',
]);
export type HostAccessRule = z.infer<typeof HostAccessRule>;

export const HostAccessFinding = z.strictObject({
  /** The component (compose file) the service belongs to. */
  component: z.string(),
  service: z.string(),
  rule: HostAccessRule,
  severity: HostAccessSeverity,
  /** One plain sentence: what the service gets, and what it can do with it. */
  message: z.string(),
  /** Where in the compose file, e.g. `services.web.volumes[0]` (for file:line:column). */
  path: z.string(),
});
export type HostAccessFinding = z.infer<typeof HostAccessFinding>;

/** Capabilities in Docker's default set: adding one changes nothing. */
const DEFAULT_CAPABILITIES = new Set([
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SYS_CHROOT',
  'MKNOD',
  'AUDIT_WRITE',
  'SETFCAP',
]);

/** Capabilities that let a container out of its confinement, with what they allow. */
const CRITICAL_CAPABILITIES: Record<string, string> = {
  ALL: 'it can do what root on the device can',
  SYS_ADMIN: 'it can mount file systems and leave its confinement',
  SYS_MODULE: "it can load code into the device's kernel",
  SYS_RAWIO: "it can read and write the device's memory and disks directly",
  SYS_PTRACE: 'it can inspect and change other processes',
  DAC_READ_SEARCH: "it can open files of the device's file system by handle, outside its own",
  MAC_ADMIN: "it can change the device's mandatory access control",
  MAC_OVERRIDE: "it can bypass the device's mandatory access control",
  BPF: 'it can load programs into the kernel',
};

const CAPABILITY_EFFECTS: Record<string, string> = {
  NET_ADMIN: 'it can reconfigure its network interfaces, routes and firewall',
  SYS_TIME: "it can set the device's clock",
  SYS_BOOT: 'it can restart the device',
  SYS_NICE: 'it can raise its priority over the processes of the device',
  SYS_RESOURCE: 'it can exceed resource limits',
  IPC_LOCK: 'it can lock memory',
  PERFMON: 'it can watch the performance of every process',
  SYSLOG: "it can read the kernel's log",
  NET_BROADCAST: 'it can broadcast and listen to multicast',
  WAKE_ALARM: 'it can wake the device',
};

/** Device paths whose files are the device itself, and what each holds. */
const SYSTEM_PATHS: Record<string, string> = {
  '/': 'every file on the device',
  '/etc': "the device's configuration, users and passwords",
  '/proc': "the device's processes and kernel settings",
  '/sys': "the device's kernel and hardware settings",
  '/dev': "the device's disks, memory and hardware",
  '/var/lib/docker': 'the files of every container and image on the device',
  '/run/containerd': "the container runtime's socket, which controls every container",
  '/var/run/containerd': "the container runtime's socket, which controls every container",
};

const DOCKER_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

/** Device files that are the device's memory or disks. */
const RAW_DEVICES =
  /^\/dev\/(mem|kmem|port|(sd|hd|vd|xvd)[a-z]+\d*|nvme\d.*|mmcblk\d.*|dm-\d+|md\d+|loop\d+|disk\/.*)$/;

/**
 * The host-access findings of one compose model: for each service, in file order, what it is
 * given of the device. Critical findings come first.
 */
export function reviewHostAccess(model: ComposeModel, component: string): HostAccessFinding[] {
  return reviewHostAccessPlaced(model, component).map((p) => p.finding);
}

/** A finding with the path of the compose node it is about, to place it at file:line:column. */
export interface PlacedHostAccessFinding {
  finding: HostAccessFinding;
  at: PathSegment[];
}

export function reviewHostAccessPlaced(
  model: ComposeModel,
  component: string,
): PlacedHostAccessFinding[] {
  const placed: PlacedHostAccessFinding[] = [];
  for (const service of model.services) {
    const add: Add = (rule, severity, message, at) => {
      const path: PathSegment[] = ['services', service.name, ...at];
      placed.push({
        finding: {
          component,
          service: service.name,
          rule,
          severity,
          message: `service ${service.name} ${message}`,
          path: formatJsonPath(path),
        },
        at: path,
      });
    };
    reviewService(service, model.volumes, add);
  }
  const rank = (p: PlacedHostAccessFinding) => (p.finding.severity === 'critical' ? 0 : 1);
  return placed
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map(({ p }) => p);
}

type Add = (
  rule: HostAccessRule,
  severity: HostAccessSeverity,
  message: string,
  at: PathSegment[],
) => void;

function reviewService(
  service: ServiceModel,
  volumes: Record<string, VolumeModel>,
  add: Add,
): void {
  if (service.privileged) {
    add(
      'host-privileged',
      'critical',
      'runs privileged: it has every capability and every device file of the device, which is root on the device',
      ['privileged'],
    );
  }
  const capabilities = [...new Set(service.capAdd.map(capabilityName))];
  for (const cap of capabilities) {
    if (DEFAULT_CAPABILITIES.has(cap)) continue;
    const path = ['cap_add'];
    const critical = CRITICAL_CAPABILITIES[cap];
    if (cap === 'ALL')
      add('host-capability', 'critical', `adds every capability (cap_add ALL): ${critical}`, path);
    else if (critical)
      add('host-capability', 'critical', `adds the capability ${cap}: ${critical}`, path);
    else {
      add(
        'host-capability',
        'elevated',
        `adds the capability ${cap}: ${CAPABILITY_EFFECTS[cap] ?? 'a privilege containers do not have by default'}`,
        path,
      );
    }
  }
  service.devices.forEach((device, i) => {
    const as =
      device.pathInContainer === device.pathOnHost ? '' : ` (as ${device.pathInContainer})`;
    if (RAW_DEVICES.test(device.pathOnHost)) {
      add(
        'host-device',
        'critical',
        `has the device file ${device.pathOnHost}${as}: it can read and write the device's memory or disk directly`,
        ['devices', i],
      );
    } else {
      add(
        'host-device',
        'elevated',
        `has the device file ${device.pathOnHost}${as}: it can use that hardware directly`,
        ['devices', i],
      );
    }
  });
  let bindsDevice = false;
  service.mounts.forEach((mount, i) => {
    const source = deviceSource(mount, volumes);
    if (source === undefined) return;
    bindsDevice = true;
    reviewBind(source, mount, ['volumes', i], add);
  });
  for (const option of service.securityOpt ?? []) reviewSecurityOption(option, add);
  if (service.usernsMode === 'host') {
    add(
      'host-userns',
      'elevated',
      "runs outside the engine's user namespace remapping (userns_mode: host): on a device that remaps users, its root is the device's root",
      ['userns_mode'],
    );
  }
  if (service.ipc === 'host') {
    add(
      'host-ipc',
      'elevated',
      "shares the device's IPC namespace (ipc: host): it can reach the shared memory of the device's processes",
      ['ipc'],
    );
  }
  if (service.cgroup === 'host') {
    add(
      'host-cgroup',
      'elevated',
      "uses the device's cgroup namespace (cgroup: host): it sees the control groups of the device's processes",
      ['cgroup'],
    );
  }
  const sysctls = Object.keys(service.sysctls ?? {});
  if (sysctls.length > 0) {
    add(
      'host-sysctl',
      'elevated',
      `sets the kernel parameters ${sysctls.join(', ')}: the engine applies them to the container's own namespaces`,
      ['sysctls'],
    );
  }
  if (bindsDevice && runsAsRoot(service)) {
    add(
      'host-root-bind',
      'elevated',
      `runs as root${service.user === undefined ? " (the image's user, unless the image names another)" : ''} and mounts paths of the device: what it writes there is owned by root on the device`,
      service.user === undefined ? [] : ['user'],
    );
  }
}

function reviewBind(source: string, mount: MountModel, path: PathSegment[], add: Add): void {
  const access = mount.readOnly ? 'read-only' : 'writable';
  // The whole file system holds the socket too, but says more as what it is.
  const socket =
    source === '/' ? undefined : DOCKER_SOCKETS.find((s) => s === source || isBelow(s, source));
  if (socket !== undefined) {
    add(
      'host-docker-socket',
      'critical',
      socket === source
        ? "mounts the device's Docker socket: it can control every container on the device"
        : `mounts the device's ${source} (${access}), which holds the Docker socket: it can control every container on the device`,
      path,
    );
    return;
  }
  for (const [system, holds] of Object.entries(SYSTEM_PATHS)) {
    if (source === system) {
      const what = system === '/' ? 'whole file system (/)' : system;
      add(
        'host-bind-system',
        'critical',
        `mounts the device's ${what} (${access}): it can ${mount.readOnly ? 'read' : 'read and change'} ${holds}`,
        path,
      );
      return;
    }
    if (system !== '/' && isBelow(system, source)) {
      add(
        'host-bind-system',
        'critical',
        `mounts the device's ${source} (${access}), which holds ${system}: it can ${mount.readOnly ? 'read' : 'read and change'} ${holds}`,
        path,
      );
      return;
    }
    if (system !== '/' && isBelow(source, system) && !mount.readOnly) {
      add(
        'host-bind-system',
        'critical',
        `mounts the device's ${source} (writable), part of ${system}: it can change ${holds}`,
        path,
      );
      return;
    }
  }
  add(
    'host-bind',
    'elevated',
    `mounts the device's ${source} (${access}): it can ${mount.readOnly ? 'read' : 'read and change'} what is there`,
    path,
  );
}

function reviewSecurityOption(option: string, add: Add): void {
  const [key, value = ''] = option.split(/=(.*)/s) as [string, string?];
  const path = ['security_opt'];
  if (key === 'seccomp' && value === 'unconfined') {
    add(
      'host-security-opt',
      'critical',
      'turns off its system-call filter (seccomp=unconfined): it can make kernel calls containers are denied',
      path,
    );
  } else if (key === 'apparmor' && value === 'unconfined') {
    add(
      'host-security-opt',
      'critical',
      'runs without an AppArmor profile (apparmor=unconfined): nothing limits which files and kernel interfaces it reaches',
      path,
    );
  } else if (key === 'apparmor') {
    add(
      'host-security-opt',
      'elevated',
      `runs under the device's AppArmor profile ${value} instead of the engine's default: it has what that profile allows`,
      path,
    );
  } else if (key === 'label' && value === 'disable') {
    add(
      'host-security-opt',
      'critical',
      'runs without SELinux separation (label=disable): on a device that enforces SELinux it reaches what containers are denied',
      path,
    );
  } else if (key === 'label' && value !== 'nested') {
    add(
      'host-security-opt',
      'elevated',
      `sets its SELinux label (${option}): it has what that label allows on a device that enforces SELinux`,
      path,
    );
  } else if (key === 'systempaths' && value === 'unconfined') {
    add(
      'host-security-opt',
      'critical',
      "sees the kernel's /proc and /sys paths that containers are denied (systempaths=unconfined)",
      path,
    );
  }
}

/** The device path a mount takes: an absolute bind, or a local volume that binds a device folder. */
function deviceSource(mount: MountModel, volumes: Record<string, VolumeModel>): string | undefined {
  if (mount.type === 'bind' && mount.bindFrom === 'device' && mount.source !== undefined) {
    return normalizeDevicePath(mount.source);
  }
  if (mount.type !== 'volume' || mount.source === undefined) return undefined;
  const volume = Object.hasOwn(volumes, mount.source) ? volumes[mount.source] : undefined;
  if (!volume || volume.external || (volume.driver !== undefined && volume.driver !== 'local'))
    return undefined;
  const device = volume.driverOpts.device;
  const bind = (volume.driverOpts.o ?? '').split(',').some((o) => o === 'bind' || o === 'rbind');
  return bind && device?.startsWith('/') ? normalizeDevicePath(device) : undefined;
}

/** `/var//run/./docker.sock/` → `/var/run/docker.sock`; `..` is resolved as the kernel would. */
export function normalizeDevicePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** `child` is strictly inside `parent`. */
function isBelow(child: string, parent: string): boolean {
  return parent === '/' ? child !== '/' : child.startsWith(`${parent}/`);
}

function capabilityName(cap: string): string {
  return cap.trim().toUpperCase().replace(/^CAP_/, '');
}

function runsAsRoot(service: ServiceModel): boolean {
  if (service.user === undefined) return true;
  const user = service.user.split(':')[0]?.trim();
  return user === '' || user === '0' || user === 'root';
}

/** `critical` first; the count of each, for a one-line summary. */
export function hostAccessSummary(findings: readonly HostAccessFinding[]): string {
  const critical = findings.filter((f) => f.severity === 'critical').length;
  const elevated = findings.length - critical;
  return [critical > 0 ? `${critical} critical` : '', elevated > 0 ? `${elevated} elevated` : '']
    .filter(Boolean)
    .join(', ');
}

/** The findings as lines for a message or a terminal: `critical: service web mounts …`. */
export function describeHostAccess(findings: readonly HostAccessFinding[]): string[] {
  return findings.map((f) => `${f.severity}: ${f.message} [${f.rule}]`);
}

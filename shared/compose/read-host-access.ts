import type { DeviceModel, UlimitModel } from './compose-model';
import type { ComposeReport } from './compose-report';
import {
  shown,
  field,
  isMapping,
  readInt,
  readKeys,
  readName,
  readText,
  readTextList,
  readTextMap,
  setOwn,
  type Path,
} from './read-scalars';

/*
 * The settings that reach into the device itself: its devices (serial ports, cameras), its
 * kernel limits, and its name resolution.
 */

/** `devices:` — "/dev/ttyUSB0", "/dev/ttyUSB0:/dev/ttyS0", "/dev/x:/dev/y:rwm", or {source, target, permissions}. */
export function readDevices(r: ComposeReport, path: Path, value: unknown): DeviceModel[] {
  if (!Array.isArray(value)) {
    r.problem(path, `devices must be a list such as ["/dev/ttyUSB0"], not ${shown(value)}`);
    return [];
  }
  const out: DeviceModel[] = [];
  value.forEach((item, i) => {
    const itemPath = field(path, i);
    let host: string | undefined;
    let container: string | undefined;
    let permissions = 'rwm';
    if (isMapping(item)) {
      readKeys(
        r,
        itemPath,
        item,
        {
          source: (v, p) => (host = readName(r, p, v, 'source')),
          target: (v, p) => (container = readName(r, p, v, 'target')),
          permissions: (v, p) => (permissions = readName(r, p, v, 'permissions') ?? permissions),
        },
        (key) => `${key} is not a device setting: use source, target or permissions`,
      );
    } else {
      const text = readName(r, itemPath, item, 'each device');
      if (text === undefined) return;
      const parts = text.split(':');
      host = parts[0];
      // Like `docker run --device`: a second part that is not a path is the permissions.
      if (parts.length === 2 && !(parts[1] as string).startsWith('/'))
        permissions = parts[1] as string;
      else container = parts[1];
      if (parts.length === 3) permissions = parts[2] as string;
      if (parts.length > 3) {
        r.problem(
          itemPath,
          `"${text}" has too many ":": write /dev/on-device[:/dev/in-container[:rwm]]`,
        );
        return;
      }
    }
    if (host === undefined) {
      r.problem(
        itemPath,
        'a device needs the path of the device on the device (source), such as /dev/ttyUSB0',
      );
      return;
    }
    if (!host.startsWith('/') || (container !== undefined && !container.startsWith('/'))) {
      r.problem(
        itemPath,
        `device paths are absolute, such as /dev/ttyUSB0: "${host}${container ? `:${container}` : ''}" is not`,
      );
      return;
    }
    if (!/^[rwm]{1,3}$/.test(permissions)) {
      r.problem(
        itemPath,
        `device permissions are letters r (read), w (write), m (mknod), such as rwm, not "${permissions}"`,
      );
      return;
    }
    out.push({
      pathOnHost: host,
      pathInContainer: container ?? host,
      cgroupPermissions: permissions,
    });
  });
  return out;
}

/** `ulimits:` — `nofile: 65535` (soft = hard) or `nofile: {soft, hard}`. */
export function readUlimits(r: ComposeReport, path: Path, value: unknown): UlimitModel[] {
  if (!isMapping(value)) {
    r.problem(
      path,
      `ulimits must be a mapping such as {nofile: {soft: 20000, hard: 40000}}, not ${shown(value)}`,
    );
    return [];
  }
  const out: UlimitModel[] = [];
  for (const name of r.keysOf(path, value)) {
    const item = value[name];
    const itemPath = field(path, name);
    if (!isMapping(item)) {
      const limit = readInt(r, itemPath, item, `ulimit ${name}`, { min: -1 });
      if (limit !== undefined) out.push({ name, soft: limit, hard: limit });
      continue;
    }
    let soft: number | undefined;
    let hard: number | undefined;
    readKeys(
      r,
      itemPath,
      item,
      {
        soft: (v, p) => (soft = readInt(r, p, v, 'soft', { min: -1 })),
        hard: (v, p) => (hard = readInt(r, p, v, 'hard', { min: -1 })),
      },
      (key) => `${key} is not a ulimit setting: use soft and hard`,
    );
    if (soft === undefined || hard === undefined) {
      if (!('soft' in item) || !('hard' in item))
        r.problem(itemPath, `ulimit ${name} needs both soft and hard`);
      continue;
    }
    if (hard !== -1 && (soft === -1 || soft > hard)) {
      r.problem(itemPath, `ulimit ${name}: soft (${soft}) cannot be above hard (${hard})`);
      continue;
    }
    out.push({ name, soft, hard });
  }
  return out;
}

/** `extra_hosts:` — "host:ip", "host=ip", or host → ip (or a list of ips); Docker takes "host:ip". */
export function readExtraHosts(r: ComposeReport, path: Path, value: unknown): string[] {
  const out: string[] = [];
  const add = (p: Path, host: string, ip: string, text: string) => {
    const address = ip.trim().replace(/^\[(.*)\]$/, '$1');
    if (host.trim() === '' || address === '') {
      r.problem(p, `"${text}" must name a host and an address, such as "historian:10.0.7.20"`);
      return;
    }
    out.push(`${host.trim()}:${address}`);
  };
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const text = readText(r, field(path, i), item, 'each extra host');
      if (text === undefined) return;
      const equals = text.indexOf('=');
      const cut = equals >= 0 ? equals : text.indexOf(':');
      if (cut < 0) r.problem(field(path, i), `"${text}" must be host:address or host=address`);
      else add(field(path, i), text.slice(0, cut), text.slice(cut + 1), text);
    });
  } else if (isMapping(value)) {
    for (const host of r.keysOf(path, value)) {
      const p = field(path, host);
      const addresses =
        readTextList(r, p, value[host], `the address of ${host}`, { single: true }) ?? [];
      for (const address of addresses) add(p, host, address, `${host}: ${address}`);
    }
  } else {
    r.problem(
      path,
      `extra_hosts must be a list of "host:address" or a mapping host → address, not ${shown(value)}`,
    );
  }
  return out;
}

/**
 * `security_opt:` — what loosens or tightens the container's confinement, normalized to the
 * `key=value` form the Engine API takes. A seccomp profile file is refused: the engine would
 * need its JSON content, and a profile is a security decision the engineer cannot see.
 */
export function readSecurityOpt(r: ComposeReport, path: Path, value: unknown): string[] {
  const out: string[] = [];
  (readTextList(r, path, value, 'security_opt') ?? []).forEach((text, i) => {
    const option = securityOption(text.trim());
    if (typeof option === 'string') out.push(option);
    else r.problem(field(path, i), option.problem);
  });
  return out;
}

const LABEL_PARTS = /^(user|role|type|level):\S+$/;

function securityOption(text: string): string | { problem: string } {
  if (text === 'no-new-privileges') return 'no-new-privileges=true';
  const cut = text.search(/[=:]/);
  const key = cut < 0 ? text : text.slice(0, cut);
  const value = cut < 0 ? '' : text.slice(cut + 1);
  switch (key) {
    case 'no-new-privileges':
      if (value === 'true' || value === 'false') return `${key}=${value}`;
      break;
    case 'seccomp':
      if (value === 'unconfined') return `${key}=${value}`;
      return {
        problem: `security_opt ${text}: a seccomp profile is not supported by Commissioner: remove it (the engine's default profile applies) or write seccomp=unconfined`,
      };
    case 'apparmor':
      if (/^[A-Za-z0-9_.-]+$/.test(value)) return `${key}=${value}`;
      break;
    case 'label':
      if (value === 'disable' || value === 'nested' || LABEL_PARTS.test(value))
        return `${key}=${value}`;
      break;
    case 'systempaths':
      if (value === 'unconfined') return `${key}=${value}`;
      break;
  }
  return {
    problem: `security_opt "${text}" is not an option Commissioner knows: use no-new-privileges, seccomp=unconfined, apparmor=<profile>, label=disable, label=<user|role|type|level>:<value> or systempaths=unconfined`,
  };
}

/** `userns_mode`, `ipc`, `cgroup`: one of the modes the engine takes without another container. */
export function readNamespaceMode<T extends string>(
  r: ComposeReport,
  path: Path,
  value: unknown,
  key: string,
  modes: readonly T[],
): T | undefined {
  const text = readName(r, path, value, key);
  if (text === undefined) return undefined;
  if ((modes as readonly string[]).includes(text)) return text as T;
  const shared = /^(service|container):/.test(text);
  r.problem(
    path,
    shared
      ? `${key}: ${text} is not supported by Commissioner: a service does not share another container's namespace (use ${modes.join(', ')})`
      : `${key} must be ${modes.join(' or ')}, not "${text}"`,
  );
  return undefined;
}

/** `sysctls:` — `net.core.somaxconn: 1024` or ["net.core.somaxconn=1024"]. */
export function readSysctls(
  r: ComposeReport,
  path: Path,
  value: unknown,
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [key, text] of readTextMap(r, path, value, 'sysctls') ?? []) {
    if (!/^[a-z0-9_]+(\.[a-zA-Z0-9_*-]+)+$/.test(key)) {
      r.problem(path, `"${key}" is not a kernel parameter name such as net.core.somaxconn`);
      continue;
    }
    if (text === null || text === '') {
      r.problem(path, `the kernel parameter ${key} needs a value`);
      continue;
    }
    setOwn(out, key, text);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

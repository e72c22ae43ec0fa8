import { archivePath } from './archive-path';
import type { ConfigModel, IpamPoolModel, NetworkModel, VolumeModel } from './compose-model';
import type { ComposeReport } from './compose-report';
import {
  shown,
  field,
  isMapping,
  readBool,
  readKeys,
  readName,
  readStringRecord,
  readText,
  type Mapping,
  type Path,
} from './read-scalars';

/** Names of networks and volumes as Docker accepts them. */
const RESOURCE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Each entry of a top-level section (`networks:`, `volumes:`, `configs:`), null entries as {}. */
function entries(
  r: ComposeReport,
  section: string,
  value: unknown,
): [name: string, item: Mapping, path: Path][] {
  if (value === null || value === undefined) return [];
  if (!isMapping(value)) {
    r.problem([section], `${section} must be a mapping of names, not ${shown(value)}`);
    return [];
  }
  const out: [string, Mapping, Path][] = [];
  for (const name of r.keysOf([section], value)) {
    const item = value[name];
    const path: Path = [section, name];
    if (!RESOURCE_NAME.test(name)) {
      r.problem(
        path,
        `"${name}" may hold only letters, digits, _ . - and must start with a letter or digit`,
        { atKey: true },
      );
      continue;
    }
    if (item !== null && !isMapping(item)) {
      r.problem(path, `${name} must be a mapping of settings (or empty), not ${shown(item)}`);
      continue;
    }
    out.push([name, item ?? {}, path]);
  }
  return out;
}

/** `external:` as true/false, or the legacy `{name: real}` (with a warning naming the current form). */
function readExternal(
  r: ComposeReport,
  path: Path,
  value: unknown,
  target: { external: boolean; name?: string },
): void {
  if (isMapping(value)) {
    const name = readName(r, field(path, 'name'), value.name, 'external.name');
    if (name === undefined) return;
    target.external = true;
    target.name = name;
    r.warning(
      path,
      `external: {name: ${name}} is the old form: write external: true and name: ${name}`,
      { atKey: true },
    );
    return;
  }
  target.external = readBool(r, path, value, 'external') ?? false;
}

/** External resources belong to the device: settings for creating them would be ignored, so they are refused. */
function checkExternal(r: ComposeReport, path: Path, item: Mapping, what: string): void {
  for (const key of Object.keys(item)) {
    if (key === 'external' || key === 'name' || key.startsWith('x-')) continue;
    r.problem(
      field(path, key),
      `${key} cannot be set on an external ${what}: it exists on the device already and is used as it is`,
      { atKey: true },
    );
  }
}

export function readNetworks(r: ComposeReport, value: unknown): Record<string, NetworkModel> {
  const out: Record<string, NetworkModel> = {};
  for (const [name, item, path] of entries(r, 'networks', value)) {
    const network: NetworkModel = {
      driverOpts: {},
      external: false,
      internal: false,
      attachable: false,
      enableIpv6: false,
      labels: {},
    };
    const flag = (key: 'internal' | 'attachable' | 'enableIpv6') => (v: unknown, p: Path) => {
      network[key] = readBool(r, p, v, p[p.length - 1] as string) ?? false;
    };
    readKeys(
      r,
      path,
      item,
      {
        driver: (v, p) => {
          const driver = readName(r, p, v, 'driver');
          if (driver !== undefined) network.driver = driver;
        },
        driver_opts: (v, p) => (network.driverOpts = readStringRecord(r, p, v, 'driver_opts')),
        external: (v, p) => readExternal(r, p, v, network),
        name: (v, p) => {
          const real = readName(r, p, v, 'name');
          if (real !== undefined) network.name = real;
        },
        internal: flag('internal'),
        attachable: flag('attachable'),
        enable_ipv6: flag('enableIpv6'),
        labels: (v, p) => (network.labels = readStringRecord(r, p, v, 'labels')),
        ipam: (v, p) => {
          const ipam = readIpam(r, p, v);
          if (ipam) network.ipam = ipam;
        },
      },
      (key) =>
        `${key} is not supported by Commissioner for a network: use driver, driver_opts, external, name, internal, attachable, enable_ipv6, labels or ipam`,
    );
    if (network.external) checkExternal(r, path, item, 'network');
    out[name] = network;
  }
  return out;
}

function readIpam(r: ComposeReport, path: Path, value: unknown): NetworkModel['ipam'] {
  if (!isMapping(value)) {
    r.problem(path, `ipam must be a mapping with driver and config, not ${shown(value)}`);
    return undefined;
  }
  const ipam: NonNullable<NetworkModel['ipam']> = { config: [], options: {} };
  readKeys(
    r,
    path,
    value,
    {
      driver: (v, p) => {
        const driver = readName(r, p, v, 'driver');
        if (driver !== undefined) ipam.driver = driver;
      },
      options: (v, p) => (ipam.options = readStringRecord(r, p, v, 'options')),
      config: (v, p) => {
        if (!Array.isArray(v)) {
          r.problem(p, `config must be a list of {subnet, gateway, ip_range}, not ${shown(v)}`);
          return;
        }
        v.forEach((pool, i) => {
          const poolPath = field(p, i);
          if (!isMapping(pool)) {
            r.problem(
              poolPath,
              `each ipam config must be a mapping such as {subnet: 172.28.0.0/16}, not ${shown(pool)}`,
            );
            return;
          }
          const model: IpamPoolModel = {};
          const text = (key: 'subnet' | 'gateway' | 'ipRange') => (t: unknown, tp: Path) => {
            const read = readName(r, tp, t, tp[tp.length - 1] as string);
            if (read !== undefined) model[key] = read;
          };
          readKeys(
            r,
            poolPath,
            pool,
            {
              subnet: text('subnet'),
              gateway: text('gateway'),
              ip_range: text('ipRange'),
              aux_addresses: (t, tp) =>
                (model.auxAddresses = readStringRecord(r, tp, t, 'aux_addresses')),
            },
            (key) =>
              `${key} is not an ipam config setting: use subnet, gateway, ip_range or aux_addresses`,
          );
          ipam.config.push(model);
        });
      },
    },
    (key) => `${key} is not an ipam setting: use driver, config or options`,
  );
  return ipam;
}

export function readVolumes(r: ComposeReport, value: unknown): Record<string, VolumeModel> {
  const out: Record<string, VolumeModel> = {};
  for (const [name, item, path] of entries(r, 'volumes', value)) {
    const volume: VolumeModel = { driverOpts: {}, external: false, labels: {} };
    readKeys(
      r,
      path,
      item,
      {
        driver: (v, p) => {
          const driver = readName(r, p, v, 'driver');
          if (driver !== undefined) volume.driver = driver;
        },
        driver_opts: (v, p) => (volume.driverOpts = readStringRecord(r, p, v, 'driver_opts')),
        external: (v, p) => readExternal(r, p, v, volume),
        name: (v, p) => {
          const real = readName(r, p, v, 'name');
          if (real !== undefined) volume.name = real;
        },
        labels: (v, p) => (volume.labels = readStringRecord(r, p, v, 'labels')),
      },
      (key) =>
        `${key} is not supported by Commissioner for a volume: use driver, driver_opts, external, name or labels`,
    );
    if (volume.external) checkExternal(r, path, item, 'volume');
    out[name] = volume;
  }
  return out;
}

/**
 * Top-level `configs:`: a `file:` of the archive (read now, so a missing file is reported
 * before anything reaches the device) or inline `content:`. External configs need a swarm;
 * `environment:` configs would copy a variable of the laptop's shell.
 */
export function readConfigs(
  r: ComposeReport,
  value: unknown,
  readFile: (relativePath: string) => string | undefined,
): Record<string, ConfigModel> {
  const out: Record<string, ConfigModel> = {};
  for (const [name, item, path] of entries(r, 'configs', value)) {
    let config: ConfigModel | undefined;
    readKeys(
      r,
      path,
      item,
      {
        file: (v, p) => {
          const written = readName(r, p, v, 'file');
          if (written === undefined) return;
          const relative = archivePath(written);
          if (!relative.ok) {
            r.problem(p, `config ${name}: ${relative.message}`);
            return;
          }
          const content = readFile(relative.path);
          if (content === undefined) {
            r.problem(
              p,
              `config ${name}: the file ${relative.path} is not in the application's files: add it to the compose archive`,
            );
            return;
          }
          config = { file: relative.path, content };
        },
        content: (v, p) => {
          const content = readText(r, p, v, 'content');
          if (content !== undefined) config = { content };
        },
        external: (_v, p) =>
          r.problem(
            p,
            `config ${name}: external configs are not supported by Commissioner: they need a Docker swarm; ship the file with the application (file:)`,
            { atKey: true },
          ),
        environment: (_v, p) =>
          r.problem(
            p,
            `config ${name}: configs from environment variables are not supported by Commissioner: use content: with \${VARIABLE} in it`,
            { atKey: true },
          ),
        // The swarm name of the config; a single engine has no use for it.
        name: () => undefined,
      },
      (key) => `${key} is not a config setting: use file or content`,
    );
    const sources = ['file', 'content', 'external', 'environment'].filter((k) => k in item);
    if (sources.length > 1) {
      r.problem(
        path,
        `config ${name} sets ${sources.join(' and ')}: give exactly one of file or content`,
        { atKey: true },
      );
    } else if (sources.length === 0) {
      r.problem(path, `config ${name} needs file: (a file of the application) or content:`, {
        atKey: true,
      });
    } else if (config) {
      out[name] = config;
    }
  }
  return out;
}

import { existsSync } from 'node:fs';
import { DescribedCapabilities } from '../../../shared/devices/described-capabilities';
import {
  DeviceName,
  describeConnection,
  parseDockerHost,
  type DockerConnection,
} from '../../../shared/devices/device-connection';
import type { ProbeResult } from '../../../shared/devices/probe-result';
import { InterfaceType, PeripheralType } from '../../../shared/margo/resources';
import { CAPACITY } from '../../../shared/margo/patterns';
import { formatBytes } from '../../../shared/units/quantity';
import {
  addDevice,
  DeviceExistsError,
  getDevice,
  keepTlsFiles,
  listDevices,
  removeDevice,
  updateDescribed,
  updateLabels,
  type DeviceRecord,
} from '../../core/devices/device-inventory';
import { probeDevices } from '../../core/devices/probe-devices';
import type { Store } from '../../core/store/store';
import { resolveFromCaller } from '../caller-directory';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';

export interface DescribeOptions {
  vendor?: string;
  model?: string;
  serial?: string;
  storage?: string;
  peripheral?: string[];
  interface?: string[];
}

export interface AddOptions extends DescribeOptions {
  host: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  plainTcp?: boolean;
  identity?: string;
  label?: string[];
  json?: boolean;
}

class UsageError extends Error {}

/**
 * `devices add docker <name> --host …`: records the device even when it cannot be reached now
 * (and says so), after one probe to tell the engineer what was found.
 */
export async function runDevicesAdd(
  store: Store,
  kind: string,
  name: string,
  options: AddOptions,
  output: Output,
): Promise<ExitCode> {
  try {
    if (kind !== 'docker')
      throw new UsageError(
        `unknown device kind "${kind}": only docker devices are added by hand (Margo devices register themselves)`,
      );
    const parsedName = DeviceName.safeParse(name);
    if (!parsedName.success)
      throw new UsageError(
        `device name "${name}": ${parsedName.error.issues[0]?.message ?? 'invalid'}`,
      );
    const host = parseDockerHost(options.host);
    if (!host.ok) throw new UsageError(`--host: ${host.message}`);
    const labels = parseLabels(options.label ?? []).set;
    const described = describedFrom(options, {});
    let connection: DockerConnection;
    const h = host.connection;
    if (h.protocol === 'tcp') {
      const files = { ca: options.tlsCa, cert: options.tlsCert, key: options.tlsKey };
      const given = Object.values(files).filter(Boolean).length;
      if (options.plainTcp) {
        if (given > 0) throw new UsageError('--plain-tcp and --tls-* exclude each other');
        connection = { ...h, tls: null };
      } else {
        if (given !== 3) {
          throw new UsageError(
            'a tcp:// device needs --tls-ca, --tls-cert and --tls-key (Docker over TCP without TLS gives root to anyone on the network; --plain-tcp if you must)',
          );
        }
        const resolved = {
          ca: resolveFromCaller(files.ca as string),
          cert: resolveFromCaller(files.cert as string),
          key: resolveFromCaller(files.key as string),
        };
        for (const [which, path] of Object.entries(resolved)) {
          if (!existsSync(path)) throw new UsageError(`--tls-${which} ${path} does not exist`);
        }
        if (getDevice(store, name))
          throw new DeviceExistsError(
            `a device named ${name} already exists: remove it first or choose another name`,
          );
        connection = { ...h, tls: keepTlsFiles(store, name, resolved) };
      }
    } else if (h.protocol === 'ssh') {
      connection = {
        ...h,
        ...(options.identity ? { identityFile: resolveFromCaller(options.identity) } : {}),
      };
    } else {
      connection = h;
    }
    addDevice(store, { name, kind: 'docker', connection, labels, described });
    const { results } = await probeDevices(store, [name]);
    const result = results[0] as ProbeResult;
    if (options.json)
      output.out(
        JSON.stringify({ name, connection: describeConnection(connection), probe: result }),
      );
    else if (result.reachable)
      output.out(
        `added ${name} (${describeConnection(connection)}): reachable, ${summary(result)}`,
      );
    else {
      output.out(
        `added ${name} (${describeConnection(connection)}), but it cannot be reached now: ${result.error?.message ?? 'unknown error'}\nIt stays in the inventory; probe it again with: commissioner devices probe ${name}`,
      );
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError || e instanceof DeviceExistsError) {
      output.err(`commissioner devices add: ${e.message}`);
      return e instanceof UsageError ? EXIT.usage : EXIT.findings;
    }
    throw e;
  }
}

export function runDevicesList(
  store: Store,
  options: { json?: boolean },
  output: Output,
): ExitCode {
  const devices = listDevices(store);
  if (options.json) {
    output.out(JSON.stringify(devices.map(listEntry)));
    return EXIT.ok;
  }
  if (devices.length === 0) {
    output.out(
      'no devices yet: add one with commissioner devices add docker <name> --host tcp://<ip>:2376 --tls-ca … --tls-cert … --tls-key …',
    );
    return EXIT.ok;
  }
  const rows = devices.map((d) => {
    const state =
      d.lastProbe === null
        ? 'never probed'
        : d.lastProbe.reachable
          ? 'reachable'
          : `unreachable (${d.lastProbe.error?.kind ?? '?'})`;
    return [
      d.name,
      d.kind,
      describeConnection(d.connection),
      state,
      d.lastGood ? summary(d.lastGood) : '-',
      Object.entries(d.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    ];
  });
  output.out(textTable([['NAME', 'KIND', 'CONNECTION', 'STATE', 'FACTS', 'LABELS'], ...rows]));
  return EXIT.ok;
}

/** `devices probe [name…]`: exit 0 when every device answered, 1 when any did not, 2 for unknown names. */
export async function runDevicesProbe(
  store: Store,
  names: string[],
  options: { json?: boolean; timeout?: string },
  output: Output,
): Promise<ExitCode> {
  const timeoutMs = options.timeout ? Number(options.timeout) * 1000 : undefined;
  if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    output.err('commissioner devices probe: --timeout takes seconds, e.g. --timeout 3');
    return EXIT.usage;
  }
  const { results, unknownNames } = await probeDevices(store, names, timeoutMs);
  if (unknownNames.length > 0) {
    output.err(
      `commissioner devices probe: no device named ${unknownNames.join(', ')} (commissioner devices list shows them)`,
    );
    return EXIT.usage;
  }
  if (options.json) output.out(JSON.stringify(results));
  else {
    for (const r of results)
      output.out(
        r.reachable
          ? `${r.name}: reachable, ${summary(r)}`
          : `${r.name}: UNREACHABLE — ${r.error?.message ?? ''}`,
      );
    if (results.length === 0) output.out('no devices to probe');
  }
  return results.every((r) => r.reachable) ? EXIT.ok : EXIT.findings;
}

/** `devices label <name> key=value… key-…` */
export function runDevicesLabel(
  store: Store,
  name: string,
  pairs: string[],
  output: Output,
): ExitCode {
  let parsed: { set: Record<string, string>; remove: string[] };
  try {
    parsed = parseLabels(pairs);
  } catch (e) {
    output.err(`commissioner devices label: ${(e as Error).message}`);
    return EXIT.usage;
  }
  const device = updateLabels(store, name, parsed.set, parsed.remove);
  if (!device) {
    output.err(`commissioner devices label: no device named ${name}`);
    return EXIT.findings;
  }
  output.out(
    `${name}: ${
      Object.entries(device.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || 'no labels'
    }`,
  );
  return EXIT.ok;
}

/** `devices describe <name> [--vendor …] [--peripheral type[:manufacturer[:model]]]… [--interface type]…` */
export function runDevicesDescribe(
  store: Store,
  name: string,
  options: DescribeOptions,
  output: Output,
): ExitCode {
  const device = getDevice(store, name);
  if (!device) {
    output.err(`commissioner devices describe: no device named ${name}`);
    return EXIT.findings;
  }
  try {
    const described = describedFrom(options, device.described);
    updateDescribed(store, name, described);
    output.out(`${name}: ${JSON.stringify(described)}`);
    return EXIT.ok;
  } catch (e) {
    output.err(`commissioner devices describe: ${(e as Error).message}`);
    return EXIT.usage;
  }
}

export function runDevicesRemove(store: Store, name: string, output: Output): ExitCode {
  if (!removeDevice(store, name)) {
    output.err(`commissioner devices remove: no device named ${name}`);
    return EXIT.findings;
  }
  output.out(`removed ${name} (and its TLS files)`);
  return EXIT.ok;
}

function listEntry(d: DeviceRecord) {
  return {
    name: d.name,
    kind: d.kind,
    connection: describeConnection(d.connection),
    labels: d.labels,
    described: d.described,
    reachable: d.lastProbe?.reachable ?? null,
    probedAt: d.lastProbe?.probedAt ?? null,
    error: d.lastProbe?.error ?? null,
    capabilities: d.lastGood?.capabilities ?? null,
  };
}

function summary(r: ProbeResult): string {
  const f = r.facts;
  if (!f) return 'no facts';
  return `Docker ${f.serverVersion} (API ${f.negotiatedApiVersion}), ${f.cpus} CPU ${f.architecture}, ${formatBytes(f.memoryBytes)}, ${f.os}`;
}

function parseLabels(pairs: string[]): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq > 0) set[pair.slice(0, eq)] = pair.slice(eq + 1);
    else if (pair.endsWith('-') && pair.length > 1) remove.push(pair.slice(0, -1));
    else throw new UsageError(`label "${pair}" must be key=value (or key- to remove it)`);
  }
  return { set, remove };
}

function describedFrom(
  options: DescribeOptions,
  previous: DescribedCapabilities,
): DescribedCapabilities {
  const next: DescribedCapabilities = { ...previous };
  if (options.vendor !== undefined) next.vendor = options.vendor;
  if (options.model !== undefined) next.modelNumber = options.model;
  if (options.serial !== undefined) next.serialNumber = options.serial;
  if (options.storage !== undefined) {
    if (!CAPACITY.test(options.storage))
      throw new UsageError(
        `--storage ${options.storage} must be an amount in binary units, e.g. 64Gi`,
      );
    next.storage = options.storage;
  }
  if (options.peripheral && options.peripheral.length > 0) {
    next.peripherals = options.peripheral.map((spec) => {
      const [type = '', manufacturer, model] = spec.split(':');
      const parsed = PeripheralType.safeParse(type);
      if (!parsed.success)
        throw new UsageError(
          `--peripheral ${spec}: the type must be one of ${PeripheralType.options.join(', ')}`,
        );
      return {
        type: parsed.data,
        ...(manufacturer ? { manufacturer } : {}),
        ...(model ? { model } : {}),
      };
    });
  }
  if (options.interface && options.interface.length > 0) {
    next.interfaces = options.interface.map((type) => {
      const parsed = InterfaceType.safeParse(type);
      if (!parsed.success)
        throw new UsageError(`--interface ${type}: one of ${InterfaceType.options.join(', ')}`);
      return { type: parsed.data };
    });
  }
  return DescribedCapabilities.parse(next);
}

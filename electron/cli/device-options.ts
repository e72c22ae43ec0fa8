import type { DescribedCapabilities } from '../../shared/devices/described-capabilities';
import { InterfaceType, PeripheralType } from '../../shared/margo/resources';

/** A command line the engineer can fix: said as it is, exit 2. */
export class UsageError extends Error {}

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
  sshHostKeyFingerprint?: string;
  sshAgent?: boolean;
  label?: string[];
  json?: boolean;
}

export function parseLabels(pairs: string[]): { set: Record<string, string>; remove: string[] } {
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

/** What the options tell about the device; the fields not given are left out. */
export function describedFrom(options: DescribeOptions): DescribedCapabilities {
  const next: DescribedCapabilities = {};
  if (options.vendor !== undefined) next.vendor = options.vendor;
  if (options.model !== undefined) next.modelNumber = options.model;
  if (options.serial !== undefined) next.serialNumber = options.serial;
  if (options.storage !== undefined) next.storage = options.storage;
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
  return next;
}

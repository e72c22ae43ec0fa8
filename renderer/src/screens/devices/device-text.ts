import type { DescribedCapabilities } from '../../../../shared/devices/described-capabilities';
import type { DeviceView } from '../../../../shared/contract/devices';
import type { ProbeErrorKind } from '../../../../shared/devices/probe-result';
import { sshKeyTypeName, type SshHostKey } from '../../../../shared/devices/device-connection';
import { InterfaceType, PeripheralType } from '../../../../shared/margo/resources';
import { parseQuantity } from '../../../../shared/units/quantity';

/** Probe failures in plain words, with what to check next. */
export const PROBE_ERROR_TEXT: Record<ProbeErrorKind, string> = {
  refused: 'connection refused: nothing listens at that address and port',
  timeout: 'timed out: the device did not answer in time',
  unreachable: 'unreachable: no route to the device (cable, VLAN, address?)',
  dns: 'name not found: the host name does not resolve',
  'tls-untrusted-server': 'the device’s certificate is not trusted: check the CA file',
  'tls-name-mismatch': 'the device’s certificate names another host',
  'tls-client-rejected': 'the device refused this laptop’s certificate',
  'tls-not-spoken': 'the device does not speak TLS on that port (plain TCP?)',
  'tls-required': 'the device requires TLS on that port',
  'not-docker': 'not a Docker Engine (wrong port?)',
  ssh: 'SSH failed',
  'ssh-host-key': 'the device’s SSH host key is not the one recorded when it was added',
  'ssh-auth': 'the device refused the SSH key given for it',
  'key-files': 'this computer’s copy of the device’s keys is missing or damaged: add it again',
  'docker-error': 'the Docker Engine answered with an error',
};

export type Reachability = {
  /** In full, with what happened. */
  word: string;
  /** For the table: `unreachable (refused)`. */
  short: string;
  color: string;
  state: 'reachable' | 'unreachable' | 'unknown';
};

export function reachabilityOf(device: DeviceView): Reachability {
  const p = device.lastProbe;
  if (!p) {
    return {
      word: 'not probed yet',
      short: 'not probed yet',
      color: 'text.secondary',
      state: 'unknown',
    };
  }
  if (p.reachable) {
    return { word: 'reachable', short: 'reachable', color: 'success.main', state: 'reachable' };
  }
  return {
    word: p.error ? `unreachable: ${PROBE_ERROR_TEXT[p.error.kind]}` : 'unreachable',
    short: p.error ? `unreachable (${p.error.kind})` : 'unreachable',
    color: 'error.main',
    state: 'unreachable',
  };
}

/** A recorded SSH host key in words: which key, and how it came to be trusted. */
export function hostKeyText(key: SshHostKey): { key: string; how: string } {
  return {
    key: `${sshKeyTypeName(key.type)} ${key.fingerprint}`,
    how:
      key.accepted === 'pinned'
        ? 'matches the fingerprint you gave'
        : 'accepted the first time it was seen: compare it with the fingerprint the device shows',
  };
}

/** What no probe of this device can tell until the engineer describes it. */
export function notLearned(described: DescribedCapabilities): string[] {
  const missing: string[] = [];
  if (described.vendor === undefined) missing.push('vendor');
  if (described.modelNumber === undefined) missing.push('model');
  if (described.serialNumber === undefined) missing.push('serial number');
  if (described.storage === undefined) missing.push('storage');
  if (described.peripherals === undefined) missing.push('peripherals');
  if (described.interfaces === undefined) missing.push('interfaces');
  return missing;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function items(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `line=3, zone=paint` or one per line. */
export function parseLabels(text: string): Parsed<Record<string, string>> {
  const labels: Record<string, string> = {};
  for (const item of items(text)) {
    const m = /^([^=\s]+)\s*=\s*(.*)$/.exec(item);
    if (!m) return { ok: false, message: `“${item}” is not key=value` };
    labels[m[1] as string] = m[2] as string;
  }
  return { ok: true, value: labels };
}

export function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

const PERIPHERALS = PeripheralType.options as readonly string[];
const INTERFACES = InterfaceType.options as readonly string[];

/** `gpu:NVIDIA:T4, camera`; empty = not described (unknown), `none` = described as none. */
export function parsePeripherals(text: string): Parsed<DescribedCapabilities['peripherals']> {
  if (!text.trim()) return { ok: true, value: undefined };
  if (text.trim().toLowerCase() === 'none') return { ok: true, value: [] };
  const out: NonNullable<DescribedCapabilities['peripherals']> = [];
  for (const item of items(text)) {
    const [type = '', manufacturer, model] = item.split(':').map((s) => s.trim());
    if (!PERIPHERALS.includes(type)) {
      return {
        ok: false,
        message: `“${type}” is not a peripheral type (${PERIPHERALS.join(', ')})`,
      };
    }
    out.push({
      type: type as (typeof out)[number]['type'],
      ...(manufacturer ? { manufacturer } : {}),
      ...(model ? { model } : {}),
    });
  }
  return { ok: true, value: out };
}

export function peripheralsText(p: DescribedCapabilities['peripherals']): string {
  if (p === undefined) return '';
  if (p.length === 0) return 'none';
  return p.map((x) => [x.type, x.manufacturer, x.model].filter(Boolean).join(':')).join(', ');
}

export function parseInterfaces(text: string): Parsed<DescribedCapabilities['interfaces']> {
  if (!text.trim()) return { ok: true, value: undefined };
  if (text.trim().toLowerCase() === 'none') return { ok: true, value: [] };
  const out: NonNullable<DescribedCapabilities['interfaces']> = [];
  for (const type of items(text)) {
    if (!INTERFACES.includes(type)) {
      return {
        ok: false,
        message: `“${type}” is not an interface type (${INTERFACES.join(', ')})`,
      };
    }
    out.push({ type: type as (typeof out)[number]['type'] });
  }
  return { ok: true, value: out };
}

export function interfacesText(i: DescribedCapabilities['interfaces']): string {
  if (i === undefined) return '';
  if (i.length === 0) return 'none';
  return i.map((x) => x.type).join(', ');
}

export function checkStorage(text: string): string | null {
  if (!text.trim()) return null;
  return parseQuantity(text) === undefined
    ? `“${text}” is not an amount such as 200Gi or 512Mi`
    : null;
}

export { PERIPHERALS, INTERFACES };

import {
  describeConnection,
  sshKeyTypeName,
  type SshHostKey,
} from '../../../shared/devices/device-connection';
import type { ProbeResult } from '../../../shared/devices/probe-result';
import { formatBytes } from '../../../shared/units/quantity';
import type { Store } from '../../core/store/store';
import { addDevice } from '../../core/use-cases/add-device';
import { deviceListEntry, listDevices } from '../../core/use-cases/list-devices';
import { probeDevices } from '../../core/use-cases/probe-devices';
import { removeDevice } from '../../core/use-cases/remove-device';
import { updateDevice } from '../../core/use-cases/update-device';
import { resolveFromCaller } from '../caller-directory';
import { flagHint, reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';
import {
  describedFrom,
  parseLabels,
  UsageError,
  type AddOptions,
  type DescribeOptions,
} from '../device-options';
/** Which flags carry each input of `devices add`, for the hint under a refusal. */
const ADD_FLAGS: Record<string, string> = {
  tls: 'give them with --tls-ca, --tls-cert and --tls-key (--plain-tcp if you must)',
  host: '--host tcp://<ip>:2376, ssh://user@host or unix:///var/run/docker.sock',
  identity: 'give the SSH key with --identity <file>, or let the SSH agent log in with --ssh-agent',
  sshHostKeyFingerprint:
    '--ssh-host-key-fingerprint SHA256:… (on the device: ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub)',
  sshAgent: '--ssh-agent is for ssh:// devices only',
};

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
  let added;
  try {
    const tls = [options.tlsCa, options.tlsCert, options.tlsKey];
    if (options.plainTcp && tls.some(Boolean)) {
      throw new UsageError('--plain-tcp and --tls-* exclude each other');
    }
    if (tls.some(Boolean) && !tls.every(Boolean)) {
      throw new UsageError('give all three of --tls-ca, --tls-cert and --tls-key');
    }
    added = await addDevice(store, {
      name,
      kind,
      host: options.host,
      ...(options.tlsCa && options.tlsCert && options.tlsKey
        ? {
            tls: {
              ca: resolveFromCaller(options.tlsCa),
              cert: resolveFromCaller(options.tlsCert),
              key: resolveFromCaller(options.tlsKey),
            },
          }
        : {}),
      ...(options.plainTcp ? { plainTcp: true } : {}),
      ...(options.identity ? { identity: resolveFromCaller(options.identity) } : {}),
      ...(options.sshHostKeyFingerprint !== undefined
        ? { sshHostKeyFingerprint: options.sshHostKeyFingerprint }
        : {}),
      ...(options.sshAgent ? { sshAgent: true } : {}),
      labels: parseLabels(options.label ?? []).set,
      described: describedFrom(options),
    });
  } catch (e) {
    if (e instanceof UsageError) return usage(output, 'devices add', e);
    const hint = flagHint(output, ADD_FLAGS);
    return reportFailure(output, 'devices add', e, (error) => {
      if (error.name === 'device-unreachable')
        output.err('  pin its host key with --ssh-host-key-fingerprint SHA256:…');
      return hint(error);
    });
  }
  const { device, probe, warnings } = added;
  const c = device.connection;
  const where = describeConnection(c);
  const hostKey = c.protocol === 'ssh' ? c.hostKey : undefined;
  if (options.json) {
    output.out(
      JSON.stringify({
        name,
        connection: where,
        probe,
        ...(hostKey ? { sshHostKey: hostKey } : {}),
        ...(warnings.length ? { warnings } : {}),
      }),
    );
    return EXIT.ok;
  }
  if (probe.reachable) output.out(`added ${name} (${where}): reachable, ${summary(probe)}`);
  else {
    output.out(
      `added ${name} (${where}), but it cannot be reached now: ${probe.error?.message ?? 'unknown error'}\nIt stays in the inventory; probe it again with: commissioner devices probe ${name}`,
    );
  }
  if (hostKey) output.out(hostKeyLines(hostKey));
  for (const warning of warnings) output.err(`warning: ${warning}`);
  return EXIT.ok;
}

export function runDevicesList(
  store: Store,
  options: { json?: boolean },
  output: Output,
): ExitCode {
  const devices = listDevices(store);
  if (options.json) {
    output.out(JSON.stringify(devices.map(deviceListEntry)));
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
  let results;
  try {
    results = await probeDevices(store, names, timeoutMs);
  } catch (e) {
    return reportFailure(output, 'devices probe', e, (error) =>
      error.name === 'not-found' ? EXIT.usage : undefined,
    );
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
  try {
    const { set, remove } = parseLabels(pairs);
    const device = updateDevice(store, { name, setLabels: set, removeLabels: remove });
    output.out(
      `${name}: ${
        Object.entries(device.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ') || 'no labels'
      }`,
    );
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) return usage(output, 'devices label', e);
    return reportFailure(output, 'devices label', e);
  }
}

/** `devices describe <name> [--vendor …] [--peripheral type[:manufacturer[:model]]]… [--interface type]…` */
export function runDevicesDescribe(
  store: Store,
  name: string,
  options: DescribeOptions,
  output: Output,
): ExitCode {
  try {
    const device = updateDevice(store, { name, described: describedFrom(options) });
    output.out(`${name}: ${JSON.stringify(device.described)}`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) return usage(output, 'devices describe', e);
    return reportFailure(output, 'devices describe', e);
  }
}

export function runDevicesRemove(store: Store, name: string, output: Output): ExitCode {
  try {
    removeDevice(store, name);
    output.out(`removed ${name} (and its TLS files)`);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'devices remove', e);
  }
}

/** The host key recorded for an SSH device, as the engineer should compare it. */
function hostKeyLines(hostKey: SshHostKey): string {
  const key = `${sshKeyTypeName(hostKey.type)} key ${hostKey.fingerprint}`;
  return hostKey.accepted === 'pinned'
    ? `SSH host key: ${key} (matches the fingerprint given); every connection checks it`
    : `SSH host key: ${key}, accepted on first use: compare it with the device's own (on the device: ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub). Every connection checks it from now on; next time, pin it with --ssh-host-key-fingerprint`;
}

function usage(output: Output, command: string, e: Error): ExitCode {
  output.err(`commissioner ${command}: ${e.message}`);
  return EXIT.usage;
}

function summary(r: ProbeResult): string {
  const f = r.facts;
  if (!f) return 'no facts';
  return `Docker ${f.serverVersion} (API ${f.negotiatedApiVersion}), ${f.cpus} CPU ${f.architecture}, ${formatBytes(f.memoryBytes)}, ${f.os}`;
}
export type { AddOptions, DescribeOptions } from '../device-options';

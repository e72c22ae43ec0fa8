import { describeConnection } from '../../../shared/devices/device-connection';
import type { Store } from '../../core/store/store';
import { deviceListEntry, listDevices } from '../../core/use-cases/list-devices';
import { probeDevices } from '../../core/use-cases/probe-devices';
import { removeDevice } from '../../core/use-cases/remove-device';
import { updateDevice } from '../../core/use-cases/update-device';
import { reportFailure, reportUsage } from '../cli-failure';
import { describedFrom, parseLabels, UsageError, type DescribeOptions } from '../device-options';
import { summary } from '../device-lines';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';

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
    if (e instanceof UsageError) return reportUsage(output, 'devices label', e);
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
    if (e instanceof UsageError) return reportUsage(output, 'devices describe', e);
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

export type { AddOptions, DescribeOptions } from '../device-options';

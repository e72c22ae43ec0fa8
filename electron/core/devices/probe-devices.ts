import type { ProbeResult } from '../../../shared/devices/probe-result';
import type { Store } from '../store/store';
import { getDevice, listDevices, recordProbe, type DeviceRecord } from '../store/device-inventory';
import { DEFAULT_PROBE_TIMEOUT_MS, probeDockerDevice } from './probe-device';

/** How many devices are probed at once: enough for a plant line, bounded for a laptop. */
export const PROBE_CONCURRENCY = 32;

/**
 * Probes devices in parallel (bounded) and records each result; a device that does not answer
 * costs its timeout, not everyone's. Results come back in the order of `names` (or by name).
 */
export async function probeDevices(
  store: Store,
  names: string[] = [],
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<{ results: ProbeResult[]; unknownNames: string[] }> {
  const found = names.map((n) => getDevice(store, n));
  const unknownNames = names.filter((_, i) => !found[i]);
  const targets: DeviceRecord[] = names.length
    ? found.filter((d): d is DeviceRecord => d !== undefined)
    : listDevices(store);
  const results: ProbeResult[] = new Array<ProbeResult>(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const device = targets[i] as DeviceRecord;
      if (device.kind === 'margo') {
        // Nothing to ask: a Margo device reaches the laptop; its last report stands.
        results[i] = device.lastProbe ?? notProbeable(device);
        continue;
      }
      const result = await probeDockerDevice(device, timeoutMs);
      recordProbe(store, result);
      results[i] = result;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, targets.length) }, worker));
  return { results, unknownNames };
}

function notProbeable(device: DeviceRecord): ProbeResult {
  return {
    name: device.name,
    reachable: false,
    error: {
      kind: 'docker-error',
      message: `${device.name} is a Margo device: it reports its capabilities itself`,
    },
    capabilities: null,
    facts: null,
    probedAt: new Date().toISOString(),
  };
}

import type { ProbeResult } from '../../../shared/devices/probe-result';
import type { Store } from '../store/store';
import { getDevice, listDevices, recordProbe, type DeviceRecord } from '../store/device-inventory';
import { logRawError } from '../errors/error-log';
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
      const result = await isolatedProbe(device, timeoutMs);
      recordProbe(store, result);
      results[i] = result;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, targets.length) }, worker));
  return { results, unknownNames };
}

/**
 * Attempts a device may take: its calls (ping, the TLS fallback, info) each have a deadline;
 * this bounds the whole, should a library ever leave a promise unsettled.
 */
const WHOLE_PROBE_CALLS = 4;

/**
 * One device's probe, settled whatever happens inside: an exception (from a library's
 * synchronous path, a damaged file) or a promise that never settles becomes this device's
 * error; the other devices are probed all the same. The raw error goes to the error log.
 */
async function isolatedProbe(device: DeviceRecord, timeoutMs: number): Promise<ProbeResult> {
  const failed = (message: string): ProbeResult => ({
    name: device.name,
    reachable: false,
    error: { kind: 'docker-error', message },
    capabilities: null,
    facts: null,
    probedAt: new Date().toISOString(),
  });
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve(
          failed(
            `the probe of ${device.name} did not finish within ${(WHOLE_PROBE_CALLS * timeoutMs) / 1000} s and was given up`,
          ),
        ),
      WHOLE_PROBE_CALLS * timeoutMs,
    );
    timer.unref();
  });
  try {
    return await Promise.race([probeDockerDevice(device, timeoutMs), stuck]);
  } catch (e) {
    logRawError(`probing ${device.name}`, e);
    return failed(
      `the probe of ${device.name} failed unexpectedly; the error log in the data home's logs folder has the details for support`,
    );
  } finally {
    clearTimeout(timer);
  }
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

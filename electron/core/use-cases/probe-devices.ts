import type { ProbeResult } from '../../../shared/devices/probe-result';
import { getDevice } from '../store/device-inventory';
import { probeDevices as probeInventory } from '../devices/probe-devices';
import type { Store } from '../store/store';
import { noDevice } from './update-device';

/**
 * Asks devices for their facts (all of them when no name is given), in parallel, and records
 * what each said; unknown names are refused before any device is asked.
 */
export async function probeDevices(
  store: Store,
  names: readonly string[] = [],
  timeoutMs?: number,
): Promise<ProbeResult[]> {
  const unknown = names.filter((n) => !getDevice(store, n));
  if (unknown.length > 0) throw noDevice(unknown.join(', '));
  return (await probeInventory(store, [...names], timeoutMs)).results;
}

import type { CompatibilityDevice } from '../../../shared/compatibility/compatibility-device';
import { compatibilityRows } from '../../../shared/compatibility/evaluate';
import type { CompatibilityRow } from '../../../shared/compatibility/verdict';
import { dockerDevice } from '../../../shared/devices/docker-capabilities';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import type { DeviceRecord } from '../store/device-inventory';

/**
 * The device as the evaluator sees it now: the facts of its last good probe with today's
 * labels and descriptions (an engineer may have labelled it since), or nothing when it was
 * never reached.
 */
export function compatibilityDevice(device: DeviceRecord): CompatibilityDevice | undefined {
  if (device.kind === 'margo') {
    // What the client reported is taken as written (an absent property is absent).
    return device.reported
      ? { name: device.name, source: 'margo-client', capabilities: device.reported, unknown: [] }
      : undefined;
  }
  const facts = device.lastGood?.facts;
  if (!facts) return undefined;
  return dockerDevice(device.name, facts, device.described, device.labels);
}

/** The compatibility matrix of one application version on the given devices. */
export function compatibilityMatrix(
  description: ApplicationDescription,
  devices: readonly DeviceRecord[],
): CompatibilityRow[] {
  return devices.flatMap((device) => {
    const view = compatibilityDevice(device);
    if (view) return compatibilityRows(description, view);
    const reason = device.lastProbe?.error
      ? `the device was never reached: ${device.lastProbe.error.message}`
      : 'the device was never probed: run devices probe';
    return description.deploymentProfiles.map((profile) => ({
      device: device.name,
      profile: profile.id,
      verdict: 'unknown' as const,
      checks: [
        {
          name: 'device facts',
          status: 'unknown' as const,
          expected: 'a probe of the device',
          actual: 'none',
          reason,
        },
      ],
    }));
  });
}

import type { DeviceCapabilitiesManifest } from '../../margo/device-capabilities';
import { CAPACITY, DEVICE_ID } from '../../margo/patterns';
import type { PathSegment } from '../diagnostic';
import type { Findings } from '../findings';
import { deviceIdMessage } from './application-deployment';

const RUNTIMES = ['oci', 'custom'];
const DEPLOYMENT_TYPES = ['helm', 'compose', 'custom'];

export function checkDeviceCapabilities(m: DeviceCapabilitiesManifest, findings: Findings): void {
  const p = m.properties;
  if (!DEVICE_ID.test(p.id))
    findings.add('device-id-pattern', ['properties', 'id'], deviceIdMessage(p.id, false));
  checkCapacity(p, ['properties'], findings);
  if (p.resources) checkCapacity(p.resources, ['properties', 'resources'], findings);
  const unknown = (
    field: 'supportedRuntimes' | 'supportedDeploymentTypes',
    known: readonly string[],
  ) =>
    p[field]?.forEach((value, i) => {
      if (!known.includes(value)) {
        findings.add(
          'capability-unknown-value',
          ['properties', field, i],
          `"${value}" is not one of ${known.join(', ')}: as the spec requires, it is treated as custom`,
        );
      }
    });
  unknown('supportedRuntimes', RUNTIMES);
  unknown('supportedDeploymentTypes', DEPLOYMENT_TYPES);
}

function checkCapacity(
  holder: { memory?: string | undefined; storage?: string | undefined },
  path: readonly PathSegment[],
  findings: Findings,
): void {
  for (const field of ['memory', 'storage'] as const) {
    const value = holder[field];
    if (value !== undefined && !CAPACITY.test(value)) {
      findings.add(
        'resource-unit',
        [...path, field],
        `${field} "${value}" must be a number followed by a binary unit (Ki, Mi, Gi, Ti, Pi, Ei), e.g. 59Gi`,
      );
    }
  }
}

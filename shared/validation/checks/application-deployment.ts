import type { ApplicationDeployment } from '../../margo/application-deployment';
import type { ProfileType } from '../../margo/components';
import { DEVICE_ID_WITH_ASTERISK, UUID } from '../../margo/patterns';
import type { Findings } from '../findings';
import { checkApplicationId } from './application-description';
import { checkComponents } from './components';
import { checkDeviceConstraints } from './device-constraints';
import { checkTargets } from './parameter-targets';

export function checkApplicationDeployment(d: ApplicationDeployment, findings: Findings): void {
  if (!UUID.test(d.id)) {
    findings.add(
      'deployment-id-format',
      ['id'],
      `deployment id "${d.id}" is not a UUID (like a3e2f5dc-912e-494f-8395-52cf3769bc06): the fleet manager assigns one per deployment and keeps it across updates`,
    );
  }
  checkApplicationId(d.spec.applicationId, ['spec', 'applicationId'], findings);
  const deviceId = d.metadata.deviceId;
  if (deviceId === undefined) {
    findings.add(
      'device-id-missing',
      ['metadata'],
      'no `metadata.deviceId`: rc.3 names the target device there (gateway children as gateway/child)',
      { atKey: true },
    );
  } else if (!DEVICE_ID_WITH_ASTERISK.test(deviceId)) {
    findings.add('device-id-pattern', ['metadata', 'deviceId'], deviceIdMessage(deviceId, true));
  }
  const profile = d.spec.deploymentProfile;
  checkComponents(profile.components, ['spec', 'deploymentProfile', 'components'], findings);
  if (profile.deviceConstraints) {
    checkDeviceConstraints(
      profile.deviceConstraints,
      ['spec', 'deploymentProfile', 'deviceConstraints'],
      findings,
    );
  }
  const types = new Map<string, Set<ProfileType>>(
    profile.components.map((c) => [c.name, new Set([profile.type])]),
  );
  for (const [name, parameter] of Object.entries(d.spec.parameters ?? {})) {
    checkTargets(
      parameter.targets,
      ['spec', 'parameters', name, 'targets'],
      types,
      'this deployment profile',
      findings,
    );
  }
}

export function deviceIdMessage(id: string, asteriskAllowed: boolean): string {
  return `device id "${id}" may contain only letters, digits and . _ ~ - in segments separated by "/"${asteriskAllowed ? ' (optionally ending in /* to let a gateway choose)' : ''}`;
}

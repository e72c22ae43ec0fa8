import { dnsLabel } from '../../../../shared/application-deployment/deployment-names';

/**
 * The compose project of one component of an application on a device: `<app id>-<component>`
 * as a DNS label (≤ 63), the same for every revision, so updates find what the last one made
 * and `docker compose ls` on the device shows one project per component.
 */
export function composeProjectName(applicationId: string, component: string): string {
  return dnsLabel(`${applicationId}-${component}`, 63);
}

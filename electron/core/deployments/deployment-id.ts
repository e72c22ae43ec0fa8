import { v5 as uuidV5 } from 'uuid';

/** UUID namespace of Commissioner's deployment ids (itself v5 of its URN in the URL namespace). */
export const DEPLOYMENT_ID_NAMESPACE = uuidV5(
  'urn:margo-commissioner:application-deployment',
  uuidV5.URL,
);

/**
 * The id of a new deployment of `applicationId` on `deviceId`: a name-based UUID (v5) of the
 * pair, so rendering twice, or on another laptop, names the same workload instance the same
 * way, and the rendered bytes and digest are reproducible. An update keeps the installed id.
 */
export function deploymentIdFor(applicationId: string, deviceId: string): string {
  return uuidV5(`${applicationId}\n${deviceId}`, DEPLOYMENT_ID_NAMESPACE);
}

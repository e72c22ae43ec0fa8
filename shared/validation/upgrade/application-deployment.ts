import type { Findings } from '../findings';
import { upgradeProfile } from './legacy-names';
import type { PathRewrite } from './path-rewrite';
import { isRecord } from './plain-data';

/**
 * Brings an ApplicationDeployment of an older era (ids in `metadata.annotations`, `helm.v3`)
 * to the rc.3 shape, in place. Annotations stay: rc.3 requires the map and older device
 * clients still read `id`/`applicationId` there.
 */
export function upgradeApplicationDeployment(
  doc: Record<string, unknown>,
  findings: Findings,
): PathRewrite[] {
  const rewrites: PathRewrite[] = [];
  const metadata = isRecord(doc.metadata) ? doc.metadata : undefined;
  const annotations = isRecord(metadata?.annotations) ? metadata.annotations : undefined;
  if (doc.id === undefined && annotations?.id !== undefined) {
    findings.add(
      'legacy-deployment-shape',
      ['metadata', 'annotations', 'id'],
      'the deployment id is only in `metadata.annotations.id` (before rc.3): rc.3 reads the top-level `id`',
      { atKey: true },
    );
    doc.id = annotations.id;
    rewrites.push({ current: ['id'], source: ['metadata', 'annotations', 'id'] });
  }
  const spec = isRecord(doc.spec) ? doc.spec : undefined;
  if (spec && spec.applicationId === undefined && annotations?.applicationId !== undefined) {
    findings.add(
      'legacy-deployment-shape',
      ['metadata', 'annotations', 'applicationId'],
      'the application id is only in `metadata.annotations.applicationId` (before rc.3): rc.3 reads `spec.applicationId`',
      { atKey: true },
    );
    spec.applicationId = annotations.applicationId;
    rewrites.push({
      current: ['spec', 'applicationId'],
      source: ['metadata', 'annotations', 'applicationId'],
    });
  }
  const profile = spec?.deploymentProfile;
  if (isRecord(profile)) upgradeProfile(profile, ['spec', 'deploymentProfile'], findings);
  return rewrites;
}

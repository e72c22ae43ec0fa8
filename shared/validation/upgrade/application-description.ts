import type { Findings } from '../findings';
import { upgradeArchitectures, upgradeProfile } from './legacy-names';
import type { PathRewrite } from './path-rewrite';
import { eachRecord, isRecord, type PlainRecord } from './plain-data';

/**
 * Brings an application description written to an older draft to the rc.3 shape, in place:
 * `metadata.id` → `id`, `helm.v3` → `helm`, `docker-compose` → `compose`, `x86_64` → `amd64`.
 * Each change is a warning that names the current form; fields that stay valid but are
 * superseded (`requiredResources`, `packageLocation`) are only flagged.
 */
export function upgradeApplicationDescription(doc: PlainRecord, findings: Findings): PathRewrite[] {
  const rewrites: PathRewrite[] = [];
  if (doc.kind === undefined) {
    findings.add(
      'kind-missing',
      [],
      'no `kind`: add `kind: ApplicationDescription` (read as an application description from its fields)',
    );
  }
  if (doc.apiVersion === undefined) {
    findings.add(
      'api-version-missing',
      [],
      'no `apiVersion`: add `apiVersion: margo.org/v1-alpha1` as the spec examples do',
    );
  }

  const metadata = doc.metadata;
  if (isRecord(metadata) && metadata.id !== undefined) {
    if (doc.id === undefined) {
      findings.add(
        'legacy-metadata-id',
        ['metadata', 'id'],
        'the application id is in `metadata.id`, where drafts before rc.3 put it: move it to a top-level `id`',
        { atKey: true },
      );
      doc.id = metadata.id;
      rewrites.push({ current: ['id'], source: ['metadata', 'id'] });
    } else if (doc.id === metadata.id) {
      findings.add(
        'legacy-metadata-id',
        ['metadata', 'id'],
        '`metadata.id` repeats the top-level `id` (a pre-rc.3 location): remove it',
        { atKey: true },
      );
    } else {
      findings.add(
        'app-id-conflict',
        ['metadata', 'id'],
        `\`metadata.id\` ("${String(metadata.id)}") differs from the top-level \`id\` ("${String(doc.id)}"): keep only the top-level \`id\``,
      );
    }
    delete metadata.id;
  }

  eachRecord(doc.deploymentProfiles, (profile, i) => {
    const path = ['deploymentProfiles', i];
    upgradeProfile(profile, path, findings);
    if (profile.requiredResources !== undefined) {
      findings.add(
        'legacy-required-resources',
        [...path, 'requiredResources'],
        'rc.3 states requirements as `deviceConstraints` (capacityRequirements for cpu, memory and storage; eligibilityRules for peripherals and interfaces): `requiredResources` is still read for the compatibility report',
        { atKey: true },
      );
      const rr = profile.requiredResources;
      if (isRecord(rr))
        upgradeArchitectures(
          rr.cpu,
          'architectures',
          [...path, 'requiredResources', 'cpu'],
          findings,
        );
    }
  });
  return rewrites;
}

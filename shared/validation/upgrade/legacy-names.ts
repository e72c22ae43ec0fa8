import type { PathSegment } from '../diagnostic';
import type { Findings } from '../findings';
import { eachRecord, isRecord, type PlainRecord } from './plain-data';

const PROFILE_TYPES: Record<string, string> = { 'helm.v3': 'helm', 'docker-compose': 'compose' };

/** `helm.v3` → `helm`, `docker-compose` → `compose`, in place, with a warning naming the current form. */
export function upgradeProfileType(
  profile: PlainRecord,
  path: readonly PathSegment[],
  findings: Findings,
): void {
  const legacy = typeof profile.type === 'string' ? PROFILE_TYPES[profile.type] : undefined;
  if (!legacy) return;
  findings.add(
    'legacy-profile-type',
    [...path, 'type'],
    `profile type \`${String(profile.type)}\` is the pre-rc.3 name: write \`${legacy}\`${legacy === 'helm' ? ' (Helm v3 or v4 chart)' : ''}; it is read as ${legacy}`,
  );
  profile.type = legacy;
}

/** Flags legacy compose locations of every component of a profile. */
export function flagPackageLocations(
  profile: PlainRecord,
  path: readonly PathSegment[],
  findings: Findings,
): void {
  eachRecord(profile.components, (component, i) => {
    const props = component.properties;
    if (!isRecord(props)) return;
    const field =
      props.packageLocation !== undefined
        ? 'packageLocation'
        : props.keyLocation !== undefined
          ? 'keyLocation'
          : undefined;
    if (!field) return;
    findings.add(
      'legacy-package-location',
      [...path, 'components', i, 'properties', field],
      '`packageLocation`/`keyLocation` never reached a released Margo spec: publish the compose archive as an OCI artifact and reference it with `repository: oci://…` and `revision` (rc.3); rc.3 devices refuse deployments without them',
      { atKey: true },
    );
  });
}

/** `x86_64` → `amd64` in an architecture list or field, in place. */
export function upgradeArchitectures(
  holder: unknown,
  field: 'architectures' | 'architecture',
  path: readonly PathSegment[],
  findings: Findings,
): void {
  if (!isRecord(holder)) return;
  const flag = (at: readonly PathSegment[]) =>
    findings.add(
      'legacy-architecture',
      at,
      '`x86_64` is written `amd64` in Margo (as Docker and Go name it); it is read as amd64',
    );
  const value = holder[field];
  if (Array.isArray(value)) {
    value.forEach((arch, i) => {
      if (arch === 'x86_64') {
        flag([...path, field, i]);
        value[i] = 'amd64';
      }
    });
  } else if (value === 'x86_64') {
    flag([...path, field]);
    holder[field] = 'amd64';
  }
}

/**
 * The legacy forms a deployment profile can carry in a description and in a deployment
 * alike: its type name, compose package locations, and x86_64 in its capacity requirements.
 */
export function upgradeProfile(
  profile: PlainRecord,
  path: readonly PathSegment[],
  findings: Findings,
): void {
  upgradeProfileType(profile, path, findings);
  flagPackageLocations(profile, path, findings);
  const dc = profile.deviceConstraints;
  if (isRecord(dc) && isRecord(dc.capacityRequirements)) {
    upgradeArchitectures(
      dc.capacityRequirements.cpu,
      'architectures',
      [...path, 'deviceConstraints', 'capacityRequirements', 'cpu'],
      findings,
    );
  }
}

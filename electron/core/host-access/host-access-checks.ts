import { hostAccessSummary } from '../../../shared/compose/host-access';
import {
  verdictOf,
  type Check,
  type CompatibilityRow,
} from '../../../shared/compatibility/verdict';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import type { DeviceRecord } from '../store/device-inventory';
import type { Store } from '../store/store';
import { profileHostAccess, type ProfileHostAccess } from './component-review';

/**
 * Adds the device's host-access policy to compatibility rows: on a device that denies host
 * access, a profile whose compose files reach into the device is incompatible (the check
 * names the findings); one that cannot be reviewed (a Helm chart) is unknown. Devices that
 * allow it get no check: the deployment's review asks the engineer instead.
 */
export async function withHostAccessChecks(
  store: Store,
  description: ApplicationDescription,
  devices: readonly DeviceRecord[],
  rows: CompatibilityRow[],
): Promise<CompatibilityRow[]> {
  const denying = new Set(devices.filter((d) => d.hostAccess === 'deny').map((d) => d.name));
  if (denying.size === 0) return rows;
  const reviews = new Map<string, Promise<ProfileHostAccess>>();
  const review = (profileId: string) => {
    const profile = description.deploymentProfiles.find((p) => p.id === profileId);
    if (!profile) return undefined;
    let found = reviews.get(profileId);
    if (!found) {
      found = profileHostAccess(store, description, profile);
      reviews.set(profileId, found);
    }
    return found;
  };
  const out: CompatibilityRow[] = [];
  for (const row of rows) {
    const pending = denying.has(row.device) ? review(row.profile) : undefined;
    if (!pending) {
      out.push(row);
      continue;
    }
    const check = hostAccessCheck(await pending);
    const checks = [...row.checks, check];
    out.push({ ...row, checks, verdict: verdictOf(checks) });
  }
  return out;
}

function hostAccessCheck(access: ProfileHostAccess): Check {
  const expected = 'no access to the device itself (the device denies host access)';
  if (access.findings.length > 0) {
    return {
      name: 'host access',
      status: 'failed',
      expected,
      actual: hostAccessSummary(access.findings),
      reason: `the device denies host access, and the profile needs it: ${access.findings.map((f) => f.message).join('; ')}`,
    };
  }
  if (access.unreviewed.length > 0) {
    return {
      name: 'host access',
      status: 'unknown',
      expected,
      actual: 'not reviewed',
      reason: access.unreviewed.join('; '),
    };
  }
  return {
    name: 'host access',
    status: 'passed',
    expected,
    actual: 'none',
    reason: 'the profile needs no access to the device itself',
  };
}

import { canonicalJson } from '../../../shared/compose/canonical-json';
import { describeHostAccess, type HostAccessFinding } from '../../../shared/compose/host-access';
import { sha256Digest } from '../store/content-digest';

/**
 * What the engineer acknowledges when allowing a plan's host access: these findings, for
 * these deployment bytes. The digest binds both, so an acknowledgement given for one review
 * cannot let through a plan whose deployment or findings changed since (and a plan reviewed
 * without findings has none to acknowledge). Null when the plan needs no host access.
 */
export function hostAccessDigest(
  deploymentDigest: string,
  findings: readonly HostAccessFinding[],
): string | null {
  if (findings.length === 0) return null;
  return sha256Digest(
    canonicalJson({
      deployment: deploymentDigest,
      hostAccess: findings.map((f) => ({
        component: f.component,
        service: f.service,
        rule: f.rule,
        severity: f.severity,
        message: f.message,
      })),
    }),
  );
}

/** Why a plan with host access was not applied: the findings, and how to allow them. */
export function unacknowledgedMessage(
  device: string,
  findings: readonly HostAccessFinding[],
  acknowledgedOther: boolean,
): string {
  const lines = describeHostAccess(findings).map((l) => `  ${l}`);
  const head = acknowledgedOther
    ? `the host access allowed for ${device} is not the one this plan needs (the plan changed since the review): review it again`
    : `the application needs access to ${device} itself, and that was not allowed: nothing changed on the device; allow it after reviewing these`;
  return `${head}:\n${lines.join('\n')}`;
}

/** Why a device that forbids host access refuses a plan that needs it. */
export function forbiddenMessage(
  device: string,
  profile: string,
  findings: readonly HostAccessFinding[],
): string {
  const lines = describeHostAccess(findings).map((l) => `  ${l}`);
  return `device ${device} does not allow host access, and profile ${profile} needs it:\n${lines.join('\n')}`;
}

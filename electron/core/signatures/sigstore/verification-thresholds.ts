import type { TrustedRootContents } from './trusted-root';

/**
 * How much independent evidence a bundle must carry. The CLI and the trust store have no
 * threshold settings: what the site provisioned says what can be checked, so it says what
 * is required.
 *
 * - No trusted root (a key alone): the cosign "key, no Rekor, no TSA" model: 0, 0, 0. Only
 *   the digest and the signature are checked; there is no proof of when it was signed.
 * - A trusted root: one transparency-log entry when it lists logs; one trusted timestamp
 *   when it lists logs or timestamp authorities (a log entry's time counts); one SCT for a
 *   certificate-signed bundle when it lists certificate logs. A certificate-signed bundle
 *   always needs a trusted time: a certificate is only checked at one.
 */
export interface VerificationThresholds {
  tlog: number;
  timestamp: number;
  ctlog: number;
}

export const KEY_ONLY: VerificationThresholds = { tlog: 0, timestamp: 0, ctlog: 0 };

export function thresholdsFor(
  root: TrustedRootContents | null,
  certificateSigned: boolean,
): VerificationThresholds {
  if (!root) return KEY_ONLY;
  return {
    tlog: root.tlogs > 0 ? 1 : 0,
    timestamp: root.tlogs > 0 || root.timestampAuthorities > 0 || certificateSigned ? 1 : 0,
    ctlog: certificateSigned && root.ctlogs > 0 ? 1 : 0,
  };
}

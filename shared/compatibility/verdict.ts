import { z } from 'zod';

export const CheckStatus = z.enum(['passed', 'failed', 'unknown']);
export type CheckStatus = z.infer<typeof CheckStatus>;

/** One line of the "why" of a verdict: what the profile asks, what the device has. */
export const Check = z.strictObject({
  name: z.string(),
  status: CheckStatus,
  expected: z.string(),
  actual: z.string(),
  reason: z.string(),
});
export type Check = z.infer<typeof Check>;

export const Verdict = z.enum(['compatible', 'incompatible', 'unknown']);
export type Verdict = z.infer<typeof Verdict>;

/** A row of `compat --json`: one device × one deployment profile. */
export const CompatibilityRow = z.strictObject({
  device: z.string(),
  profile: z.string(),
  verdict: Verdict,
  checks: z.array(Check),
});
export type CompatibilityRow = z.infer<typeof CompatibilityRow>;

/** Any failed check makes the profile incompatible; otherwise any unknown makes it unknown. */
export function verdictOf(checks: readonly Check[]): Verdict {
  if (checks.some((c) => c.status === 'failed')) return 'incompatible';
  if (checks.some((c) => c.status === 'unknown')) return 'unknown';
  return 'compatible';
}

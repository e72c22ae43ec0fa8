import type { ArtifactTrust } from '../../shared/contract/trust';
import {
  VERDICT_WORDS,
  artifactWords,
  failedCheck,
  policyWords,
} from '../../shared/trust/artifact-trust-words';

/** `2026-03-01T10:00:00.000Z` → `2026-03-01 10:00:00` (as `deployments show` writes times). */
function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 19);
}

/**
 * The signature verdicts as the CLI's text shows them: per artifact its verdict in words, who
 * signed it and who vouches for that, or the check that failed; then the policy over it.
 */
export function signatureLines(signatures: readonly ArtifactTrust[]): string[] {
  return signatures.map((s) => {
    const facts: string[] = [];
    if (s.verdict === 'verified') {
      if (s.signer) facts.push(`by ${s.signer}`);
      if (s.trustedBy) facts.push(`trusted by ${s.trustedBy}`);
      if (s.signedAt) facts.push(`signed ${when(s.signedAt)}`);
      if (s.timestampedAt) facts.push(`timestamped ${when(s.timestampedAt)}`);
    } else {
      facts.push(failedCheck(s));
    }
    const detail = facts.length > 0 ? ` (${facts.join(', ')})` : '';
    return `${artifactWords(s)}: ${VERDICT_WORDS[s.verdict]}${detail}; ${policyWords(s.policy)}`;
  });
}

/** One verdict as `deploy --json` prints it (the `catalog show --json` fields, with the policy). */
export function signatureJson(s: ArtifactTrust): Record<string, unknown> {
  return {
    artifact: s.artifact,
    kind: s.kind,
    name: s.name,
    format: s.format,
    verdict: s.verdict,
    signer: s.signer,
    trustedBy: s.trustedBy,
    signedAt: s.signedAt,
    timestampedAt: s.timestampedAt ?? null,
    reason: s.reason,
    policy: { scope: s.policy.scope, level: s.policy.level },
  };
}

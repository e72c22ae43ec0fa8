import type { ArtifactTrust } from '../../shared/contract/trust';

/**
 * One line per artifact for people: who signed a verified one; for one that is not verified,
 * why and which policy asked for a signature. Under `skip` an unverified artifact says nothing
 * unless `all` (catalog show lists everything; import warns only where a policy cares).
 */
export function signatureLines(verdicts: readonly ArtifactTrust[], all = false): string[] {
  const lines: string[] = [];
  for (const v of verdicts) {
    const what = `${v.kind} ${v.name}`;
    if (v.verdict === 'verified') {
      const by = v.trustedBy ? `, trusted through ${v.trustedBy}` : '';
      const at = v.signedAt ? `, signed ${v.signedAt}` : '';
      lines.push(`signed by   ${what}: ${v.signer ?? 'an unreadable subject'}${by}${at}`);
      continue;
    }
    if (v.policy.level === 'skip' && !all) continue;
    const word = v.verdict === 'unsigned' ? 'unsigned' : 'bad signature';
    const policy =
      v.policy.level === 'skip'
        ? 'no signature required'
        : `the trust policy for ${v.policy.scope ?? '*'} is ${v.policy.level}`;
    lines.push(`${word.padEnd(11)} ${what}: ${v.reason ?? 'no signature verifies'} (${policy})`);
  }
  return lines;
}

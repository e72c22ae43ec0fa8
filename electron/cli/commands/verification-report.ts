import type { ArtifactVerification, SignatureCheck } from '../../../shared/contract/trust';
import { EXIT, type ExitCode } from '../exit-codes';

/**
 * `trust verify*` exit 0 when every artifact reported is verified, 1 otherwise. Only artifacts
 * with signatures are reported, unless one was named: then `unsigned` is a finding too.
 */
export function verificationExit(items: ArtifactVerification[]): ExitCode {
  return items.every((item) => item.verdict === 'verified') ? EXIT.ok : EXIT.findings;
}

/** One plain line per artifact, then one per signature: verdict, signer, and why not. */
export function verificationLines(item: ArtifactVerification): string[] {
  const count = item.signatures.length;
  const head =
    item.verdict === 'unsigned'
      ? `${item.artifact}: unsigned (no signature names it)`
      : `${item.artifact}: ${item.verdict} (${count} signature${count === 1 ? '' : 's'})`;
  return [head, ...item.signatures.map((s) => `  ${signatureLine(s)}`)];
}

function signatureLine(s: SignatureCheck): string {
  const signer = s.signer ? `signed by ${s.signer}` : 'signer unknown';
  if (s.verdict === 'verified') {
    const facts = [
      signer,
      s.trustedBy ? `trusted through ${s.trustedBy}` : undefined,
      s.timestampedAt
        ? `timestamped ${s.timestampedAt}`
        : s.signedAt
          ? `signed at ${s.signedAt}`
          : undefined,
    ].filter(Boolean);
    return `${s.format} signature ${s.digest}: verified, ${facts.join(', ')}`;
  }
  return `${s.format} signature ${s.digest}: invalid, ${signer}: ${s.reason ?? 'no reason given'}`;
}

import type { CertificateFacts } from '../x509/certificate-facts';
import { isIssuedBy } from '../x509/verify-chain';

// Real TSA hierarchies are three or four deep; the bound stops a hostile token from making the
// search expensive with many look-alike certificates.
const MAX_DEPTH = 8;

/**
 * Orders a timestamp token's certificates from the signer up. A token's certificates are an
 * unordered set and may hold several candidates for one issuer (GlobalSign's tokens carry both
 * the self-signed R6 root and R6 cross-signed by R3), so this searches for a path that reaches
 * a trust anchor — the anchor itself, or a certificate the anchor issued — and otherwise
 * returns the longest path found, for verifyChain to report why it is not trusted.
 */
export function orderTsaChain(
  signer: CertificateFacts,
  pool: CertificateFacts[],
  anchors: CertificateFacts[],
): Buffer[] {
  let longest: CertificateFacts[] = [signer];
  const reachesAnchor = (facts: CertificateFacts) =>
    anchors.some((anchor) => anchor.der.equals(facts.der) || isIssuedBy(facts, anchor));
  const search = (path: CertificateFacts[]): CertificateFacts[] | undefined => {
    const current = path[path.length - 1] as CertificateFacts;
    if (reachesAnchor(current)) return path;
    if (path.length > longest.length) longest = path;
    if (path.length >= MAX_DEPTH) return undefined;
    for (const candidate of pool) {
      if (path.some((facts) => facts.der.equals(candidate.der))) continue;
      if (!isIssuedBy(current, candidate)) continue;
      const found = search([...path, candidate]);
      if (found) return found;
    }
    return undefined;
  };
  return (search([signer]) ?? longest).map((facts) => facts.der);
}

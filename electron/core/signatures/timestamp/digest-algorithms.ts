import { SignatureProblem } from '../signature-problem';

export type DigestName = 'sha256' | 'sha384' | 'sha512';

/** Hash algorithms a timestamp may use, by OID, named as node:crypto names them. SHA-1 is refused. */
const DIGEST_ALGORITHMS: Record<string, DigestName> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** `what` names the use in the reason, e.g. "the timestamp's message imprint". */
export function digestName(oid: string, what: string): DigestName {
  const name = DIGEST_ALGORITHMS[oid];
  if (!name) {
    throw new SignatureProblem(
      `${what} uses a hash algorithm that is not accepted (${oid}; accepted: SHA-256, SHA-384, SHA-512)`,
    );
  }
  return name;
}

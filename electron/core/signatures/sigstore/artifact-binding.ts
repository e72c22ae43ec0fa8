import { createHash } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import { z } from 'zod';

/**
 * Whether a bundle signs the artifact at hand. @sigstore/verify checks neither binding:
 * a message signature's `messageDigest` is compared only with the transparency-log entry
 * (absent for key-only bundles), and a DSSE envelope's in-toto subjects not at all. So a
 * bundle for one file would verify "for" any other unless this is checked.
 */

const IN_TOTO = 'application/vnd.in-toto+json';

const Statement = z.looseObject({
  subject: z.array(z.looseObject({ digest: z.record(z.string(), z.string()) })).min(1),
});

const NODE_HASH: Partial<Record<HashAlgorithm, string>> = {
  [HashAlgorithm.HASH_ALGORITHM_UNSPECIFIED]: 'sha256',
  [HashAlgorithm.SHA2_256]: 'sha256',
  [HashAlgorithm.SHA2_384]: 'sha384',
  [HashAlgorithm.SHA2_512]: 'sha512',
};
/** in-toto digest names this checks; others (gitCommit, …) cannot be computed from a file. */
const STATEMENT_HASHES = ['sha256', 'sha384', 'sha512'];

/** Null when the bundle signs these bytes; otherwise why not, in one sentence. */
export function artifactMismatch(bundle: Bundle, artifact: Buffer): string | null {
  const content = bundle.content;
  if (content.$case === 'messageSignature') {
    const { messageDigest } = content.messageSignature;
    const hash = messageDigest ? NODE_HASH[messageDigest.algorithm] : 'sha256';
    if (!messageDigest || !hash)
      return 'the bundle signs its digest with a hash algorithm this verifier does not check';
    const actual = createHash(hash).update(artifact).digest();
    return actual.equals(messageDigest.digest)
      ? null
      : `the artifact is not the one the bundle signs: its ${hash} digest differs from the bundle's`;
  }
  const statement = inTotoStatement(bundle);
  if (!statement)
    return 'the bundle does not name the artifact it signs: its envelope holds no in-toto statement';
  const digests = Object.fromEntries(
    STATEMENT_HASHES.map((h) => [h, createHash(h).update(artifact).digest('hex')]),
  );
  const named = statement.subject.some((s) =>
    Object.entries(s.digest).some(([alg, hex]) => digests[alg] === hex.toLowerCase()),
  );
  return named ? null : 'the artifact is not a subject of the in-toto statement the bundle signs';
}

/**
 * The sha256 digest the bundle says it signs (`sha256:<hex>`): the message digest, or the
 * first in-toto subject's. Shown when verifying without the artifact; null when it states none.
 */
export function statedDigest(bundle: Bundle): string | null {
  const content = bundle.content;
  if (content.$case === 'messageSignature') {
    const { messageDigest } = content.messageSignature;
    if (!messageDigest || NODE_HASH[messageDigest.algorithm] !== 'sha256') return null;
    return `sha256:${Buffer.from(messageDigest.digest).toString('hex')}`;
  }
  const hex = inTotoStatement(bundle)
    ?.subject.map((s) => s.digest.sha256?.toLowerCase())
    .find((h) => h !== undefined && /^[0-9a-f]{64}$/.test(h));
  return hex ? `sha256:${hex}` : null;
}

function inTotoStatement(bundle: Bundle): z.infer<typeof Statement> | null {
  if (bundle.content.$case !== 'dsseEnvelope') return null;
  const envelope = bundle.content.dsseEnvelope;
  if (envelope.payloadType !== IN_TOTO) return null;
  try {
    const parsed = Statement.safeParse(JSON.parse(Buffer.from(envelope.payload).toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { notFound } from '../../../../shared/contract/contract-error';
import type { ArtifactVerification } from '../../../../shared/contract/trust';
import type { Descriptor } from '../../../../shared/oci/descriptors';
import type { NotaryTrust } from '../notary-trust';
import { ENVELOPE_LIMITS } from './notary-names';
import { verifyNotaryEnvelope } from './verify-envelope';

/**
 * `trust verify-envelope`: one envelope file (JWS or COSE, detected) against the descriptor of
 * the artifact it must sign. The signature is identified by the file's sha256. Only one byte
 * more than the envelope limit is kept in memory, so a huge file is refused without being loaded.
 */
export async function verifyEnvelopeFile(
  path: string,
  target: Descriptor,
  trust: NotaryTrust,
  now?: Date,
): Promise<ArtifactVerification> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) throw notFound('file', path, `${path} does not exist`);
  if (!info.isFile()) throw notFound('file', path, `${path} is not a file`);
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  let keptBytes = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    if (keptBytes <= ENVELOPE_LIMITS.maxEnvelopeBytes) {
      kept.push(bytes);
      keptBytes += bytes.length;
    }
  }
  const check = verifyNotaryEnvelope({
    envelope: Buffer.concat(kept),
    target,
    trust,
    digest: `sha256:${hash.digest('hex')}`,
    ...(now ? { now } : {}),
  });
  return { artifact: target.digest, verdict: check.verdict, signatures: [check] };
}

import { z } from 'zod';
import type { Descriptor } from '../../../../shared/oci/descriptors';
import { SignatureProblem } from '../signature-problem';

const SignedDescriptor = z.looseObject({
  mediaType: z.string(),
  digest: z.string(),
  size: z.number().int().nonnegative(),
});
type SignedDescriptor = z.infer<typeof SignedDescriptor>;
const Payload = z.looseObject({ targetArtifact: SignedDescriptor });

/** The descriptor a Notary payload (`application/vnd.cncf.notary.payload.v1+json`) says was signed. */
export function signedTarget(payload: Buffer): SignedDescriptor {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new SignatureProblem('the signed payload is not valid JSON');
  }
  const parsed = Payload.safeParse(json);
  if (!parsed.success)
    throw new SignatureProblem(
      'the signed payload does not describe the signed artifact (no valid targetArtifact)',
    );
  return parsed.data.targetArtifact;
}

/** Why `signed` is not `target`, or undefined when media type, digest and size agree. */
export function targetMismatch(signed: SignedDescriptor, target: Descriptor): string | undefined {
  const differs: string[] = [];
  if (signed.digest !== target.digest) differs.push(`digest ${signed.digest}`);
  if (signed.size !== target.size) differs.push(`size ${signed.size}`);
  if (signed.mediaType !== target.mediaType) differs.push(`media type ${signed.mediaType}`);
  if (!differs.length) return undefined;
  return `the signature is for another artifact (${differs.join(', ')}), not for ${target.mediaType} ${target.digest} of ${target.size} bytes`;
}

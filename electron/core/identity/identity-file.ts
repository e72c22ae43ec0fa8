import { CommissionerError } from '../../../shared/contract/contract-error';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeOwnerOnly } from '../deployments/owner-only-file';
import { isIdSegment, isTrustDomain } from './spiffe-id';

/** What identifies this laptop's WFM in the plant (keys/margo/identity.json). */
export const PlantIdentityFile = z.strictObject({
  trustDomain: z.string().refine(isTrustDomain),
  wfmId: z.string().refine(isIdSegment),
  createdAt: z.string(),
  /** Where `margo serve` last listened and which URL it gave clients. */
  serve: z
    .strictObject({
      host: z.string(),
      port: z.number().int(),
      url: z.string(),
      /** When the WFM certificate it served last expires. */
      notAfter: z.string().optional(),
    })
    .optional(),
  /**
   * A CA rotation in progress: the next CA (next-ca.pem) is trusted beside the current one and
   * issues new client certificates; `finishing` while the finish's file changes are under way.
   */
  rotation: z.strictObject({ startedAt: z.string(), finishing: z.boolean().optional() }).optional(),
  /** `spiffe_sequence` of the trust bundle: raised whenever the anchors change (1 when absent). */
  trustBundleSequence: z.number().int().positive().optional(),
});
export type PlantIdentityFile = z.infer<typeof PlantIdentityFile>;

export const IDENTITY_FILE = 'identity.json';

/** The plant's trust domain on this laptop is damaged: restoring it is the only way out. */
export class PlantIdentityError extends CommissionerError<'storage'> {
  constructor(path: string, message: string) {
    super('storage', message, { path });
  }
}

export function readIdentityFile(dir: string): PlantIdentityFile {
  const file = join(dir, IDENTITY_FILE);
  const damaged = (why: string) =>
    new PlantIdentityError(
      file,
      `${file} is damaged (${why}): restore it from a backup; a new trust domain would make every provisioned device refuse this laptop`,
    );
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== undefined) throw e;
    throw damaged((e as Error).message);
  }
  const parsed = PlantIdentityFile.safeParse(json);
  if (!parsed.success) throw damaged(parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}

/** Replaces identity.json at once (a temporary file renamed over it). */
export function writeIdentityFile(dir: string, content: PlantIdentityFile): void {
  writeOwnerOnly(join(dir, IDENTITY_FILE), Buffer.from(`${JSON.stringify(content, null, 2)}\n`));
}

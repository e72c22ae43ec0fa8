import { z } from 'zod';
import { ComposeModel } from '../../../../shared/compose/compose-model';

/** One service as a revision runs it: its config hash, the image and files it mounts. */
export const RenderedService = z.strictObject({
  name: z.string(),
  /** sha256 (hex) of the service's fingerprint: the com.docker.compose.config-hash label. */
  hash: z.string(),
  /** As the compose file names it. */
  image: z.string(),
  /** The Docker image id (config digest) it runs. */
  imageId: z.string(),
  /** The store ref the image comes from; null when the device already had it and the store not. */
  imageRef: z.string().nullable(),
  /** Archive files it mounts (path → sha256), delivered in the volume `filesVolume`. */
  files: z.record(z.string(), z.string()),
  filesVolume: z.string().nullable(),
  /** Relative binds of folders the archive does not hold (path → the volume standing for it). */
  dataFolders: z.record(z.string(), z.string()),
});
export type RenderedService = z.infer<typeof RenderedService>;

/** One component (a compose project) of a revision, complete enough to apply again later. */
export const RenderedComponent = z.strictObject({
  name: z.string(),
  project: z.string(),
  /** Where its compose archive is in the store (a rollback re-delivers files from it). */
  archive: z.strictObject({ refName: z.string(), digest: z.string() }),
  wait: z.boolean(),
  timeoutMs: z.number().int().positive(),
  model: ComposeModel,
  services: z.array(RenderedService),
});
export type RenderedComponent = z.infer<typeof RenderedComponent>;

/** What a revision is on the device: kept with it so a rollback restores it exactly. */
export const RenderedRevision = z.strictObject({
  components: z.array(RenderedComponent),
});
export type RenderedRevision = z.infer<typeof RenderedRevision>;

import { z } from 'zod';
import { ArtifactVerdict } from './trust';

/** One row of `catalog list`: an application at its latest version. Shape relied on by scripts. */
export const CatalogEntry = z.strictObject({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  tagline: z.string().nullable(),
  organization: z.string(),
  tags: z.array(z.string()),
  profiles: z.array(z.string()),
  /** The signature verdict of the package version (its catalog badge); absent when not known. */
  trust: ArtifactVerdict.optional(),
});
export type CatalogEntry = z.infer<typeof CatalogEntry>;

/** One application version in full (`catalog show`). */
export const ApplicationDetail = z.strictObject({
  id: z.string(),
  version: z.string(),
  latestVersion: z.string(),
  versions: z.array(z.string()),
  name: z.string(),
  tagline: z.string().nullable(),
  description: z.string().nullable(),
  organization: z.string(),
  tags: z.array(z.string()),
  site: z.string().nullable(),
  manifestDigest: z.string(),
  ref: z.string(),
  source: z.string(),
  importedAt: z.string(),
  profiles: z.array(
    z.strictObject({
      id: z.string(),
      type: z.string(),
      description: z.string().nullable(),
      components: z.array(
        z.strictObject({
          name: z.string(),
          repository: z.string().nullable(),
          revision: z.string().nullable(),
          packageLocation: z.string().nullable(),
        }),
      ),
    }),
  ),
  resources: z.array(
    z.strictObject({
      path: z.string(),
      kind: z.string().nullable(),
      mediaType: z.string(),
      digest: z.string(),
      size: z.number(),
    }),
  ),
  /** The validator's warnings for this version. */
  diagnostics: z.array(z.unknown()),
  /** The description in its rc.3 shape. */
  document: z.unknown(),
});
export type ApplicationDetail = z.infer<typeof ApplicationDetail>;

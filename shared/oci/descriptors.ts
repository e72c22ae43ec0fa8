import { z } from 'zod';

export const Digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, {
  error: 'must be sha256: followed by 64 lower-case hex digits',
});

/** An OCI content descriptor. Unknown fields are kept: descriptors grow with the spec. */
export const Descriptor = z.looseObject({
  mediaType: z.string(),
  digest: Digest,
  size: z.number().int().nonnegative(),
  artifactType: z.string().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  platform: z
    .looseObject({
      architecture: z.string(),
      os: z.string(),
      variant: z.string().optional(),
    })
    .optional(),
  data: z.string().optional(),
});
export type Descriptor = z.infer<typeof Descriptor>;

/** OCI image manifest, also accepted for Docker schema 2 manifests (same fields). */
export const ImageManifest = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: Descriptor,
  layers: z.array(Descriptor),
  subject: Descriptor.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ImageManifest = z.infer<typeof ImageManifest>;

/** OCI image index / Docker manifest list; `index.json` of an image layout is one too. */
export const ImageIndex = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  manifests: z.array(Descriptor),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ImageIndex = z.infer<typeof ImageIndex>;

export const OciLayoutFile = z.looseObject({ imageLayoutVersion: z.string() });

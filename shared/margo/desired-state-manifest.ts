import { z } from 'zod';
import { specObject } from './spec-object';

export const BUNDLE_MEDIA_TYPE = 'application/vnd.margo.bundle.v1+tar+gzip';
/** 2^64-1: JS numbers above 2^53 lose precision, but the range check still holds. */
export const MAX_MANIFEST_VERSION = 2 ** 64 - 1;

export const DeploymentBundleRef = specObject('a bundle reference', {
  mediaType: z.literal(BUNDLE_MEDIA_TYPE, { error: `must be ${BUNDLE_MEDIA_TYPE}` }),
  digest: z.string(),
  sizeBytes: z.number().int().nonnegative().optional(),
  url: z.string(),
});

export const DeploymentManifestRef = specObject('a deployment reference', {
  deploymentId: z.string().min(1),
  digest: z.string(),
  sizeBytes: z.number().int().nonnegative().optional(),
  url: z.string(),
});

/** The state manifest served at GET /api/v1/deployments (UnsignedAppStateManifest). */
export const DesiredStateManifest = specObject('a state manifest', {
  manifestVersion: z.number().int().min(1).max(MAX_MANIFEST_VERSION),
  bundle: DeploymentBundleRef.nullable(),
  deployments: z.array(DeploymentManifestRef),
});
export type DesiredStateManifest = z.infer<typeof DesiredStateManifest>;

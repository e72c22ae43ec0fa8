import { z } from 'zod';
import { ImageIndex } from '../../../shared/oci/descriptors';
import type { Store } from '../store/store';
import { DockerSaveError, readImageManifest } from './docker-save-stream';
import { resolveImageRef, storedImage } from './find-image-ref';
import {
  checkImagePlatform,
  formatPlatform,
  selectManifest,
  type Platform,
} from './select-platform';

/** The image manifest of one stored image that runs on a given device. */
export interface DeviceImage {
  manifestDigest: string;
  /** The config digest, which Docker reports as the image's Id. */
  imageId: string;
}

/** A stored image that is absent. */
export class ImageNotInStoreError extends Error {
  override name = 'ImageNotInStoreError';
}

const MAX_JSON = 4 * 1024 * 1024;

const ImageConfig = z.looseObject({
  architecture: z.string().optional(),
  os: z.string().optional(),
  variant: z.string().optional(),
});

/**
 * Picks what to send for `image` (as compose names it) stored under `refName`: for a
 * multi-platform index, the entry for the device's platform; for a single image, the image
 * itself once its config says it runs there. Throws `PlatformMismatchError` otherwise.
 */
export function imageForDevice(
  store: Pick<Store, 'db' | 'blobs'>,
  refName: string,
  image: string,
  platform: Platform,
): DeviceImage {
  const stored = resolveImageRef(store, refName);
  if (!stored)
    throw new ImageNotInStoreError(
      `${image} is not in the store (looked up as ${refName}): import the kit that carries it`,
    );
  let manifestDigest = stored.digest;
  if (stored.kind === 'index') {
    const index = ImageIndex.safeParse(
      readJson(store, stored.digest, `the image index of ${image}`),
    );
    if (!index.success)
      throw new DockerSaveError(`the image index ${stored.digest} of ${image} is not an index`);
    const chosen = selectManifest(index.data, platform, image);
    const child = storedImage(store, chosen.digest);
    if (child?.kind !== 'image')
      throw new DockerSaveError(
        `the ${formatPlatform(chosen.platform as Platform)} image ${chosen.digest} of ${image} is not an image manifest in the store: import the image again`,
      );
    manifestDigest = chosen.digest;
    return {
      manifestDigest,
      imageId: readImageManifest(store.blobs, manifestDigest).config.digest,
    };
  }
  const manifest = readImageManifest(store.blobs, manifestDigest);
  const config = ImageConfig.safeParse(
    readJson(store, manifest.config.digest, `the image config of ${image}`),
  );
  if (!config.success)
    throw new DockerSaveError(`the image config ${manifest.config.digest} of ${image} is not one`);
  checkImagePlatform(config.data, platform, image);
  return { manifestDigest, imageId: manifest.config.digest };
}

function readJson(store: Pick<Store, 'blobs'>, digest: string, what: string): unknown {
  let bytes: Buffer;
  try {
    if (store.blobs.size(digest) > MAX_JSON)
      throw new DockerSaveError(`${what} (${digest}) is larger than ${MAX_JSON} bytes`);
    bytes = store.blobs.read(digest);
  } catch (e) {
    if (e instanceof DockerSaveError) throw e;
    throw new DockerSaveError(
      `${what} (${digest}) is missing from the store: the store is damaged; import the image again`,
    );
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new DockerSaveError(`${what} (${digest}) is not valid JSON`);
  }
}

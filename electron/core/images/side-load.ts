import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { z } from 'zod';
import { Digest } from '../../../shared/oci/descriptors';
import { normalizeImageName } from '../../../shared/oci/reference';
import type { Store } from '../store/store';
import { DockerSaveError, dockerSaveArchive, type DockerSaveArchive } from './docker-save-stream';
import { ImageNotInStoreError, imageForDevice, type DeviceImage } from './image-for-device';
import { readLoadAnswer, type LoadAnswer } from './load-answer';
import { PlatformMismatchError, type Platform } from './select-platform';
import { SideLoadError, daemonRefusal, deviceAddress, deviceFailure } from './side-load-error';

export { findImageRef } from './find-image-ref';
export { SideLoadError, type SideLoadErrorKind } from './side-load-error';
export type { Platform } from './select-platform';

/** An image a deployment needs on a device. */
export interface SideLoadImage {
  /** As the compose file writes it: `registry.example.com/monitor:1.2.0`, `busybox`, `x@sha256:…`. */
  name: string;
  /** The store ref it resolves to (`findImageRef`). */
  refName: string;
}

export interface SideLoadProgress {
  image: string;
  bytesSent: number;
  totalBytes: number;
}

export const SideLoadResult = z.strictObject({
  image: z.string(),
  /** The config digest: what Docker reports as the image's Id. */
  imageId: Digest,
  /** `present`: the device had it (perhaps under another name, now tagged); `loaded`: sent. */
  action: z.enum(['present', 'loaded']),
  bytesSent: z.number().int().nonnegative(),
});
export type SideLoadResult = z.infer<typeof SideLoadResult>;

const ImageInspect = z.looseObject({ Id: z.string() });

/**
 * Puts images from the store onto one Docker device, never through a registry: each image is
 * skipped when the device already has it (the same Id under that name), tagged when the device
 * has the content under another name, and otherwise sent as a `docker save` archive built on
 * the fly from the store's blobs (`POST /images/load`), then confirmed by name and Id.
 * Images go one after the other (one device's disk and link are the bottleneck); load
 * different devices in parallel. The client's timeout must outlast the daemon's work after
 * the upload (unpacking the layers), during which the connection is silent.
 *
 * A name with a digest (`x@sha256:…`) is loaded untagged: Docker 20.10 cannot record a repo
 * digest for a loaded image, so a deployment must run such an image by its `imageId`.
 */
export async function sideLoadImages(
  docker: Dockerode,
  store: Pick<Store, 'db' | 'blobs'>,
  images: readonly SideLoadImage[],
  platform: Platform,
  onProgress?: (p: SideLoadProgress) => void,
): Promise<SideLoadResult[]> {
  const where = deviceAddress(docker);
  const results: SideLoadResult[] = [];
  for (const image of images) {
    results.push(await sideLoadOne(docker, store, image, platform, where, onProgress));
  }
  return results;
}

async function sideLoadOne(
  docker: Dockerode,
  store: Pick<Store, 'db' | 'blobs'>,
  { name, refName }: SideLoadImage,
  platform: Platform,
  where: string,
  onProgress?: (p: SideLoadProgress) => void,
): Promise<SideLoadResult> {
  const chosen = chooseImage(store, refName, name, platform);
  const { imageId } = chosen;
  // Docker keeps tags, not repo digests, for loaded images: a digest name is checked by Id.
  const tagName = name.includes('@') ? undefined : normalizeImageName(name);
  const present = (): SideLoadResult => ({ image: name, imageId, action: 'present', bytesSent: 0 });

  if (tagName && (await inspectId(docker, tagName, name, where)) === imageId) return present();
  if ((await inspectId(docker, imageId, name, where)) === imageId) {
    if (tagName) {
      await tagImage(docker, imageId, tagName, name, where);
      await confirm(docker, tagName, imageId, name, where);
    }
    return present();
  }

  let archive: DockerSaveArchive;
  try {
    archive = dockerSaveArchive(store.blobs, chosen.manifestDigest, tagName ? [tagName] : []);
  } catch (e) {
    throw storeFailure(e, name);
  }
  const totalBytes = archive.totalBytes;
  let bytesSent = 0;
  let lastActivity = performance.now();
  const cut = () => ({
    sent: bytesSent,
    total: totalBytes,
    silentMs: performance.now() - lastActivity,
    timeoutMs: clientTimeout(docker),
  });
  const stream: Readable = archive.stream();
  // Paused first, so counting does not start the flow before the request pipes the stream
  // (pipe resumes it): not a byte is lost to the listener alone.
  stream.pause();
  stream.on('data', (chunk: Buffer) => {
    bytesSent += chunk.length;
    lastActivity = performance.now();
    onProgress?.({ image: name, bytesSent, totalBytes });
  });
  try {
    let answer: NodeJS.ReadableStream;
    try {
      // Not quiet: the daemon then reports each layer as it unpacks it, so the connection
      // is not silent for that long (a client timeout counts silence).
      answer = await docker.loadImage(stream, { quiet: false });
    } catch (e) {
      if (e instanceof DockerSaveError) throw storeFailure(e, name);
      throw deviceFailure(e, name, where, cut());
    }
    lastActivity = performance.now();
    let said: LoadAnswer;
    try {
      said = await readLoadAnswer(answer, () => (lastActivity = performance.now()));
    } catch (e) {
      throw deviceFailure(e, name, where, cut());
    }
    if (said.error !== undefined) throw daemonRefusal(said.error, name, where);
  } finally {
    // The daemon may answer (an error) before it read everything: stop reading blob files.
    if (!stream.readableEnded) stream.destroy();
  }
  await confirm(docker, tagName ?? imageId, imageId, name, where);
  return { image: name, imageId, action: 'loaded', bytesSent };
}

/** The socket timeout of a dockerode client (silence after which it drops the request). */
function clientTimeout(docker: Dockerode): number | undefined {
  const timeout = (docker.modem as { timeout?: unknown }).timeout;
  return typeof timeout === 'number' && timeout > 0 ? timeout : undefined;
}

function chooseImage(
  store: Pick<Store, 'db' | 'blobs'>,
  refName: string,
  name: string,
  platform: Platform,
): DeviceImage {
  try {
    return imageForDevice(store, refName, name, platform);
  } catch (e) {
    throw storeFailure(e, name);
  }
}

function storeFailure(e: unknown, image: string): Error {
  if (e instanceof PlatformMismatchError)
    return new SideLoadError('platform', image, e.message, { cause: e });
  if (e instanceof ImageNotInStoreError)
    return new SideLoadError('not-in-store', image, e.message, { cause: e });
  if (e instanceof DockerSaveError)
    return new SideLoadError('store', image, `${image} cannot be side-loaded: ${e.message}`, {
      cause: e,
    });
  return e instanceof Error ? e : new Error(String(e));
}

/** The Id the device has under `reference`; undefined when it has nothing by that name. */
async function inspectId(
  docker: Dockerode,
  reference: string,
  image: string,
  where: string,
): Promise<string | undefined> {
  try {
    const info = ImageInspect.safeParse(await docker.getImage(reference).inspect());
    return info.success ? info.data.Id : undefined;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw deviceFailure(e, image, where);
  }
}

async function tagImage(
  docker: Dockerode,
  imageId: string,
  tagName: string,
  image: string,
  where: string,
): Promise<void> {
  const colon = tagName.lastIndexOf(':');
  try {
    await docker
      .getImage(imageId)
      .tag({ repo: tagName.slice(0, colon), tag: tagName.slice(colon + 1) });
  } catch (e) {
    throw deviceFailure(e, image, where);
  }
}

async function confirm(
  docker: Dockerode,
  reference: string,
  imageId: string,
  image: string,
  where: string,
): Promise<void> {
  const id = await inspectId(docker, reference, image, where);
  if (id === imageId) return;
  throw new SideLoadError(
    'mismatch',
    image,
    id === undefined
      ? `${image}: ${where} accepted the image but does not list ${reference} afterwards: side-load again, and check the daemon's log if it persists`
      : `${image}: ${where} lists ${reference} as image ${id}, not ${imageId} as sent: another image took the name meanwhile, or the daemon stores images differently (containerd image store); side-load again`,
  );
}

import { Digest } from '../../../shared/oci/descriptors';
import { normalizeImageName } from '../../../shared/oci/reference';
import type { Store } from '../store/store';
import { imageByDigest, imageByRef, type StoredImage } from '../store/stored-refs';

export type { StoredImage } from '../store/stored-refs';

/**
 * The store ref of an image as a compose file names it: `busybox`, `bars/web:1.0.0`,
 * `registry.example.com/monitor:1.2.0` are normalized as Docker does and looked up in the
 * refs table; `name@sha256:…` (with or without a tag) names content, so any image manifest
 * or index with that digest in the store answers, as `<repository>@<digest>`. Undefined when
 * the store does not hold the image.
 */
export function findImageRef(store: Pick<Store, 'db'>, name: string): string | undefined {
  const at = name.indexOf('@');
  if (at >= 0) {
    const digest = name.slice(at + 1);
    if (!Digest.safeParse(digest).success) return undefined;
    if (!storedImage(store, digest)) return undefined;
    return `${repositoryOf(name.slice(0, at))}@${digest}`;
  }
  const refName = normalizeImageName(name);
  return resolveImageRef(store, refName) ? refName : undefined;
}

/**
 * What a store ref (a name from `findImageRef`) points at: a ref name through the refs table,
 * `<repository>@<digest>` through the manifests table; undefined when absent or not an image.
 */
export function resolveImageRef(
  store: Pick<Store, 'db'>,
  refName: string,
): StoredImage | undefined {
  const at = refName.indexOf('@');
  if (at >= 0) return storedImage(store, refName.slice(at + 1));
  return imageByRef(store, refName);
}

/** The image manifest or index with this digest, if the store holds one. */
export function storedImage(store: Pick<Store, 'db'>, digest: string): StoredImage | undefined {
  return imageByDigest(store, digest);
}

/** `busybox:1` → `docker.io/library/busybox`: the normalized name without its tag. */
function repositoryOf(name: string): string {
  const normalized = normalizeImageName(name);
  const colon = normalized.lastIndexOf(':');
  return colon > normalized.lastIndexOf('/') ? normalized.slice(0, colon) : normalized;
}

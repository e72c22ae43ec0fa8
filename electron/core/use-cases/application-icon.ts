import type { IconResource } from '../store/catalog-reader';
import type { Store } from '../store/store';

/** Icons larger than this are not inlined (an icon is kilobytes; a 10 MB "icon" is not shown). */
const MAX_ICON_BYTES = 512 * 1024;

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  'svg+xml': 'image/svg+xml',
};

function lastMatch(pattern: RegExp, text: string): string {
  return pattern.exec(text)?.[1]?.toLowerCase() ?? '';
}

/**
 * The icon as a data URL for an <img>: an image type the UI can show, within bounds. SVG is
 * safe there (an image element never runs an SVG's scripts), which is why it is never inlined
 * as markup.
 */
export function iconDataUrl(store: Store, r: IconResource | undefined): string | null {
  if (!r || r.size > MAX_ICON_BYTES || !store.blobs.has(r.digest)) return null;
  const type =
    IMAGE_TYPES[lastMatch(/\+([a-z0-9.+-]+)$/i, r.mediaType)] ??
    IMAGE_TYPES[lastMatch(/\/([a-z0-9.+-]+)$/i, r.mediaType)] ??
    IMAGE_TYPES[lastMatch(/\.([a-z0-9]+)$/i, r.path)];
  if (!type) return null;
  return `data:${type};base64,${store.blobs.read(r.digest).toString('base64')}`;
}

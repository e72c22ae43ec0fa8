import type { PathSegment } from '../diagnostic';

/**
 * A field an upgrade moved: findings about `current` (and below) belong to `source` in the
 * file, e.g. `id` → `metadata.id` for a legacy description.
 */
export interface PathRewrite {
  current: readonly PathSegment[];
  source: readonly PathSegment[];
}

export function toSourcePath(
  path: readonly PathSegment[],
  rewrites: readonly PathRewrite[],
): PathSegment[] {
  for (const { current, source } of rewrites) {
    if (current.length <= path.length && current.every((segment, i) => path[i] === segment)) {
      return [...source, ...path.slice(current.length)];
    }
  }
  return [...path];
}

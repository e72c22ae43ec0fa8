import type { PathSegment } from '../diagnostic';

export type PlainRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is PlainRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Calls `fn` for each mapping in a list, with its index in the list (other items are skipped). */
export function eachRecord(value: unknown, fn: (item: PlainRecord, index: number) => void): void {
  if (!Array.isArray(value)) return;
  value.forEach((item: unknown, index) => {
    if (isRecord(item)) fn(item, index);
  });
}

/** Deep copy of parsed YAML/JSON data, so upgrades and coercions never touch the caller's value. */
export function clonePlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => clonePlain(v)) as T;
  if (isRecord(value)) {
    const out: PlainRecord = {};
    for (const [k, v] of Object.entries(value)) out[k] = clonePlain(v);
    return out as T;
  }
  return value;
}

/** Sets the value at `path` inside parsed data; the path must lead through existing containers. */
export function setAtPath(root: unknown, path: readonly PathSegment[], value: unknown): void {
  if (path.length === 0) return;
  let node = root as Record<PathSegment, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<PathSegment, unknown>;
  node[path[path.length - 1] as PathSegment] = value;
}

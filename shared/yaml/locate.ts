import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type Node,
} from 'yaml';
import type { PathSegment } from '../validation/diagnostic';

export interface Located {
  /** The node at the path, or null when the path leaves the document (a missing field). */
  node: Node | null;
  /** Where a diagnostic about this path should point. */
  offset: number;
}

/**
 * Finds where a diagnostic about `path` belongs in the source. Scalars are pointed at
 * directly; collections and missing fields at the key that introduces them, because that
 * is the line an engineer edits (`metadata:` when `metadata.name` is missing).
 */
export function locatePath(doc: Document, path: readonly PathSegment[]): Located {
  let node: unknown = doc.contents;
  let keyOffset: number | undefined;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    node = resolveAlias(doc, node);
    let next: unknown;
    let nextKeyOffset: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyMatches(p.key, segment));
      if (pair) {
        next = pair.value;
        nextKeyOffset = rangeStart(pair.key);
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined) {
      return { node: null, offset: keyOffset ?? offset };
    }
    node = next;
    keyOffset = nextKeyOffset;
    const start = rangeStart(node);
    // `key:` without a value yields a null scalar (or nothing) placed after the colon.
    offset = start !== undefined && !isEmptyScalar(node) ? start : (keyOffset ?? offset);
  }
  const resolved = resolveAlias(doc, node);
  if (isCollection(resolved) && keyOffset !== undefined && !resolved.flow) {
    return { node: resolved, offset: keyOffset };
  }
  return { node: (resolved as Node | null) ?? null, offset };
}

/** Offset of the key of the field at `path` (or of the node when it has no key). */
export function locateKey(doc: Document, path: readonly PathSegment[]): number {
  if (path.length === 0) return rangeStart(doc.contents) ?? 0;
  const parent = resolveAlias(doc, locatePath(doc, path.slice(0, -1)).node);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isPair(p) && keyMatches(p.key, last as PathSegment));
    const start = pair ? rangeStart(pair.key) : undefined;
    if (start !== undefined) return start;
  }
  return locatePath(doc, path).offset;
}

function keyMatches(key: unknown, segment: PathSegment): boolean {
  if (isScalar(key)) return String(key.value) === String(segment);
  return false;
}

function resolveAlias(doc: Document, node: unknown): unknown {
  let current = node;
  for (let hops = 0; isAlias(current) && hops < 32; hops++) current = current.resolve(doc);
  return current;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && (node.source === '' || node.source === undefined);
}

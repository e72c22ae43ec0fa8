import type { CatalogEntry } from '../../../../shared/contract/catalog-entry';

/**
 * Whether two catalog entries show the same thing: every field equal, lists item by item. A
 * field this does not know how to compare (an object) counts as changed, so nothing new is
 * ever left undrawn.
 */
export function sameEntry(a: CatalogEntry | undefined, b: CatalogEntry | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a) as (keyof CatalogEntry)[];
  return keys.length === Object.keys(b).length && keys.every((k) => sameValue(a[k], b[k]));
}

function sameValue(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  return (
    Array.isArray(x) &&
    Array.isArray(y) &&
    x.length === y.length &&
    x.every((v, i) => v === (y as unknown[])[i])
  );
}

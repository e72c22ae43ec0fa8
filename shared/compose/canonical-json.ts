/**
 * JSON with object keys sorted at every level, arrays in their order, undefined members
 * dropped (so "absent" and "undefined" are the same), no whitespace. Equal data gives equal
 * text whatever order the keys were set in, which is what a hash needs.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // Non-finite numbers have no JSON form; JSON.stringify would silently write null.
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Error(`canonical JSON cannot hold the number ${value}`);
    }
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}

/** A row of the refs table, read as the repository it belongs to and its tag or digest. */
export interface StoredRef {
  /** The ref name as stored: `registry.plant.local/demo/app:1.0.0`, `host/repo@sha256:…`, `id:version`. */
  name: string;
  /** The manifest (or index) it points at. */
  digest: string;
  repository: string;
  /** Absent for refs pinned by digest (`repo@sha256:…`): they belong to the repository, untagged. */
  tag?: string;
}

/**
 * Splits a stored ref name: the tag follows the last colon after the last slash (a colon
 * before it is a registry port), a digest follows `@`.
 */
export function splitRefName(name: string): { repository: string; tag?: string } {
  const at = name.indexOf('@');
  if (at >= 0) return { repository: name.slice(0, at) };
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    return { repository: name.slice(0, colon), tag: name.slice(colon + 1) };
  }
  return { repository: name };
}

export function storedRef(row: { name: string; digest: string }): StoredRef {
  const { repository, tag } = splitRefName(row.name);
  return { name: row.name, digest: row.digest, repository, ...(tag === undefined ? {} : { tag }) };
}

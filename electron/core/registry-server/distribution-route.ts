import { OciError } from './oci-error';

/** What a request under /v2 asks for, with its name and reference already validated. */
export type Route =
  | { kind: 'base' }
  | { kind: 'tags'; name: string }
  | { kind: 'manifest'; name: string; reference: Reference }
  | { kind: 'blob'; name: string; digest: string };

export type Reference = { tag: string; digest?: undefined } | { digest: string; tag?: undefined };

export interface RequestTarget {
  /** The path exactly as sent: never percent-decoded, never dot-segment normalized. */
  path: string;
  query: URLSearchParams;
}

// The distribution spec's name grammar; it admits neither `..`, `%`, `\` nor an empty segment,
// so a validated name can never climb out of anything it is later joined to.
const NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const MAX_NAME = 255;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
// The store holds sha256 content only (its blob files are named by the hex); anything else
// could never be found, and must never be turned into a path.
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Splits the request target into path and query without the WHATWG URL parser, which would
 * resolve `/v2/../x` and `%2e%2e` before any check could see them. An absolute-form target
 * (`http://host/v2/…`, sent to proxies) is reduced to its path.
 */
export function requestTarget(url: string | undefined): RequestTarget {
  const raw = (url ?? '/').replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, '');
  const hash = raw.indexOf('#');
  const withoutHash = hash >= 0 ? raw.slice(0, hash) : raw;
  const mark = withoutHash.indexOf('?');
  return mark >= 0
    ? { path: withoutHash.slice(0, mark), query: new URLSearchParams(withoutHash.slice(mark + 1)) }
    : { path: withoutHash, query: new URLSearchParams() };
}

/** Whether a path belongs to the distribution API (the caller mounts other routes beside it). */
export function isDistributionPath(path: string): boolean {
  return path === '/v2' || path.startsWith('/v2/');
}

/**
 * The route of a distribution path (GET or HEAD), or an OciError: NAME_INVALID and
 * DIGEST_INVALID (400) for malformed input, UNSUPPORTED (404) for endpoints a read-only
 * registry does not have (uploads, _catalog, referrers). Names may hold slashes, so the
 * endpoint is matched from the end of the path, as distribution does.
 */
export function parseRoute(path: string): Route | OciError {
  if (path === '/v2' || path === '/v2/') return { kind: 'base' };
  const rest = path.slice('/v2/'.length);
  let m = /^(.*)\/tags\/list$/.exec(rest);
  if (m) {
    const name = checkName(m[1] as string);
    return typeof name === 'string' ? { kind: 'tags', name } : name;
  }
  m = /^(.*)\/manifests\/([^/]*)$/.exec(rest);
  if (m) {
    const name = checkName(m[1] as string);
    if (typeof name !== 'string') return name;
    const reference = checkReference(m[2] as string);
    return reference instanceof OciError ? reference : { kind: 'manifest', name, reference };
  }
  m = /^(.*)\/blobs\/([^/]*)$/.exec(rest);
  if (m && m[2] !== 'uploads') {
    const name = checkName(m[1] as string);
    if (typeof name !== 'string') return name;
    const digest = checkDigest(m[2] as string);
    return digest instanceof OciError ? digest : { kind: 'blob', name, digest };
  }
  return new OciError(
    404,
    'UNSUPPORTED',
    'this read-only registry serves the base, tag list, manifest and blob endpoints only',
    { path },
  );
}

function checkName(name: string): string | OciError {
  if (name.length <= MAX_NAME && NAME.test(name)) return name;
  return new OciError(400, 'NAME_INVALID', 'invalid repository name', {
    name,
    expected: 'lower-case path components [a-z0-9]+([._-][a-z0-9]+)* separated by /',
  });
}

/** A tag, or a digest (anything with a colon: tags cannot hold one). */
function checkReference(reference: string): Reference | OciError {
  if (reference.includes(':')) {
    const digest = checkDigest(reference);
    return digest instanceof OciError ? digest : { digest };
  }
  if (TAG.test(reference)) return { tag: reference };
  // A tag no client could have pushed names nothing: unknown, without asking the store.
  return new OciError(404, 'MANIFEST_UNKNOWN', 'manifest unknown', {
    reference,
    reason: 'not a tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}) nor a digest',
  });
}

function checkDigest(digest: string): string | OciError {
  if (DIGEST.test(digest)) return digest;
  return new OciError(400, 'DIGEST_INVALID', 'invalid digest', {
    digest,
    expected: 'sha256: followed by 64 lower-case hex digits',
  });
}

import { z } from 'zod';

/**
 * An OCI reference as Margo writes it: `oci://host[:port]/path[:tag|@digest]`. `tag` and
 * `digest` are both absent when the reference means "every tag".
 */
export const OciReference = z.strictObject({
  registry: z.string(),
  repository: z.string(),
  tag: z.string().optional(),
  digest: z.string().optional(),
});
export type OciReference = z.infer<typeof OciReference>;

const REPOSITORY =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$/;

export type ParseResult = { ok: true; reference: OciReference } | { ok: false; message: string };

/** Parses `oci://host[:port]/repo[:tag|@digest]`; the scheme is optional. */
export function parseOciReference(text: string): ParseResult {
  const raw = text.trim().replace(/^oci:\/\//, '');
  const slash = raw.indexOf('/');
  if (slash <= 0)
    return {
      ok: false,
      message: `"${text}" has no registry host and repository (oci://host[:port]/repository[:tag])`,
    };
  const registry = raw.slice(0, slash);
  if (!HOST.test(registry))
    return { ok: false, message: `"${registry}" is not a registry host[:port]` };
  let rest = raw.slice(slash + 1);
  let digest: string | undefined;
  let tag: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest))
      return { ok: false, message: `"${digest}" is not a digest (sha256:<hex>)` };
  }
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, message: `"${tag}" is not a valid tag` };
  }
  if (!REPOSITORY.test(rest))
    return {
      ok: false,
      message: `"${rest}" is not a valid repository path (lower-case, / separated)`,
    };
  const reference: OciReference = { registry, repository: rest };
  if (tag !== undefined) reference.tag = tag;
  if (digest !== undefined) reference.digest = digest;
  return { ok: true, reference };
}

/** `registry/repository:tag` (or `@digest`), without scheme: the form index.json annotations use. */
export function formatReference(ref: OciReference): string {
  const base = `${ref.registry}/${ref.repository}`;
  if (ref.digest) return `${base}@${ref.digest}`;
  return ref.tag ? `${base}:${ref.tag}` : base;
}

/**
 * Normalizes an image name the way Docker does: `busybox` → `docker.io/library/busybox:latest`,
 * `bars/web:1.0.0` → `docker.io/bars/web:1.0.0`; a first segment with a dot, a colon or
 * `localhost` is a registry host.
 */
export function normalizeImageName(name: string): string {
  let rest = name.trim();
  let registry = 'docker.io';
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  if (registry === 'docker.io' && !rest.includes('/')) rest = `library/${rest}`;
  const lastSlash = rest.lastIndexOf('/');
  const hasTag = rest.lastIndexOf(':') > lastSlash;
  if (!hasTag && !rest.includes('@')) rest = `${rest}:latest`;
  return `${registry}/${rest}`;
}

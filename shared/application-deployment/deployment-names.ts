/** Helm release names are at most 53 characters; Kubernetes namespaces are DNS labels (63). */
export const NAME_LIMIT = 53;
export const NAMESPACE_LIMIT = 63;

/**
 * `metadata.name` and `metadata.namespace` of a deployment, from the application id and the
 * device id only (no time, no randomness), so rendering twice gives the same names:
 * name = `<app id>-<device id>`, namespace = `<app id>`, each made a DNS label (lower-case
 * letters, digits, dashes; `gw/child` → `gw-child`). A name that would be too long is cut and
 * ends in 8 hex digits of an FNV-1a hash of the whole, so two long names stay apart.
 */
export function deploymentNames(
  applicationId: string,
  deviceId: string,
): { name: string; namespace: string } {
  return {
    name: dnsLabel(`${applicationId}-${deviceId}`, NAME_LIMIT, `${applicationId}\n${deviceId}`),
    namespace: dnsLabel(applicationId, NAMESPACE_LIMIT, applicationId),
  };
}

/**
 * `text` as a DNS label of at most `limit` characters: lower-case letters, digits and dashes;
 * cut and suffixed with an FNV-1a hash of `identity` when too long.
 */
export function dnsLabel(text: string, limit: number, identity: string = text): string {
  const slug =
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-+|-+$/g, '') || 'workload';
  if (slug.length <= limit) return slug;
  const head = slug.slice(0, limit - 9).replace(/-+$/, '');
  return `${head}-${fnv1a32(identity)}`;
}

/** FNV-1a, 32 bits, over UTF-16 code units, as 8 hex digits. */
export function fnv1a32(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

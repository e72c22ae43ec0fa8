/**
 * SPIFFE IDs as the Margo WFM identity profile uses them:
 * `spiffe://<trust-domain>/margo/wfm/<wfm-id>` for the WFM and
 * `spiffe://<trust-domain>/margo/wfm/<wfm-id>/client/<client-id>` for a client. Segments are
 * RFC 3986 unreserved characters, non-empty, not `.` or `..`; comparison is exact.
 */
const TRUST_DOMAIN = /^[a-z0-9._-]+$/;
const SEGMENT = /^[A-Za-z0-9._~-]+$/;

export function isTrustDomain(text: string): boolean {
  return TRUST_DOMAIN.test(text) && text.length <= 255;
}

export function isIdSegment(text: string): boolean {
  return SEGMENT.test(text) && text !== '.' && text !== '..' && text.length <= 128;
}

export function wfmSpiffeId(trustDomain: string, wfmId: string): string {
  return `spiffe://${trustDomain}/margo/wfm/${wfmId}`;
}

export function clientSpiffeId(trustDomain: string, wfmId: string, clientId: string): string {
  return `${wfmSpiffeId(trustDomain, wfmId)}/client/${clientId}`;
}

/**
 * The client id of a client SPIFFE ID of this trust domain and WFM, or why it is not one: the
 * WFM MUST check the shape and that trust domain and wfm-id are its own.
 */
export function parseClientSpiffeId(
  uri: string,
  trustDomain: string,
  wfmId: string,
): { ok: true; clientId: string } | { ok: false; reason: string } {
  const match = /^spiffe:\/\/([^/]+)\/margo\/wfm\/([^/]+)\/client\/([^/]+)$/.exec(uri);
  if (!match) return { ok: false, reason: `${uri} is not a Margo WFM client SPIFFE ID` };
  const [, domain, wfm, client] = match as unknown as [string, string, string, string];
  if (domain !== trustDomain)
    return { ok: false, reason: `trust domain ${domain} is not ${trustDomain}` };
  if (wfm !== wfmId) return { ok: false, reason: `the client belongs to WFM ${wfm}, not ${wfmId}` };
  if (!isIdSegment(client))
    return { ok: false, reason: `client id ${client} is not a valid segment` };
  return { ok: true, clientId: client };
}

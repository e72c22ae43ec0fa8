import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { PlantIdentity } from '../identity/plant-identity';
import { isAccepted } from '../identity/margo-clients';
import { parseClientSpiffeId } from '../identity/spiffe-id';
import type { Store } from '../store/store';

export type ClientCheck = { ok: true; clientId: string } | { ok: false; detail: string };

/** The URI SANs of a peer certificate as Node reports them (`URI:…, DNS:…`). */
function uriNames(subjectaltname: string | undefined): string[] {
  return (subjectaltname ?? '')
    .split(/,\s*/)
    .filter((n) => n.startsWith('URI:'))
    .map((n) => n.slice(4));
}

/**
 * Who is calling: TLS already checked the certificate chains to the trust domain's CA. Here:
 * exactly one SPIFFE ID, of a client of this trust domain and this WFM, accepted now (read on
 * every request, so a revocation works at once, also on a running server) with this very
 * certificate, still valid now.
 */
export function checkClient(
  req: http.IncomingMessage,
  store: Store,
  identity: PlantIdentity,
): ClientCheck {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized)
    return { ok: false, detail: 'no client certificate from this trust domain' };
  // Null once the connection is gone (a client that sent its request and hung up at once).
  const peer = socket.getPeerCertificate() as ReturnType<TLSSocket['getPeerCertificate']> | null;
  if (!peer?.raw) return { ok: false, detail: 'the connection closed before it was checked' };
  const uris = uriNames(peer.subjectaltname);
  if (uris.length !== 1) {
    return {
      ok: false,
      detail: `an X.509-SVID has exactly one URI name (this one has ${uris.length})`,
    };
  }
  const parsed = parseClientSpiffeId(uris[0] as string, identity.trustDomain, identity.wfmId);
  if (!parsed.ok) return { ok: false, detail: parsed.reason };
  // The handshake checked the validity period; a kept-alive connection may outlive it.
  if (!(Date.parse(peer.valid_to) > Date.now())) {
    return { ok: false, detail: `the certificate of client ${parsed.clientId} has expired` };
  }
  if (!isAccepted(store, parsed.clientId, peer.serialNumber)) {
    return {
      ok: false,
      detail: `client ${parsed.clientId} is not accepted by this WFM with this certificate (revoked, replaced, or issued by a retired CA)`,
    };
  }
  return { ok: true, clientId: parsed.clientId };
}

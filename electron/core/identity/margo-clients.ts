import { CommissionerError, notFound } from '../../../shared/contract/contract-error';
import { X509Certificate } from 'node:crypto';
import {
  acceptedSerial,
  getClient,
  recordAcceptedClient,
  recordRevokedClient,
  type MargoClient,
} from '../store/margo-clients-table';
import type { Store } from '../store/store';
import { mintSvid, type KeyAndCertificate, type SvidRequest } from './certificates';
import type { PlantIdentity } from './plant-identity';
import { clientSpiffeId, isIdSegment } from './spiffe-id';

// The clients' rows are kept by the store; read them from here as before.
export { getClient, listClients, MargoClient } from '../store/margo-clients-table';

/** Client certificates last this long: devices in plants are reprovisioned rarely. */
const CLIENT_DAYS = 825;

/** Serial numbers compared as TLS reports them and as we mint them: hex, no leading zeros. */
export function normalizeSerial(serial: string): string {
  return serial.toLowerCase().replace(/^0+/, '') || '0';
}

/** A client id is one segment of its SPIFFE ID (and the name of its bundle's folder). */
export function checkClientId(clientId: string): void {
  if (!isIdSegment(clientId)) {
    throw new CommissionerError(
      'invalid-input',
      `"${clientId}" cannot be a client id: use letters, digits, ".", "_", "~" or "-" (not "." or ".." alone)`,
      { field: 'clientId' },
    );
  }
}

/**
 * Accepts a new client: mints its SVID (`…/client/<client-id>`) and records it as accepted.
 * A revoked client id may be accepted again; it then gets a new certificate and the old one
 * stays refused (acceptance is per certificate).
 */
export function addClient(
  store: Store,
  identity: PlantIdentity,
  clientId: string,
  options: { key?: SvidRequest['key'] } = {},
): { client: MargoClient; svid: KeyAndCertificate } {
  checkClientId(clientId);
  const existing = getClient(store, clientId);
  if (existing?.state === 'accepted') {
    throw new CommissionerError(
      'already-exists',
      `client ${clientId} already exists and is accepted: revoke it first to issue a new bundle`,
      { thing: 'client', name: clientId },
    );
  }
  const spiffeId = clientSpiffeId(identity.trustDomain, identity.wfmId, clientId);
  const svid = mintSvid(identity.ca, {
    spiffeId,
    commonName: `Margo WFM client ${clientId}`,
    server: false,
    days: CLIENT_DAYS,
    ...(options.key ? { key: options.key } : {}),
  });
  const serial = normalizeSerial(new X509Certificate(svid.certPem).serialNumber);
  recordAcceptedClient(store, clientId, spiffeId, serial);
  return { client: getClient(store, clientId) as MargoClient, svid };
}

/** Revokes a client at once: its next request (also on a running server) gets 403. */
export function revokeClient(store: Store, clientId: string): MargoClient {
  const existing = getClient(store, clientId);
  if (!existing)
    throw notFound('client', clientId, `no client ${clientId}: the list of clients shows them`);
  recordRevokedClient(store, clientId);
  return getClient(store, clientId) as MargoClient;
}

/** Whether this certificate of this client may use the API now (read on every request). */
export function isAccepted(store: Store, clientId: string, serial: string): boolean {
  const accepted = acceptedSerial(store, clientId);
  return accepted !== undefined && accepted === normalizeSerial(serial);
}

import { CommissionerError, notFound } from '../../../shared/contract/contract-error';
import { createHash, X509Certificate } from 'node:crypto';
import {
  getClient,
  recordAcceptedClient,
  recordRevokedClient,
  type MargoClient,
} from '../store/margo-clients-table';
import {
  isCertificateAccepted,
  recordClientCertificate,
  type IssuedCertificate,
} from '../store/margo-client-certificates';
import type { Store } from '../store/store';
import { mintSvid, type KeyAndCertificate, type SvidRequest } from './certificates';
import { clientIssuer, type PlantIdentity } from './plant-identity';
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

/** Lower-case hex SHA-256 of a CA certificate: how client certificates name their issuer. */
export function caFingerprint(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

interface MintOptions {
  key?: SvidRequest['key'];
  /** Shorter than the default 825 days (tests of expiry warnings). */
  days?: number;
}

/** A client SVID from the CA that issues client certificates now, and what records it. */
function mintClientSvid(
  identity: PlantIdentity,
  clientId: string,
  options: MintOptions,
): { svid: KeyAndCertificate; spiffeId: string; issued: IssuedCertificate } {
  const issuer = clientIssuer(identity);
  const spiffeId = clientSpiffeId(identity.trustDomain, identity.wfmId, clientId);
  const svid = mintSvid(issuer, {
    spiffeId,
    commonName: `Margo WFM client ${clientId}`,
    server: false,
    days: options.days ?? CLIENT_DAYS,
    ...(options.key ? { key: options.key } : {}),
  });
  const cert = new X509Certificate(svid.certPem);
  return {
    svid,
    spiffeId,
    issued: {
      serial: normalizeSerial(cert.serialNumber),
      issuer: caFingerprint(issuer.certPem),
      notAfter: new Date(Date.parse(cert.validTo)).toISOString(),
    },
  };
}

/**
 * Accepts a new client: mints its SVID (`…/client/<client-id>`) and records it as accepted.
 * A revoked client id may be accepted again; it then gets a new certificate and the old ones
 * stay refused (acceptance is per certificate).
 */
export function addClient(
  store: Store,
  identity: PlantIdentity,
  clientId: string,
  options: MintOptions = {},
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
  const { svid, spiffeId, issued } = mintClientSvid(identity, clientId, options);
  recordAcceptedClient(store, clientId, spiffeId, issued);
  return { client: getClient(store, clientId) as MargoClient, svid };
}

/**
 * A new certificate for an accepted client, for the same SPIFFE ID, before the one it holds
 * expires. The certificates it held stay accepted until they expire or the client is revoked,
 * so the device keeps working until the new bundle is installed.
 */
export function renewClient(
  store: Store,
  identity: PlantIdentity,
  clientId: string,
  options: MintOptions = {},
): { client: MargoClient; svid: KeyAndCertificate; serial: string } {
  const existing = getClient(store, clientId);
  if (!existing)
    throw notFound('client', clientId, `no client ${clientId}: the list of clients shows them`);
  if (existing.state !== 'accepted') {
    throw new CommissionerError(
      'refused',
      `client ${clientId} is revoked: adding it again issues a new bundle`,
      { reasons: [`client ${clientId} is revoked`] },
    );
  }
  const { svid, issued } = mintClientSvid(identity, clientId, options);
  recordClientCertificate(store, clientId, issued, { replacing: false });
  return { client: getClient(store, clientId) as MargoClient, svid, serial: issued.serial };
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
  return isCertificateAccepted(store, clientId, normalizeSerial(serial));
}

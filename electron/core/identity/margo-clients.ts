import type Database from 'better-sqlite3';
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../store/store';
import { mintSvid, type KeyAndCertificate, type SvidRequest } from './certificates';
import type { PlantIdentity } from './plant-identity';
import { clientSpiffeId, isIdSegment } from './spiffe-id';

/** Client certificates last this long: devices in plants are reprovisioned rarely. */
const CLIENT_DAYS = 825;

export const MargoClient = z.strictObject({
  clientId: z.string(),
  spiffeId: z.string(),
  state: z.enum(['accepted', 'revoked']),
  certificateSerial: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastSeen: z.string().nullable(),
  manifestVersion: z.number().int(),
});
export type MargoClient = z.infer<typeof MargoClient>;

export class MargoClientError extends Error {
  override name = 'MargoClientError';
}

/** Serial numbers compared as TLS reports them and as we mint them: hex, no leading zeros. */
export function normalizeSerial(serial: string): string {
  return serial.toLowerCase().replace(/^0+/, '') || '0';
}

interface ClientRow {
  client_id: string;
  spiffe_id: string;
  state: 'accepted' | 'revoked';
  certificate_serial: string;
  created_at: string;
  revoked_at: string | null;
  last_seen: string | null;
  manifest_version: number;
}

function toClient(row: ClientRow): MargoClient {
  return {
    clientId: row.client_id,
    spiffeId: row.spiffe_id,
    state: row.state,
    certificateSerial: row.certificate_serial,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastSeen: row.last_seen,
    manifestVersion: row.manifest_version,
  };
}

export function listClients(store: Store): MargoClient[] {
  return (
    store.db.prepare('SELECT * FROM margo_clients ORDER BY client_id').all() as ClientRow[]
  ).map(toClient);
}

export function getClient(store: Store, clientId: string): MargoClient | undefined {
  const row = store.db.prepare('SELECT * FROM margo_clients WHERE client_id = ?').get(clientId) as
    ClientRow | undefined;
  return row ? toClient(row) : undefined;
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
  if (!isIdSegment(clientId)) {
    throw new MargoClientError(
      `"${clientId}" cannot be a client id: use letters, digits, ".", "_", "~" or "-" (not "." or ".." alone)`,
    );
  }
  const existing = getClient(store, clientId);
  if (existing?.state === 'accepted') {
    throw new MargoClientError(
      `client ${clientId} already exists and is accepted: revoke it first (margo client revoke ${clientId}) to issue a new bundle`,
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
  const now = new Date().toISOString();
  store.db
    .prepare(
      `INSERT INTO margo_clients (client_id, spiffe_id, state, certificate_serial, created_at)
       VALUES (?, ?, 'accepted', ?, ?)
       ON CONFLICT (client_id) DO UPDATE SET state = 'accepted', certificate_serial = excluded.certificate_serial, revoked_at = NULL`,
    )
    .run(clientId, spiffeId, serial, now);
  return { client: getClient(store, clientId) as MargoClient, svid };
}

/** Revokes a client at once: its next request (also on a running server) gets 403. */
export function revokeClient(store: Store, clientId: string): MargoClient {
  const existing = getClient(store, clientId);
  if (!existing) throw new MargoClientError(`no client ${clientId} (margo client list shows them)`);
  store.db
    .prepare(
      "UPDATE margo_clients SET state = 'revoked', revoked_at = COALESCE(revoked_at, ?) WHERE client_id = ?",
    )
    .run(new Date().toISOString(), clientId);
  return getClient(store, clientId) as MargoClient;
}

/** Whether this certificate of this client may use the API now (read on every request). */
export function isAccepted(store: Store, clientId: string, serial: string): boolean {
  let query = acceptedStatements.get(store);
  if (!query) {
    query = store.db.prepare(
      "SELECT certificate_serial FROM margo_clients WHERE client_id = ? AND state = 'accepted'",
    );
    acceptedStatements.set(store, query);
  }
  const row = query.get(clientId) as { certificate_serial: string } | undefined;
  return row !== undefined && row.certificate_serial === normalizeSerial(serial);
}

const acceptedStatements = new WeakMap<Store, Database.Statement<unknown[]>>();

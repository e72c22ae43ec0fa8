import { z } from 'zod';
import { recordClientCertificate, type IssuedCertificate } from './margo-client-certificates';
import { namedStatements } from './statements';
import type { Store } from './store';

const WITH_EXPIRY = `SELECT c.*, (SELECT k.not_after FROM margo_client_certificates k
                       WHERE k.client_id = c.client_id AND k.ended_at IS NULL
                       ORDER BY k.created_at DESC, k.rowid DESC LIMIT 1) AS not_after
                     FROM margo_clients c`;

export const MargoClient = z.strictObject({
  clientId: z.string(),
  spiffeId: z.string(),
  state: z.enum(['accepted', 'revoked']),
  certificateSerial: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastSeen: z.string().nullable(),
  manifestVersion: z.number().int(),
  /** When its newest certificate still accepted expires (null when none is). */
  notAfter: z.string().nullable(),
});
export type MargoClient = z.infer<typeof MargoClient>;

const SQL = namedStatements({
  list: `${WITH_EXPIRY} ORDER BY c.client_id`,
  get: `${WITH_EXPIRY} WHERE c.client_id = ?`,
  accept: `INSERT INTO margo_clients (client_id, spiffe_id, state, certificate_serial, created_at)
           VALUES (?, ?, 'accepted', ?, ?)
           ON CONFLICT (client_id) DO UPDATE SET state = 'accepted', certificate_serial = excluded.certificate_serial, revoked_at = NULL`,
  revoke:
    "UPDATE margo_clients SET state = 'revoked', revoked_at = COALESCE(revoked_at, ?) WHERE client_id = ?",
  seen: 'UPDATE margo_clients SET last_seen = ? WHERE client_id = ?',
});

interface ClientRow {
  client_id: string;
  spiffe_id: string;
  state: 'accepted' | 'revoked';
  certificate_serial: string;
  created_at: string;
  revoked_at: string | null;
  last_seen: string | null;
  manifest_version: number;
  not_after: string | null;
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
    notAfter: row.not_after,
  };
}

export function listClients(store: Store): MargoClient[] {
  return (SQL(store.db).list.all() as ClientRow[]).map(toClient);
}

export function getClient(store: Store, clientId: string): MargoClient | undefined {
  const row = SQL(store.db).get.get(clientId) as ClientRow | undefined;
  return row ? toClient(row) : undefined;
}

/**
 * Records a client as accepted with this certificate: a new client, or a revoked one accepted
 * again (its old certificates stay refused, since acceptance is per certificate).
 */
export function recordAcceptedClient(
  store: Store,
  clientId: string,
  spiffeId: string,
  certificate: IssuedCertificate,
): void {
  const at = new Date().toISOString();
  store.db.transaction(() => {
    SQL(store.db).accept.run(clientId, spiffeId, certificate.serial, at);
    recordClientCertificate(store, clientId, certificate, { replacing: true, at });
  })();
  store.changes.announce('margo');
}

/** Marks a client revoked (keeping the time it was first revoked). */
export function recordRevokedClient(store: Store, clientId: string): void {
  SQL(store.db).revoke.run(new Date().toISOString(), clientId);
  store.changes.announce('margo');
}

/** When a client last called (the WFM writes it at most every half minute per client). */
export function recordLastSeen(store: Store, clientId: string, at: string): void {
  SQL(store.db).seen.run(at, clientId);
  store.changes.announce('margo');
}

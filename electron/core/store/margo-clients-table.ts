import { z } from 'zod';
import { namedStatements } from './statements';
import type { Store } from './store';

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

const SQL = namedStatements({
  list: 'SELECT * FROM margo_clients ORDER BY client_id',
  get: 'SELECT * FROM margo_clients WHERE client_id = ?',
  accept: `INSERT INTO margo_clients (client_id, spiffe_id, state, certificate_serial, created_at)
           VALUES (?, ?, 'accepted', ?, ?)
           ON CONFLICT (client_id) DO UPDATE SET state = 'accepted', certificate_serial = excluded.certificate_serial, revoked_at = NULL`,
  revoke:
    "UPDATE margo_clients SET state = 'revoked', revoked_at = COALESCE(revoked_at, ?) WHERE client_id = ?",
  acceptedSerial:
    "SELECT certificate_serial FROM margo_clients WHERE client_id = ? AND state = 'accepted'",
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
  return (SQL(store.db).list.all() as ClientRow[]).map(toClient);
}

export function getClient(store: Store, clientId: string): MargoClient | undefined {
  const row = SQL(store.db).get.get(clientId) as ClientRow | undefined;
  return row ? toClient(row) : undefined;
}

/**
 * Records a client as accepted with this certificate: a new client, or a revoked one accepted
 * again (its old certificate stays refused, since acceptance is per certificate serial).
 */
export function recordAcceptedClient(
  store: Store,
  clientId: string,
  spiffeId: string,
  serial: string,
): void {
  SQL(store.db).accept.run(clientId, spiffeId, serial, new Date().toISOString());
  store.changes.announce('margo');
}

/** Marks a client revoked (keeping the time it was first revoked). */
export function recordRevokedClient(store: Store, clientId: string): void {
  SQL(store.db).revoke.run(new Date().toISOString(), clientId);
  store.changes.announce('margo');
}

/** The certificate serial of an accepted client; undefined when unknown or revoked. */
export function acceptedSerial(store: Store, clientId: string): string | undefined {
  return SQL(store.db).acceptedSerial.pluck().get(clientId) as string | undefined;
}

/** When a client last called (the WFM writes it at most every half minute per client). */
export function recordLastSeen(store: Store, clientId: string, at: string): void {
  SQL(store.db).seen.run(at, clientId);
  store.changes.announce('margo');
}

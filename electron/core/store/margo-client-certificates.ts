import { z } from 'zod';
import { namedStatements } from './statements';
import type { Store } from './store';

/** One certificate issued to a Margo client: accepted while not ended, unexpired and its client accepted. */
export const ClientCertificate = z.strictObject({
  serial: z.string(),
  /** Lower-case hex SHA-256 of the issuing CA; null for certificates older than this record. */
  issuer: z.string().nullable(),
  notAfter: z.string(),
  createdAt: z.string(),
  /** When it stopped being accepted before its expiry (client accepted again, CA retired). */
  endedAt: z.string().nullable(),
});
export type ClientCertificate = z.infer<typeof ClientCertificate>;

const SQL = namedStatements({
  insert: `INSERT INTO margo_client_certificates (client_id, serial, issuer, not_after, created_at)
           VALUES (?, ?, ?, ?, ?)`,
  endOthers: `UPDATE margo_client_certificates SET ended_at = ?
              WHERE client_id = ? AND serial <> ? AND ended_at IS NULL`,
  endIssuedBy: `UPDATE margo_client_certificates SET ended_at = ?
                WHERE ended_at IS NULL AND (issuer = ? OR issuer IS NULL)`,
  accepted: `SELECT 1 FROM margo_client_certificates k JOIN margo_clients c USING (client_id)
             WHERE k.client_id = ? AND k.serial = ? AND c.state = 'accepted' AND k.ended_at IS NULL`,
  list: `SELECT serial, issuer, not_after, created_at, ended_at FROM margo_client_certificates
         WHERE client_id = ? ORDER BY created_at, rowid`,
  forget: 'DELETE FROM margo_client_certificates WHERE client_id = ? AND serial = ?',
  newestSerial: `SELECT serial FROM margo_client_certificates WHERE client_id = ?
                 ORDER BY created_at DESC, rowid DESC LIMIT 1`,
  setNewest: 'UPDATE margo_clients SET certificate_serial = ? WHERE client_id = ?',
  dependingOn: `SELECT DISTINCT c.client_id FROM margo_clients c
                WHERE c.state = 'accepted'
                  AND NOT EXISTS (SELECT 1 FROM margo_client_certificates k
                                  WHERE k.client_id = c.client_id AND k.ended_at IS NULL
                                    AND k.issuer = ? AND k.not_after > ?)
                ORDER BY c.client_id`,
});

export interface IssuedCertificate {
  serial: string;
  issuer: string;
  notAfter: string;
}

/**
 * Records a certificate issued to a client. `replacing` ends the client's other certificates
 * (a client accepted again after a revocation: what it held before stays refused); a renewal
 * keeps them, so the old one is accepted until it expires.
 */
export function recordClientCertificate(
  store: Store,
  clientId: string,
  certificate: IssuedCertificate,
  options: { replacing: boolean; at?: string },
): void {
  const at = options.at ?? new Date().toISOString();
  const sql = SQL(store.db);
  store.db.transaction(() => {
    sql.insert.run(clientId, certificate.serial, certificate.issuer, certificate.notAfter, at);
    if (options.replacing) sql.endOthers.run(at, clientId, certificate.serial);
    sql.setNewest.run(certificate.serial, clientId);
  })();
  store.changes.announce('margo');
}

/** Takes back a certificate that never reached its client (its bundle could not be written). */
export function forgetClientCertificate(store: Store, clientId: string, serial: string): void {
  const sql = SQL(store.db);
  store.db.transaction(() => {
    sql.forget.run(clientId, serial);
    const newest = sql.newestSerial.pluck().get(clientId) as string | undefined;
    if (newest !== undefined) sql.setNewest.run(newest, clientId);
  })();
  store.changes.announce('margo');
}

/**
 * Ends every certificate the retired CA issued (`issuer`: its fingerprint; those recorded
 * without an issuer came from the domain's first CA, which the first rotation retires).
 */
export function endCertificatesIssuedBy(store: Store, issuer: string, at: string): number {
  return SQL(store.db).endIssuedBy.run(at, issuer).changes;
}

/** Whether this certificate of this client is accepted now (read on every request). */
export function isCertificateAccepted(store: Store, clientId: string, serial: string): boolean {
  return SQL(store.db).accepted.pluck().get(clientId, serial) !== undefined;
}

export function clientCertificates(store: Store, clientId: string): ClientCertificate[] {
  return (
    SQL(store.db).list.all(clientId) as {
      serial: string;
      issuer: string | null;
      not_after: string;
      created_at: string;
      ended_at: string | null;
    }[]
  ).map((r) => ({
    serial: r.serial,
    issuer: r.issuer,
    notAfter: r.not_after,
    createdAt: r.created_at,
    endedAt: r.ended_at,
  }));
}

/** Accepted clients without a current certificate from this CA (`issuer`), valid after `at`. */
export function clientsWithoutCertificateFrom(store: Store, issuer: string, at: string): string[] {
  return SQL(store.db).dependingOn.pluck().all(issuer, at) as string[];
}

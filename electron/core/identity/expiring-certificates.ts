import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { listClients } from '../store/margo-clients-table';
import type { Store } from '../store/store';
import { readPlantIdentity } from './plant-identity';

/** Certificates closer than this to their expiry are warned about. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export const ExpiringCertificate = z.strictObject({
  /** The plant CA, the CA a rotation moves to, the WFM's own certificate, a client's. */
  certificate: z.enum(['ca', 'next-ca', 'wfm', 'client']),
  clientId: z.string().optional(),
  notAfter: z.string(),
  expired: z.boolean(),
  /** Whole days left (0 on its last day); negative once expired. */
  daysLeft: z.number().int(),
  /** What expires when, in plain words (each face adds how to act). */
  message: z.string(),
});
export type ExpiringCertificate = z.infer<typeof ExpiringCertificate>;

function when(notAfter: number, now: number): { expired: boolean; daysLeft: number; text: string } {
  const date = new Date(notAfter).toISOString().slice(0, 10);
  const daysLeft = Math.floor((notAfter - now) / DAY_MS);
  if (notAfter <= now) return { expired: true, daysLeft, text: `expired on ${date}` };
  const left = daysLeft === 0 ? 'today' : daysLeft === 1 ? 'in 1 day' : `in ${daysLeft} days`;
  return { expired: false, daysLeft, text: `expires on ${date} (${left})` };
}

/**
 * The certificates of this laptop's trust domain that expire within 30 days or have expired:
 * the CA (and the next one during a rotation), the WFM certificate last served unless the
 * CA's expiry is what limits it (the CA's warning says it), and the newest certificate still
 * accepted of each accepted client. The one rule for the CLI and the app alike.
 */
export function expiringCertificates(store: Store, now = Date.now()): ExpiringCertificate[] {
  const identity = readPlantIdentity(store.paths);
  if (!identity) return [];
  const horizon = now + EXPIRY_WARNING_DAYS * DAY_MS;
  const found: ExpiringCertificate[] = [];
  const add = (
    certificate: ExpiringCertificate['certificate'],
    notAfter: number,
    subject: string,
    clientId?: string,
  ) => {
    if (notAfter > horizon) return;
    const w = when(notAfter, now);
    found.push({
      certificate,
      ...(clientId !== undefined ? { clientId } : {}),
      notAfter: new Date(notAfter).toISOString(),
      expired: w.expired,
      daysLeft: w.daysLeft,
      message: `${subject} ${w.text}`,
    });
  };
  const caNotAfter = Date.parse(new X509Certificate(identity.ca.certPem).validTo);
  add('ca', caNotAfter, 'the plant CA');
  if (identity.nextCa) {
    add('next-ca', Date.parse(new X509Certificate(identity.nextCa.certPem).validTo), 'the new CA');
  }
  const served = identity.serve?.notAfter ? Date.parse(identity.serve.notAfter) : undefined;
  if (served !== undefined && served < caNotAfter) {
    add('wfm', served, 'the WFM certificate last served');
  }
  for (const client of listClients(store)) {
    if (client.state !== 'accepted' || client.notAfter === null) continue;
    add(
      'client',
      Date.parse(client.notAfter),
      `the certificate of client ${client.clientId}`,
      client.clientId,
    );
  }
  return found;
}

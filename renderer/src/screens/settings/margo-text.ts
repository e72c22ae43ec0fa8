import type { MargoClientView, MargoServingNow } from '../../../../shared/contract/margo';
import { dateTime, timeAgo } from '../../format';

/** "every address" for the wildcard, the address itself otherwise. */
export function addressWords(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'every address of this computer' : host;
}

/** "on every address …, port 8443 (trust bundle 8444), TLS 1.3 only". */
export function listeningWords(serving: MargoServingNow): string {
  return `on ${addressWords(serving.host)}, port ${serving.port} (trust bundle on ${serving.trustPort}), ${serving.tls12 ? 'TLS 1.2 and 1.3' : 'TLS 1.3 only'}`;
}

/**
 * "2 minutes ago", or "never" before its first request. Never "in 1 second": a contact newer
 * than the last redraw (or a core whose clock is a little ahead) reads as just now.
 */
export function contactWords(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  return timeAgo(iso, Math.max(now, Date.now(), Date.parse(iso) || 0));
}

/** The state as words (shown with a colour, never by colour alone). */
export function clientStateWords(client: MargoClientView): string {
  return client.state === 'accepted'
    ? 'accepted'
    : `revoked${client.revokedAt ? ` ${dateTime(client.revokedAt)}` : ''}`;
}

/**
 * What a device experiences once its client is revoked — as the WFM behaves: every request
 * is checked against the accepted certificate, so the next one is refused (403), also on a
 * connection already open; nothing reaches out to the device, so it keeps what it runs.
 */
export function revokeConsequences(client: MargoClientView): string[] {
  const devices =
    client.devices.length === 0
      ? 'Any device using its bundle'
      : client.devices.map((d) => d.name).join(', ');
  return [
    `Its next request to this computer is refused, also on a connection already open: it can no longer fetch its desired state or images, nor report what it runs.`,
    `${devices} keeps running what it runs now, as it is: nothing is removed from the device, and it gets no changes from here. Its deployments keep the last state it reported.`,
    `To take it back, add ${client.clientId} again and install the new bundle on the device: this bundle stays refused for good. What is deployed to it meanwhile waits for it.`,
  ];
}

/** What stopping means for the devices, in the stop confirmation. */
export const STOP_WORDS =
  'Devices cannot reach this computer until serving starts again: their polls, image pulls and reports fail. They keep running what they run now; nothing is removed from them.';

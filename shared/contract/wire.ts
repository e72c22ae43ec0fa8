import { z } from 'zod';

/**
 * How the browser host carries the contract (the desktop app uses Electron IPC instead):
 * - `POST /api/call` with `{op, request}` answers the operation's envelope (always HTTP 200
 *   once authorized; errors are data);
 * - `GET /api/events` upgrades to a WebSocket on which the host sends `{event, payload}`;
 * - `PUT /api/upload?purpose=…&name=…` (and `&group=…&path=…` for each file of a folder,
 *   then `POST /api/upload/done?group=…`) stores an upload and answers a `PickedFile`;
 * - `GET /api/download?token=…` hands out, once, a file an operation made for the browser
 *   (a Margo client's bundle as a .zip: `DownloadTicket`).
 * Every request carries the access token in the host's HttpOnly cookie, set by the first
 * page load of the printed URL (`/?token=…`); `/api/*` never takes it from the address.
 */
export const WIRE = {
  call: '/api/call',
  events: '/api/events',
  upload: '/api/upload',
  uploadDone: '/api/upload/done',
  download: '/api/download',
} as const;

/**
 * The cookie that carries the browser host's access token. Browsers keep cookies per host
 * name, not per port: the port in the name keeps two hosts on one machine (or the dev server's
 * copy) from overwriting each other's.
 */
export function tokenCookieName(port: number | string): string {
  return `commissioner_token_${port}`;
}

export const CallMessage = z.strictObject({ op: z.string(), request: z.unknown() });
export type CallMessage = z.infer<typeof CallMessage>;

export const EventMessage = z.strictObject({ event: z.string(), payload: z.unknown() });
export type EventMessage = z.infer<typeof EventMessage>;

/** The name the desktop app's preload exposes on `window`. */
export const BRIDGE_NAME = 'commissioner';
/** Electron IPC channels: one for calls, one for events. */
export const IPC = { call: 'commissioner:call', event: 'commissioner:event' } as const;

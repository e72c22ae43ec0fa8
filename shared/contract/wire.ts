import { z } from 'zod';

/**
 * How the browser host carries the contract (the desktop app uses Electron IPC instead):
 * - `POST /api/call` with `{op, request}` answers the operation's envelope (always HTTP 200
 *   once authorized; errors are data);
 * - `GET /api/events` upgrades to a WebSocket on which the host sends `{event, payload}`;
 * - `PUT /api/upload?purpose=…&name=…` (and `&group=…&path=…` for each file of a folder,
 *   then `POST /api/upload/done?group=…`) stores an upload and answers a `PickedFile`.
 * Off loopback, every request carries the access token (`Authorization: Bearer …`, or
 * `?token=` on the WebSocket and the first page load).
 */
export const WIRE = {
  call: '/api/call',
  events: '/api/events',
  upload: '/api/upload',
  uploadDone: '/api/upload/done',
} as const;

export const CallMessage = z.strictObject({ op: z.string(), request: z.unknown() });
export type CallMessage = z.infer<typeof CallMessage>;

export const EventMessage = z.strictObject({ event: z.string(), payload: z.unknown() });
export type EventMessage = z.infer<typeof EventMessage>;

/** The name the desktop app's preload exposes on `window`. */
export const BRIDGE_NAME = 'commissioner';
/** Electron IPC channels: one for calls, one for events. */
export const IPC = { call: 'commissioner:call', event: 'commissioner:event' } as const;

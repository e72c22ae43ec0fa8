import { z } from 'zod';

/**
 * Settings → Margo devices: serving the Workload Management API from the running app, and the
 * Margo clients it accepts (the CLI's `margo serve` and `margo client add|list|revoke`).
 */

const Port = z.number().int().min(0).max(65535);

/** Where the WFM listens while the app serves Margo devices. */
export const MargoServingNow = z.strictObject({
  /** What devices are given: `https://<address>:<port>`. */
  url: z.string(),
  /** The Trust Bundle API's `/.well-known/margo` (no client certificate needed). */
  trustBundleUrl: z.string(),
  /** The address asked for (0.0.0.0: every address of the laptop). */
  host: z.string(),
  port: Port,
  trustPort: Port,
  tls12: z.boolean(),
  since: z.string(),
});
export type MargoServingNow = z.infer<typeof MargoServingNow>;

/** The plant's trust domain; null until it is first used (serving or a client). */
export const MargoTrustDomain = z.strictObject({
  name: z.string(),
  wfmSpiffeId: z.string(),
  /** SHA-256 of the CA certificate, `AB:CD:…`, as browsers and `openssl x509 -fingerprint` show it. */
  caFingerprint: z.string(),
  createdAt: z.string(),
});

/** A certificate of the trust domain that runs out soon (CA, WFM, a client). */
export const ExpiringCertificate = z.strictObject({
  /** In words: "the plant CA", "client press-gw". */
  what: z.string(),
  notAfter: z.string(),
  /** Which certificate: what to do differs (a client is renewed, a CA rotated). */
  kind: z.enum(['ca', 'next-ca', 'wfm', 'client']),
  /** Already past its expiry. */
  expired: z.boolean(),
});

/** `margo.status`, and the answer of `margo.start` and `margo.stop`. */
export const MargoServingView = z.strictObject({
  serving: MargoServingNow.nullable(),
  trustDomain: MargoTrustDomain.nullable(),
  /** What the start form offers: where it last listened, else every address, 8443 and 8444. */
  defaults: z.strictObject({ host: z.string(), port: Port, trustPort: Port }),
  /** The WFM URL a new client's bundle carries unless another is given. */
  bundleUrl: z.string(),
  /** Certificates that run out within 30 days, to renew (empty when none). */
  expiring: z.array(ExpiringCertificate),
});
export type MargoServingView = z.infer<typeof MargoServingView>;

/** `margo.start`: the checks beyond the shape (a free port, an address of the laptop) are the core's. */
export const StartMargoServing = z.strictObject({
  host: z.string().min(1).max(255),
  port: Port,
  trustPort: Port,
  /** Also accept TLS 1.2 (device clients whose TLS stack lacks 1.3). */
  tls12: z.boolean().optional(),
});
export type StartMargoServing = z.infer<typeof StartMargoServing>;

/** A device a client reported (`<client-id>/<device-id>` under Devices). */
export const MargoClientDevice = z.strictObject({
  name: z.string(),
  deviceId: z.string(),
  /** When it last reported its capabilities. */
  lastReport: z.string().nullable(),
});

/** A Margo client as Settings lists it. */
export const MargoClientView = z.strictObject({
  clientId: z.string(),
  spiffeId: z.string(),
  state: z.enum(['accepted', 'revoked']),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  /** Its last request to the WFM (to the half minute); null before its first. */
  lastContact: z.string().nullable(),
  manifestVersion: z.number().int(),
  devices: z.array(MargoClientDevice),
  /** Its certificate's expiry, where the store knows it. */
  certificate: z.strictObject({ notAfter: z.string(), expiresSoon: z.boolean() }).nullable(),
});
export type MargoClientView = z.infer<typeof MargoClientView>;

/**
 * Where a new bundle goes: into a folder the engineer picked (desktop app: a `files.pick`
 * token; the bundle lands in a subfolder named after the client), or a .zip the browser
 * downloads.
 */
export const BundleDestination = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('folder'), folder: z.string().min(1) }),
  z.strictObject({ kind: z.literal('download') }),
]);
export type BundleDestination = z.infer<typeof BundleDestination>;

/** `margo.addClient`: the id rules (a SPIFFE path segment) are the core's. */
export const AddMargoClient = z.strictObject({
  clientId: z.string().min(1).max(128),
  /** The WFM URL written into the bundle; the one of `margo.status` when absent. */
  url: z.string().min(1).max(2048).optional(),
  to: BundleDestination,
});
export type AddMargoClient = z.infer<typeof AddMargoClient>;

/** A one-time download the browser host hands out at `GET /api/download?token=…`. */
export const DownloadTicket = z.strictObject({
  token: z.string().min(1),
  /** The file name the browser saves it as. */
  name: z.string(),
  size: z.number().int().nonnegative(),
});
export type DownloadTicket = z.infer<typeof DownloadTicket>;

/** What `margo.addClient` made: the client, and where its bundle went. */
export const ProvisionedMargoClient = z.strictObject({
  client: MargoClientView,
  /** The WFM URL in the bundle's wfm.json. */
  url: z.string(),
  files: z.array(z.string()),
  /** The folder written (desktop app); null for a download. */
  folder: z.string().nullable(),
  download: DownloadTicket.nullable(),
});
export type ProvisionedMargoClient = z.infer<typeof ProvisionedMargoClient>;

export const MargoClientRef = z.strictObject({ clientId: z.string().min(1).max(128) });
export type MargoClientRef = z.infer<typeof MargoClientRef>;

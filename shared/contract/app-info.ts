import { z } from 'zod';

/** What the UI needs to know about the app it talks to. */
export const AppInfo = z.strictObject({
  version: z.string(),
  /** The face carrying the contract: the desktop app, or the browser host. */
  host: z.enum(['electron', 'browser']),
  /** The catalog is empty and no device was added: the first start. */
  firstStart: z.boolean(),
  /** The demo kit shipped in resources/ (absent when it could not be built). */
  demoKit: z.strictObject({ available: z.boolean(), imported: z.boolean() }),
  /** The Workload Management API this app serves to Margo devices, when it runs one. */
  margo: z
    .strictObject({ url: z.string(), trustUrl: z.string(), trustDomain: z.string() })
    .nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

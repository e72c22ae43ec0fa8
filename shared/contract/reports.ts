import { z } from 'zod';
import { DownloadTicket } from './margo';

/**
 * Where a commissioning report goes: a file the engineer chose in the desktop app's save
 * dialog (a `files.pick` token of purpose `report-file`; its extension gives the format), or a
 * download in the browser.
 */
export const ReportDestination = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('file'), file: z.string().min(1) }),
  z.strictObject({ kind: z.literal('download'), format: z.enum(['pdf', 'html']) }),
]);
export type ReportDestination = z.infer<typeof ReportDestination>;

/** `reports.create`: the report of some devices (or `all`), with the audit entries since a time. */
export const CreateReport = z.strictObject({
  devices: z.union([z.literal('all'), z.array(z.string().min(1).max(200)).min(1).max(10_000)]),
  /** ISO 8601; absent: the whole audit trail. */
  since: z.iso.datetime({ offset: true }).optional(),
  to: ReportDestination,
});
export type CreateReport = z.infer<typeof CreateReport>;

export const CreatedReport = z.strictObject({
  /** `sha256:` + hex over the report's content, as the report itself states it. */
  digest: z.string(),
  devices: z.number().int().nonnegative(),
  /** The file's name (desktop app); null for a download. */
  file: z.string().nullable(),
  download: DownloadTicket.nullable(),
});
export type CreatedReport = z.infer<typeof CreatedReport>;

import { z } from 'zod';

/**
 * What a file is picked for. The renderer never hands the core a path it made up: the
 * desktop app's native dialog or the browser host's upload turns the engineer's choice into
 * a token, which the core resolves.
 */
export const FilePurpose = z.enum([
  'import-folder',
  'import-kit',
  'tls-ca',
  'tls-cert',
  'tls-key',
  'ssh-identity',
  'registry-ca',
  /** A trust-store entry: certificate(s), a Sigstore public key or trusted_root.json. */
  'trust-file',
  /** Where a Margo client's provisioning bundle is written (a USB stick, say): a folder. */
  'margo-bundle-folder',
  /** Where a commissioning report is saved: a file to write (.pdf or .html), chosen to save. */
  'report-file',
  /** Where a backup of the data home is saved: a file to write, chosen to save. */
  'backup-file',
  /** A backup to restore: a file to read. */
  'backup-archive',
  /** Where a deployment's logs are saved: a file to write, chosen to save. */
  'logs-file',
]);
export type FilePurpose = z.infer<typeof FilePurpose>;

export const PickedFile = z.strictObject({
  token: z.string().min(1),
  /** The name the engineer chose (no folders above it). */
  name: z.string(),
  kind: z.enum(['file', 'folder']),
  size: z.number().int().nonnegative().optional(),
});
export type PickedFile = z.infer<typeof PickedFile>;

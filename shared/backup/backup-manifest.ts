import { z } from 'zod';

/** The archive format this version writes and reads. */
export const BACKUP_FORMAT = 1;

/**
 * The plain header of a backup (readable without the passphrase): what made it, when, and how
 * to derive its key. Every byte of it is bound to the encrypted part, so an edited header or
 * one taken from another backup is refused.
 */
export const BackupHeader = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  /** `margo-commissioner <version>`: which version made it. */
  createdBy: z.string().max(200),
  createdAt: z.string().max(40),
  backupId: z.uuid(),
  withStore: z.boolean(),
  kdf: z.strictObject({
    name: z.literal('scrypt'),
    logN: z.number().int().min(14).max(18),
    r: z.number().int().min(1).max(16),
    p: z.number().int().min(1).max(16),
    /** base64 of 32 random bytes: a new key for every backup, even with the same passphrase. */
    salt: z.base64().length(44),
  }),
  cipher: z.literal('aes-256-gcm'),
  /** Plaintext bytes per sealed chunk (the last may be shorter). */
  chunkBytes: z
    .number()
    .int()
    .min(64 * 1024)
    .max(16 * 1024 * 1024),
  /** base64 of 16 bytes made from the key: tells a wrong passphrase from a damaged file. */
  keyCheck: z.base64().length(24),
});
export type BackupHeader = z.infer<typeof BackupHeader>;

/** A file of the data home inside the archive, in the order its bytes follow the manifest. */
export const BackupFile = z.strictObject({
  /** Relative to the data home, `/`-separated. */
  path: z.string().min(1).max(300),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Permission bits (0600 for keys). */
  mode: z.number().int().min(0).max(0o777),
});
export type BackupFile = z.infer<typeof BackupFile>;

/** What the data home held when it was backed up: for `backup inspect` and the restore's words. */
export const BackupSummary = z.strictObject({
  devices: z.number().int().nonnegative(),
  deployments: z.number().int().nonnegative(),
  margoClients: z.number().int().nonnegative(),
  applications: z.number().int().nonnegative(),
  users: z.number().int().nonnegative(),
  trustEntries: z.number().int().nonnegative(),
  auditEntries: z.number().int().nonnegative(),
  /** The hash of the audit trail's last entry; null while it was empty. */
  auditHead: z.string().nullable(),
  /** The Margo trust domain (its CA is in the backup); null when none was made yet. */
  trustDomain: z.string().nullable(),
});
export type BackupSummary = z.infer<typeof BackupSummary>;

/** The first thing inside the encrypted part: what the archive holds, with each file's digest. */
export const BackupManifest = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  /** The header's backupId, repeated where it is sealed. */
  backupId: z.uuid(),
  createdAt: z.string(),
  createdBy: z.string(),
  source: z.strictObject({
    /** The data home it was made of (device key paths are moved to the new home on restore). */
    home: z.string(),
    installation: z.string(),
    host: z.string(),
    engineer: z.string(),
  }),
  withStore: z.boolean(),
  summary: BackupSummary,
  /** Without the package store: the application versions whose packages must be imported again. */
  leftOut: z.array(z.string()),
  files: z.array(BackupFile),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

/** Every path a backup may hold; anything else is refused before a byte is written. */
export function isBackupPath(path: string): boolean {
  if (path === 'commissioner.db' || path === 'installation.json') return true;
  if (/^store\/blobs\/sha256\/[0-9a-f]{64}$/.test(path)) return true;
  const segments = path.split('/');
  return (
    segments[0] === 'keys' &&
    segments.length >= 2 &&
    segments.every((s) => s !== '' && s !== '.' && s !== '..' && !s.includes('\\'))
  );
}

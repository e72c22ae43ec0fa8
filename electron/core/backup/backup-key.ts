import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { CommissionerError } from '../../../shared/contract/contract-error';
import type { BackupHeader } from '../../../shared/backup/backup-manifest';

/**
 * scrypt at N = 2^16, r = 8, p = 2: OWASP's equal of its N = 2^17, p = 1 minimum, at half the
 * memory (64 MiB), which keeps a backup of a large store under 200 MiB of memory in all.
 */
export const BACKUP_KDF: Omit<BackupHeader['kdf'], 'salt'> = {
  name: 'scrypt',
  logN: 16,
  r: 8,
  p: 2,
};

/** Shorter passphrases are refused at creation: the backup holds the plant's CA key. */
export const MIN_PASSPHRASE_LENGTH = 8;

const CHECK_LABEL = 'margo-commissioner backup key check 1';

export interface BackupKey {
  /** AES-256-GCM key of the sealed chunks. */
  data: Buffer;
  /** base64 of 16 bytes derived beside it: the header's keyCheck. */
  check: string;
}

/** A new random salt (base64 of 32 bytes): every backup gets its own key. */
export function newSalt(): string {
  return randomBytes(32).toString('base64');
}

/**
 * The keys a passphrase gives with the header's KDF parameters: 64 bytes of scrypt, the first
 * half the data key, the second half only for the check value (so the check says nothing of
 * the data key). The passphrase is NFC-normalised: the same word typed on another system opens
 * the same backup.
 */
export async function deriveBackupKey(
  passphrase: string,
  kdf: BackupHeader['kdf'],
): Promise<BackupKey> {
  const N = 2 ** kdf.logN;
  const derived = await new Promise<Buffer>((resolve, reject) =>
    scrypt(
      Buffer.from(passphrase.normalize('NFC'), 'utf8'),
      Buffer.from(kdf.salt, 'base64'),
      64,
      { N, r: kdf.r, p: kdf.p, maxmem: 128 * N * kdf.r + 32 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
  const check = createHmac('sha256', derived.subarray(32))
    .update(CHECK_LABEL)
    .digest()
    .subarray(0, 16)
    .toString('base64');
  return { data: Buffer.from(derived.subarray(0, 32)), check };
}

/** Whether the derived key is the one the header was made with (constant time). */
export function keyMatches(key: BackupKey, header: BackupHeader): boolean {
  const a = Buffer.from(key.check, 'base64');
  const b = Buffer.from(header.keyCheck, 'base64');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A passphrase good enough to seal the plant's keys with, or invalid-input saying why not. */
export function checkNewPassphrase(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new CommissionerError(
      'invalid-input',
      `the passphrase is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters (a few words are easiest to type and to remember)`,
      { field: 'passphrase' },
    );
  }
}

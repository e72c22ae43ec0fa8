import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { BACKUP_FORMAT, BackupHeader } from '../../../shared/backup/backup-manifest';
import { backupRefused } from './backup-refusal';

/** The first line of every backup: what the file is, readable with any pager. */
export const BACKUP_MAGIC = 'MARGO-COMMISSIONER-BACKUP\n';

/** The header is small; a file whose start is longer than this is not one of ours. */
const MAX_HEADER_BYTES = 8 * 1024;

export interface ReadHeader {
  header: BackupHeader;
  /** The header's exact bytes: bound to every sealed chunk. */
  bytes: Buffer;
}

/**
 * The plain header: the magic line, the header as one line of JSON, and a line with the sha256
 * of the two. The digest only tells a damaged header from a wrong passphrase (anyone could
 * recompute it); what protects the header is that every sealed chunk authenticates its bytes.
 */
export function encodeHeader(header: BackupHeader): Buffer {
  const body = `${BACKUP_MAGIC}${JSON.stringify(header)}\n`;
  const digest = createHash('sha256').update(body).digest('hex');
  return Buffer.from(`${body}sha256:${digest}\n`, 'utf8');
}

/** The sha256 of the header's bytes, as every chunk's associated data begins. */
export function headerDigest(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** Reads and checks the header at the start of `handle`; refusals name the file. */
export async function readHeader(
  handle: FileHandle,
  /** The file's name, for refusals. */
  file: string,
  restoring = true,
): Promise<ReadHeader> {
  const start = Buffer.alloc(MAX_HEADER_BYTES);
  const { bytesRead } = await handle.read(start, 0, MAX_HEADER_BYTES, 0);
  const head = start.subarray(0, bytesRead);
  if (!head.subarray(0, BACKUP_MAGIC.length).equals(Buffer.from(BACKUP_MAGIC))) {
    throw backupRefused(file, 'not a backup', '', restoring);
  }
  const jsonEnd = head.indexOf(0x0a, BACKUP_MAGIC.length);
  const digestEnd = jsonEnd < 0 ? -1 : head.indexOf(0x0a, jsonEnd + 1);
  if (digestEnd < 0) {
    const why = bytesRead < MAX_HEADER_BYTES ? 'the file ends inside it' : 'it has no end';
    throw backupRefused(file, 'damaged header', why, restoring);
  }
  const body = head.subarray(0, jsonEnd + 1);
  const stated = head.subarray(jsonEnd + 1, digestEnd).toString('latin1');
  const actual = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  if (stated !== actual) {
    throw backupRefused(file, 'damaged header', 'its check does not match', restoring);
  }
  let json: unknown;
  try {
    json = JSON.parse(body.subarray(BACKUP_MAGIC.length).toString('utf8'));
  } catch {
    throw backupRefused(file, 'damaged header', 'it is not readable', restoring);
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (typeof format === 'number' && format > BACKUP_FORMAT) {
    const by = (json as { createdBy?: unknown }).createdBy;
    throw backupRefused(
      file,
      'newer format',
      typeof by === 'string' ? by.slice(0, 100) : 'a newer Commissioner',
      restoring,
    );
  }
  const parsed = BackupHeader.safeParse(json);
  if (!parsed.success) {
    throw backupRefused(
      file,
      'damaged header',
      'its fields are not the ones a backup has',
      restoring,
    );
  }
  return { header: parsed.data, bytes: Buffer.from(head.subarray(0, digestEnd + 1)) };
}

import { createHash } from 'node:crypto';

/** sha256 of a text's UTF-8 bytes, lower-case hex: the audit chain's hash. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

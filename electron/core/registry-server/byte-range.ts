export type ByteRange =
  | { kind: 'full' }
  /** Inclusive offsets, as Content-Range writes them. */
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const SINGLE = /^bytes=(\d*)-(\d*)$/i;

/**
 * Reads a `Range` header against a blob of `size` bytes (RFC 9110 §14): `bytes=a-b`,
 * `bytes=a-` and `bytes=-n` give one partial range, clamped to the blob; a range starting at
 * or past the end (or any range of an empty blob, or `-0`) cannot be satisfied (416).
 * Anything else — several ranges, another unit, garbage, `a-b` with b < a — is ignored and
 * the whole blob is sent, which the RFC allows and every client handles: resumable pulls
 * ask for one open range.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return { kind: 'full' };
  const m = SINGLE.exec(header.trim());
  if (!m) return { kind: 'full' };
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // A suffix: the last n bytes. Digits beyond 2^53 read as huge numbers, which clamp.
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

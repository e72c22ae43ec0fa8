/**
 * Bytes arriving in pieces of any size, taken in the sizes a format needs. Takes within one
 * piece share its memory; only a take across pieces copies.
 */
export class ByteQueue {
  private readonly parts: Buffer[] = [];
  private head = 0;
  length = 0;

  push(piece: Buffer): void {
    if (piece.length === 0) return;
    this.parts.push(piece);
    this.length += piece.length;
  }

  /** The next `n` bytes (n ≤ length). */
  take(n: number): Buffer {
    if (n > this.length) throw new RangeError(`${n} bytes asked, ${this.length} held`);
    const first = this.parts[0];
    if (n === 0 || first === undefined) return Buffer.alloc(0);
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.advance(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const part = this.parts[0] as Buffer;
      const count = Math.min(n - filled, part.length - this.head);
      part.copy(out, filled, this.head, this.head + count);
      filled += count;
      this.advance(count);
    }
    return out;
  }

  /** Up to `n` bytes, as held: one piece's worth at most (no copy). */
  takeSome(n: number): Buffer {
    const first = this.parts[0];
    if (first === undefined) return Buffer.alloc(0);
    const count = Math.min(n, first.length - this.head);
    const out = first.subarray(this.head, this.head + count);
    this.advance(count);
    return out;
  }

  private advance(n: number): void {
    this.head += n;
    this.length -= n;
    if (this.head === (this.parts[0] as Buffer).length) {
      this.parts.shift();
      this.head = 0;
    }
  }
}

import { SignatureProblem } from '../signature-problem';

/**
 * One DER element located in a buffer. Signatures are checked over bytes exactly as
 * transmitted (a TBS certificate's names, a SignerInfo's signed attributes), which a
 * parse-and-re-encode through a schema library cannot promise, so those bytes are cut out here.
 */
export interface DerElement {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

export function derElementAt(bytes: Buffer, offset: number, what: string): DerElement {
  const fail = (): never => {
    throw new SignatureProblem(`the ${what} is not valid DER`);
  };
  const byte = (at: number): number => (at < bytes.length ? (bytes[at] as number) : fail());
  const tag = byte(offset);
  // Multi-byte tags never occur in the structures read here.
  if ((tag & 0x1f) === 0x1f) fail();
  let length = byte(offset + 1);
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // 0x80 is BER's indefinite length; more than 4 length bytes is never a real certificate.
    if (count === 0 || count > 4 || contentStart + count > bytes.length) fail();
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + byte(contentStart + i);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > bytes.length) fail();
  return { tag, start: offset, contentStart, end };
}

/** The elements directly inside a constructed element. */
export function derChildren(bytes: Buffer, parent: DerElement, what: string): DerElement[] {
  const out: DerElement[] = [];
  for (let offset = parent.contentStart; offset < parent.end;) {
    const child = derElementAt(bytes, offset, what);
    if (child.end > parent.end) throw new SignatureProblem(`the ${what} is not valid DER`);
    out.push(child);
    offset = child.end;
  }
  return out;
}

export function derBytes(bytes: Buffer, element: DerElement): Buffer {
  return bytes.subarray(element.start, element.end);
}

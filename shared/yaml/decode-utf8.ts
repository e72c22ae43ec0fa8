export type DecodeResult =
  { ok: true; text: string } | { ok: false; line: number; column: number; message: string };

const CHUNK = 8192;

/**
 * Strict UTF-8 decoding that says where the first bad byte is. A fatal TextDecoder only says
 * "invalid", and is not part of the isomorphic core's library surface; an engineer fixing a
 * file exported as Latin-1 by a Windows tool needs the line and column.
 */
export function decodeUtf8(bytes: Uint8Array): DecodeResult {
  if (bytes.length >= 2) {
    const b0 = bytes[0];
    const b1 = bytes[1];
    if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
      return {
        ok: false,
        line: 1,
        column: 1,
        message:
          'the file is UTF-16 text: save it as UTF-8 (without byte order mark) and try again',
      };
    }
  }
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const units: number[] = [];
  const parts: string[] = [];
  let line = 1;
  let column = 1;
  const fail = (what: string): DecodeResult => ({
    ok: false,
    line,
    column,
    message: `${what} at byte ${i}: the file is not UTF-8 text. Save it as UTF-8 (editors call it "UTF-8" or "Unicode") and try again`,
  });
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let cp: number;
    let size: number;
    if (b < 0x80) {
      if (b === 0) return fail('a NUL byte (binary data)');
      cp = b;
      size = 1;
    } else if (b >= 0xc2 && b <= 0xdf) {
      size = 2;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      size = 3;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      size = 4;
      cp = b & 0x07;
    } else {
      return fail(`byte 0x${b.toString(16).padStart(2, '0')} cannot start a UTF-8 character`);
    }
    if (size > 1) {
      if (i + size > bytes.length) return fail('a character cut off at the end of the file');
      for (let k = 1; k < size; k++) {
        const c = bytes[i + k] as number;
        if ((c & 0xc0) !== 0x80) {
          return fail(`byte 0x${b.toString(16)} is not followed by a UTF-8 continuation byte`);
        }
        cp = (cp << 6) | (c & 0x3f);
      }
      const overlong = (size === 3 && cp < 0x800) || (size === 4 && cp < 0x10000);
      if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return fail('an invalid UTF-8 sequence');
      }
    }
    if (cp >= 0x10000) {
      const v = cp - 0x10000;
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else {
      units.push(cp);
    }
    if (cp === 0x0a) {
      line++;
      column = 1;
    } else {
      column++;
    }
    i += size;
    if (units.length >= CHUNK) {
      parts.push(String.fromCharCode(...units));
      units.length = 0;
    }
  }
  parts.push(String.fromCharCode(...units));
  return { ok: true, text: parts.join('') };
}

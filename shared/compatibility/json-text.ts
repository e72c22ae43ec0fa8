/**
 * Whether JSON.stringify escapes something in `s`: a quote, a backslash, a control character or
 * a lone surrogate (any surrogate, here: a pair is left to JSON.stringify). The rest it writes
 * as is.
 */
function escapes(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

/** A scalar JSON.stringify writes without escaping or replacing, as it writes it; else undefined. */
function plainScalar(v: unknown): string | undefined {
  if (typeof v === 'string') return escapes(v) ? undefined : `"${v}"`;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

/**
 * A value as JSON text, exactly as JSON.stringify writes it. Reasons quote device values for
 * every device × profile: plain scalars, and lists of them, are written here without the
 * call's cost; anything else is left to JSON.stringify.
 */
export function jsonText(v: unknown): string {
  const scalar = plainScalar(v);
  if (scalar !== undefined) return scalar;
  if (Array.isArray(v)) {
    let text = '[';
    for (let i = 0; i < v.length; i++) {
      const item = plainScalar(v[i]);
      if (item === undefined) return JSON.stringify(v);
      text += i === 0 ? item : `,${item}`;
    }
    return `${text}]`;
  }
  return JSON.stringify(v);
}

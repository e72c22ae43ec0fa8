/**
 * Whether the signing certificate's subject is one the policy trusts. Identities are written
 * as notation writes them (`C=US, ST=WA, O=Notary, CN=…`, without the `x509.subject:`
 * prefix) or `*`; a subject matches when it has exactly the same attributes, in any order.
 */
export function identityTrusted(
  subject: { type: string; value: string }[],
  identities: string[] | undefined,
): boolean {
  if (!identities?.length || identities.includes('*')) return true;
  const have = attributeSet(subject);
  return identities.some((identity) => {
    const want = parseDistinguishedName(identity);
    return want !== undefined && sameSet(have, attributeSet(want));
  });
}

/** RFC 4514 text → attributes; `,` and `+` separate them unless escaped. Undefined when malformed. */
export function parseDistinguishedName(
  text: string,
): { type: string; value: string }[] | undefined {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      current += c + (text[++i] as string);
    } else if (c === ',' || c === '+') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  const attributes: { type: string; value: string }[] = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    attributes.push({ type: part.slice(0, eq).trim(), value: unescape(part.slice(eq + 1).trim()) });
  }
  return attributes;
}

function unescape(value: string): string {
  return value.replace(/\\([0-9a-fA-F]{2}|.)/g, (_, escaped: string) =>
    escaped.length === 2 ? String.fromCharCode(parseInt(escaped, 16)) : escaped,
  );
}

function attributeSet(attributes: { type: string; value: string }[]): string[] {
  return attributes.map((a) => `${a.type.toUpperCase()}=${a.value}`).sort();
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const LINK = /<([^>]*)>((?:\s*;\s*[^;,]+)*)/g;
const REL = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i;

/**
 * The target of the `rel="next"` link in `Link` header values (RFC 8288), as written: it is
 * usually relative (`</v2/_catalog?last=x&n=2>`) and resolved by the caller.
 */
export function nextPageLink(values: readonly string[]): string | undefined {
  for (const value of values) {
    for (const match of value.matchAll(LINK)) {
      const rel = REL.exec(match[2] ?? '');
      const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
      if (relations.includes('next')) return match[1];
    }
  }
  return undefined;
}

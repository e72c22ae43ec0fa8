export interface ErrorBody {
  /** Distribution error codes, e.g. `MANIFEST_UNKNOWN`, `DIGEST_INVALID`. */
  codes: string[];
  /** `manifest unknown (MANIFEST_UNKNOWN)`, or the start of a text body; empty when there is none. */
  text: string;
}

const MAX_TEXT = 300;

/**
 * Reads a registry's error body: distribution's `{"errors":[{"code","message","detail"}]}`,
 * or any short text a proxy put in front of it. A short string `detail` is kept because
 * distribution puts the digest of a missing blob there.
 */
export function parseErrorBody(body: Buffer): ErrorBody {
  const raw = body.toString('utf8').trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { codes: [], text: clip(raw.replace(/\s+/g, ' ')) };
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return { codes: [], text: clip(raw.replace(/\s+/g, ' ')) };
  const codes: string[] = [];
  const parts: string[] = [];
  for (const item of errors as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { code, message, detail } = item as Record<string, unknown>;
    const name = typeof code === 'string' ? code : undefined;
    if (name) codes.push(name);
    let part = typeof message === 'string' && message ? message : (name ?? 'error');
    if (typeof detail === 'string' && detail && detail.length <= 100) part += `: ${detail}`;
    if (name) part += ` (${name})`;
    parts.push(part);
  }
  return { codes, text: clip([...new Set(parts)].join('; ')) };
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

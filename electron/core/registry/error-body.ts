export interface ErrorBody {
  /** Distribution error codes, e.g. `MANIFEST_UNKNOWN`, `DIGEST_INVALID`. */
  codes: string[];
  /** `manifest unknown (MANIFEST_UNKNOWN)`; empty when the body is no OCI error JSON. */
  text: string;
  /** The body is Go's answer to plain HTTP sent to its HTTPS port (matched, never shown). */
  httpsServer: boolean;
}

const MAX_TEXT = 300;
const MAX_MESSAGE = 120;
const MAX_ERRORS = 5;
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Distribution names a missing blob's digest in `detail`; nothing else of `detail` is kept. */
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,128}$/;

/**
 * Reads a registry's error body as the OCI distribution spec defines it,
 * `{"errors":[{"code","message","detail"}]}`, and keeps only the codes, short printable
 * messages and digest-shaped details. Anything else (an HTML page, a proxy's text, the answer
 * of some other service the address leads to) is never echoed: a registry address is typed
 * by whoever uses the app, and echoing bodies would let them read any web page the laptop
 * reaches.
 */
export function parseErrorBody(body: Buffer): ErrorBody {
  const raw = body.toString('utf8').trim();
  const httpsServer = /^Client sent an HTTP request to an HTTPS server\.?$/i.test(raw);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { codes: [], text: '', httpsServer };
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return { codes: [], text: '', httpsServer };
  const codes: string[] = [];
  const parts: string[] = [];
  for (const item of (errors as unknown[]).slice(0, MAX_ERRORS)) {
    if (typeof item !== 'object' || item === null) continue;
    const { code, message, detail } = item as Record<string, unknown>;
    const name = typeof code === 'string' && CODE.test(code) ? code : undefined;
    if (name) codes.push(name);
    const words = typeof message === 'string' ? printable(message) : '';
    let part = words || (name ?? '');
    if (!part) continue;
    if (typeof detail === 'string' && DIGEST.test(detail)) part += `: ${detail}`;
    if (name && words) part += ` (${name})`;
    parts.push(part);
  }
  return { codes, text: clip([...new Set(parts)].join('; '), MAX_TEXT), httpsServer };
}

/** One line of plain text, without control characters, cut to a sentence's length. */
function printable(text: string): string {
  return clip(
    text
      .replace(/\p{Cc}+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    MAX_MESSAGE,
  );
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

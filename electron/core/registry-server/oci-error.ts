import type http from 'node:http';

/** The error codes of the OCI distribution spec this registry answers with. */
export type OciErrorCode =
  | 'NAME_UNKNOWN'
  | 'NAME_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'BLOB_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'UNSUPPORTED'
  // Not in the spec's table, but what distribution answers for a bad `n` and for its own
  // failures; clients know them.
  | 'PAGINATION_NUMBER_INVALID'
  | 'UNKNOWN';

/** An answer that is not a success: its status and the spec's `{errors: [...]}` entry. */
export class OciError extends Error {
  override name = 'OciError';

  constructor(
    readonly status: number,
    readonly code: OciErrorCode,
    message: string,
    readonly detail?: unknown,
    /** Extra response headers (`Allow` on 405). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The JSON body the spec defines for errors: `{"errors":[{"code","message","detail"}]}`. */
export function errorBody(error: OciError): Buffer {
  const entry: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.detail !== undefined) entry.detail = error.detail;
  return Buffer.from(JSON.stringify({ errors: [entry] }));
}

/**
 * Sends an error. A HEAD answer carries the status and headers only (HTTP forbids a body),
 * which is how clients learn of a missing manifest or blob without downloading anything.
 */
export function sendError(res: http.ServerResponse, error: OciError, head: boolean): void {
  const body = errorBody(error);
  res.writeHead(error.status, {
    ...error.headers,
    'Content-Type': 'application/json',
    'Content-Length': String(body.length),
  });
  res.end(head ? undefined : body);
}

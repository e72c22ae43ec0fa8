import type http from 'node:http';

const BASE = 'https://docs.margo.org/specification/problem-types#';

/** The spec's registered problem types and their statuses (others are `about:blank`). */
export const PROBLEM = {
  'invalid-request': { status: 400, title: 'Invalid request' },
  'semantic-error': { status: 422, title: 'Semantic error' },
  'not-authorized': { status: 403, title: 'Not authorized' },
  'gateway-not-found': { status: 404, title: 'Gateway not found' },
  'device-not-found': { status: 404, title: 'Device not found' },
  'invalid-bundle': { status: 404, title: 'Bundle not found' },
  'deployment-not-found': { status: 404, title: 'Deployment not found' },
  'server-cannot-generate-response': { status: 406, title: 'Not acceptable' },
} as const;
export type ProblemType = keyof typeof PROBLEM;

export interface ProblemExtras {
  errors?: { field: string; message: string }[];
  /** Seconds; makes the problem retryable with exponential backoff (429, 503). */
  retryAfter?: number;
}

/**
 * An RFC 9457 problem+json answer with the Margo extension members. Only 429/503 (and 500)
 * are retryable; they carry Retry-After.
 */
export function sendProblem(
  res: http.ServerResponse,
  req: http.IncomingMessage,
  type: ProblemType | { status: number; title: string },
  detail: string,
  extras: ProblemExtras = {},
): void {
  const known = typeof type === 'string' ? PROBLEM[type] : type;
  const retryable = known.status === 429 || known.status === 503 || known.status === 500;
  const body = {
    type: typeof type === 'string' ? `${BASE}${type}` : 'about:blank',
    title: known.title,
    status: known.status,
    detail,
    instance: req.url ?? '/',
    retryable,
    ...(retryable
      ? { retryAfterSeconds: extras.retryAfter ?? 5, backoffStrategy: 'exponential' }
      : { backoffStrategy: 'none' }),
    ...(extras.errors ? { errors: extras.errors } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(known.status, {
    'Content-Type': 'application/problem+json',
    'Content-Length': bytes.length,
    'Cache-Control': 'no-store',
    ...(retryable ? { 'Retry-After': String(extras.retryAfter ?? 5) } : {}),
  });
  res.end(bytes);
}

/**
 * The answer to a request the WFM failed on unexpectedly: retryable (500), in plain words,
 * with nothing of the failure in it; the raw error is in the laptop's error log.
 */
export function sendInternalProblem(res: http.ServerResponse, req: http.IncomingMessage): void {
  sendProblem(
    res,
    req,
    { status: 500, title: 'Internal error' },
    'the WFM could not answer this request: try again later; if it keeps failing, the error log on the commissioning laptop says why',
  );
}

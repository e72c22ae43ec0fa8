import type http from 'node:http';
import { logRawError } from '../errors/error-log';

/** How a server answers a request that failed unexpectedly: a 500 in its own error format. */
export type FailureAnswer = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export type RequestListener = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
) => void | Promise<void>;

// What a connection that the client closed (or reset) fails with: no fault of ours.
const HANG_UP_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
]);

function isHangUp(req: http.IncomingMessage, res: http.ServerResponse, e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return (
    code !== undefined &&
    HANG_UP_CODES.has(code) &&
    (res.destroyed || req.destroyed || req.socket.destroyed)
  );
}

/**
 * After an unexpected failure of a request: the raw error goes to the error log (a client
 * hanging up is no failure), the client gets `answer` if nothing was sent yet, and otherwise
 * the response is cut short, so a half-sent body cannot pass for a whole one. Never throws.
 */
export function failRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  e: unknown,
  context: string,
  answer: FailureAnswer,
): void {
  if (isHangUp(req, res, e)) {
    res.destroy();
    return;
  }
  logRawError(context, e);
  try {
    if (res.headersSent || res.destroyed) res.destroy();
    else answer(req, res);
  } catch (again) {
    logRawError(context, again);
    res.destroy();
  }
}

/**
 * A request listener that cannot take the process down: whatever `listener` throws, at once
 * or later, is answered through `failRequest`, and an 'error' on the request or response
 * stream (a reset mid-body) is logged, not left unhandled. Unhandled, either would end the
 * process (Node 20), and with it the app that serves these devices.
 */
export function withErrorBoundary(
  listener: RequestListener,
  context: string,
  answer: FailureAnswer,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const onStreamError = (e: unknown) => {
      if (!isHangUp(req, res, e)) logRawError(context, e);
    };
    req.on('error', onStreamError);
    res.on('error', onStreamError);
    try {
      const pending = listener(req, res);
      if (pending) pending.catch((e: unknown) => failRequest(req, res, e, context, answer));
    } catch (e) {
      failRequest(req, res, e, context, answer);
    }
  };
}

import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/** Where and as whom: a client certificate makes it a device's client (mutual TLS). */
export interface RawTarget {
  host: string;
  port: number;
  ca: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** The source address (any of 127.0.0.0/8 on this machine): one device each. */
  localAddress?: string;
}

export interface RawAnswer {
  /** The status of the first response; undefined when the server closed without one. */
  status: number | undefined;
  /** The head of the first response, lower-cased header names. */
  headers: Record<string, string>;
  /** Everything after the head, as received (chunked framing not undone). */
  body: Buffer;
  /** Who ended it: the server closing (or resetting), or this side giving up. */
  ended: 'closed' | 'timeout';
  /** A TLS or socket error seen on the way (a refused handshake, a reset). */
  error?: string;
}

function connectTls(target: RawTarget): TLSSocket {
  return tlsConnect({
    host: target.host,
    port: target.port,
    ca: target.ca,
    ...(target.cert ? { cert: target.cert, key: target.key } : {}),
    ...(target.localAddress ? { localAddress: target.localAddress } : {}),
    // The server SVID names localhost among its addresses.
    servername: 'localhost',
  });
}

function parseHead(received: Buffer): Pick<RawAnswer, 'status' | 'headers' | 'body'> {
  const end = received.indexOf('\r\n\r\n');
  if (end < 0) return { status: undefined, headers: {}, body: Buffer.alloc(0) };
  const [line = '', ...fields] = received.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(line)?.[1];
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon > 0)
      headers[field.slice(0, colon).trim().toLowerCase()] = field.slice(colon + 1).trim();
  }
  return {
    status: status === undefined ? undefined : Number(status),
    headers,
    body: received.subarray(end + 4),
  };
}

/**
 * Sends bytes exactly as given — what an HTTP client library refuses to send: broken
 * percent-encoding, NULs, contradicting headers — over TLS (mutual when the target has a
 * certificate), chunk by chunk with `pauseMs` between, and reads until the server closes or
 * `timeoutMs` passes. Never rejects: a refusal is an answer here.
 */
export function rawExchange(
  target: RawTarget,
  chunks: (Buffer | string)[],
  options: { timeoutMs: number; pauseMs?: number },
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let error: string | undefined;
    let settled = false;
    const socket = connectTls(target);
    const finish = (ended: RawAnswer['ended']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseHead(Buffer.concat(received)), ended, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs);
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => finish('closed'));
    socket.once('secureConnect', async () => {
      for (const [i, chunk] of chunks.entries()) {
        if (settled || socket.destroyed) return;
        if (i > 0 && options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
        if (!socket.destroyed) socket.write(chunk);
      }
    });
  });
}

/**
 * A plain TCP connection that sends `bytes` (nothing: a handshake never started) and then
 * waits: resolves with how long the server took to close it, or undefined after `waitMs`.
 */
export function idleConnection(
  target: Pick<RawTarget, 'host' | 'port' | 'localAddress'>,
  bytes: Buffer | undefined,
  waitMs: number,
): { opened: Promise<void>; closedAfterMs: Promise<number | undefined>; socket: Socket } {
  const started = Date.now();
  const socket = netConnect({
    host: target.host,
    port: target.port,
    ...(target.localAddress ? { localAddress: target.localAddress } : {}),
  });
  socket.on('error', () => {});
  socket.on('data', () => {});
  const opened = new Promise<void>((resolve) => {
    socket.once('connect', () => {
      if (bytes) socket.write(bytes);
      resolve();
    });
    socket.once('close', () => resolve());
  });
  const closedAfterMs = new Promise<number | undefined>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, waitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
  return { opened, closedAfterMs, socket };
}

/** A TLS connection kept open after its handshake: the socket, or undefined if refused. */
export function holdTlsConnection(target: RawTarget): Promise<TLSSocket | undefined> {
  return new Promise((resolve) => {
    const socket = connectTls(target);
    socket.on('error', () => {});
    socket.once('secureConnect', () => resolve(socket));
    socket.once('close', () => resolve(undefined));
  });
}

import type https from 'node:https';
import type { Socket } from 'node:net';

/**
 * How long a connection may take over each step, and how many may be open. The WFM port faces
 * the plant LAN: anyone there can open connections (the handshake refuses only after work),
 * and any device holding a plant certificate, revoked or not, gets past the handshake.
 */
export interface ConnectionLimits {
  /** A client that has not completed its TLS handshake by then is dropped. */
  handshakeTimeoutMs: number;
  /** The whole head of a request (line and headers) must arrive within this. */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this. */
  requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** A connection on which nothing moves either way (a client that stopped reading) is closed. */
  idleTimeoutMs: number;
  /** Requests on one kept-alive connection before the server asks the client to reconnect. */
  maxRequestsPerSocket: number;
  /** Open connections in all; more are closed as they arrive. */
  maxConnections: number;
  /** Open connections from one address; more from it are closed as they arrive. */
  maxConnectionsPerAddress: number;
  /** How often the header and request deadlines are checked. */
  deadlineCheckIntervalMs: number;
}

/**
 * Devices poll every few seconds over one kept-alive connection each and pull images over a
 * few (Docker: 3 layers at once), so 32 per address leaves room for a gateway NATing a cell.
 * 2000 in all is four times the 500-client benchmark, well within the file descriptors Node
 * gets. Bodies are at most 256 KiB, so a minute for a request is generous on any plant LAN.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  handshakeTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 65_000,
  idleTimeoutMs: 120_000,
  maxRequestsPerSocket: 1000,
  maxConnections: 2000,
  maxConnectionsPerAddress: 32,
  deadlineCheckIntervalMs: 2000,
};

/** The limits with the given changes: positive whole numbers, the head's deadline first. */
export function connectionLimits(changes: Partial<ConnectionLimits> = {}): ConnectionLimits {
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...changes };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new RangeError(`connection limit ${name} must be a positive whole number`);
    }
  }
  // Node refuses a server whose head deadline is later than its whole-request deadline.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new RangeError('headersTimeoutMs must not be longer than requestTimeoutMs');
  }
  return limits;
}

/** Options for `https.createServer` that carry the limits (some are read only there). */
export function limitedServerOptions(limits: ConnectionLimits): https.ServerOptions {
  return {
    handshakeTimeout: limits.handshakeTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.deadlineCheckIntervalMs,
  };
}

/**
 * Applies the limits to a server created with `limitedServerOptions`. A connection over a cap
 * is closed before the TLS handshake, which costs the server nothing; the clients already
 * connected are not touched.
 */
export function applyConnectionLimits(server: https.Server, limits: ConnectionLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  server.maxConnections = limits.maxConnections;
  server.setTimeout(limits.idleTimeoutMs);
  const perAddress = new Map<string, number>();
  // Before TLS wraps the socket: a refused connection never costs a handshake.
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    const open = address === undefined ? undefined : (perAddress.get(address) ?? 0);
    if (address === undefined || open === undefined || open >= limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    perAddress.set(address, open + 1);
    socket.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
  });
}

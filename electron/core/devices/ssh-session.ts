import net from 'node:net';
import ssh2, { type Client, type ConnectConfig } from 'ssh2';
import { sshKeyTypeName } from '../../../shared/devices/device-connection';
import { ProbeFailure, classifyNetworkError } from './probe-failure';
import { hostKeyAlgorithms } from './ssh-host-key';

/** Where an SSH server is, and how it is named in messages (`ssh://engineer@10.0.7.43:22`). */
export interface SshEndpoint {
  host: string;
  port: number;
  username: string;
  where: string;
}

export interface SshSessionOptions {
  timeoutMs: number;
  /**
   * Decides on the host key the server presents (its raw blob): undefined accepts it, a
   * ProbeFailure refuses the connection with that failure.
   */
  checkHostKey: (keyBlob: Buffer) => ProbeFailure | undefined;
  /** Only offer the algorithms that make the server present its key of this type. */
  hostKeyType?: string | undefined;
  /** The key material to log in with; none of the station's unless given here. */
  auth: { privateKey?: Buffer | undefined; agent?: string | undefined };
}

/** An authenticated SSH connection and the TCP socket under it (the caller ends both). */
export interface SshSession {
  client: Client;
  socket: net.Socket;
}

/**
 * Opens an SSH connection the way every SSH use here needs it: the TCP connection classified
 * like any other (refused, unreachable, timeout), the server's host key decided by the
 * caller before anything is sent, and logging in with exactly the key material given (the
 * station's SSH agent only when passed in). Settles once, whatever the server does; every
 * error event of the client has a listener, so none reaches the process as an exception.
 */
export async function openSshSession(
  endpoint: SshEndpoint,
  options: SshSessionOptions,
): Promise<SshSession> {
  const socket = await connectTcp(endpoint, options.timeoutMs);
  return handshake(endpoint, socket, options, 'login');
}

/**
 * The host key a server presents, read without logging in: the handshake stops as soon as
 * the key is seen. `hostKeyType` asks for the key of that type.
 */
export async function presentedHostKey(
  endpoint: SshEndpoint,
  timeoutMs: number,
  hostKeyType?: string,
): Promise<Buffer> {
  const socket = await connectTcp(endpoint, timeoutMs);
  let seen: Buffer | undefined;
  const stop = new ProbeFailure('ssh', 'host key read');
  try {
    await handshake(
      endpoint,
      socket,
      {
        timeoutMs,
        hostKeyType,
        auth: {},
        checkHostKey: (key) => {
          seen = Buffer.from(key);
          return stop;
        },
      },
      'host-key',
    );
  } catch (e) {
    if (e === stop && seen) return seen;
    throw e;
  }
  throw new ProbeFailure('ssh', `${endpoint.where} did not present an SSH host key`);
}

function connectTcp(endpoint: SshEndpoint, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    // No Nagle: the Engine API's small requests and answers would wait for delayed ACKs.
    const socket = net.connect({ host: endpoint.host, port: endpoint.port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new ProbeFailure(
          'timeout',
          `no answer from ${endpoint.where} within ${seconds(timeoutMs)}: the device is off or unreachable, or a firewall drops the traffic`,
        ),
      );
    }, timeoutMs);
    const onError = (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(
        e.code === 'ECONNREFUSED'
          ? new ProbeFailure(
              'refused',
              `nothing accepts connections at ${endpoint.where}: no SSH server listens there (wrong port, or sshd not running on the device)`,
            )
          : classifyNetworkError(e, endpoint.where),
      );
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', onError);
      resolve(socket);
    });
  });
}

function handshake(
  endpoint: SshEndpoint,
  socket: net.Socket,
  options: SshSessionOptions,
  purpose: 'login' | 'host-key',
): Promise<SshSession> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let settled = false;
    let refusal: ProbeFailure | undefined;
    const fail = (failure: ProbeFailure) => {
      if (settled) return;
      settled = true;
      client.end();
      socket.destroy();
      reject(failure);
    };
    // Errors after the connection is up reach whoever uses it through its channels closing;
    // this listener only keeps them from becoming uncaught exceptions.
    client.on('error', (e: Error & { level?: string; code?: string }) =>
      fail(refusal ?? sshFailure(e, endpoint, options, purpose)),
    );
    client.on('close', () =>
      fail(
        refusal ??
          new ProbeFailure(
            'ssh',
            `${endpoint.where} closed the connection before SSH was set up: is an SSH server listening there, and does it accept this computer?`,
          ),
      ),
    );
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      resolve({ client, socket });
    });
    // Until resolved, the socket's own errors come through the client; after, a late error on
    // a socket nobody reads must not crash the process.
    socket.on('error', () => {});
    const config: ConnectConfig = {
      sock: socket,
      username: endpoint.username,
      readyTimeout: options.timeoutMs,
      tryKeyboard: false,
      hostVerifier: (key: Buffer) => {
        refusal = options.checkHostKey(key);
        return refusal === undefined;
      },
      ...(options.hostKeyType
        ? {
            algorithms: {
              serverHostKey: hostKeyAlgorithms(options.hostKeyType) as NonNullable<
                ConnectConfig['algorithms']
              >['serverHostKey'],
            },
          }
        : {}),
      ...(options.auth.privateKey ? { privateKey: options.auth.privateKey } : {}),
      ...(options.auth.agent ? { agent: options.auth.agent } : {}),
    };
    try {
      client.connect(config);
    } catch (e) {
      // ssh2 checks the private key before connecting, and throws.
      fail(
        new ProbeFailure(
          'key-files',
          `the SSH key kept for ${endpoint.where} cannot be used (${(e as Error).message.replace(/^Cannot parse privateKey: /, '')}): remove the device and add it again with its key`,
        ),
      );
    }
  });
}

/** An ssh2 error in the words an engineer acts on. */
function sshFailure(
  e: Error & { level?: string; code?: string },
  endpoint: SshEndpoint,
  options: SshSessionOptions,
  purpose: 'login' | 'host-key',
): ProbeFailure {
  const where = endpoint.where;
  const message = e.message ?? String(e);
  if (e.level === 'client-authentication') {
    const used = [
      options.auth.privateKey ? 'the key file given for it' : undefined,
      options.auth.agent ? 'the keys of this computer’s SSH agent' : undefined,
    ].filter(Boolean);
    return new ProbeFailure(
      'ssh-auth',
      `the device at ${where} refused to log in user ${endpoint.username} with ${used.length ? used.join(' or ') : 'no key at all'}: the public half of the key must be in ~${endpoint.username}/.ssh/authorized_keys on the device`,
    );
  }
  if (e.level === 'client-timeout') {
    return new ProbeFailure(
      'timeout',
      `${where} did not complete the SSH handshake within ${seconds(options.timeoutMs)}: is an SSH server listening there?`,
    );
  }
  if (/no matching host key/i.test(message) && options.hostKeyType) {
    return new ProbeFailure(
      'ssh-host-key',
      purpose === 'login'
        ? `the device's SSH host key changed: ${where} no longer offers the ${sshKeyTypeName(options.hostKeyType)} key recorded when it was added. If the device was reinstalled, remove it and add it again; otherwise someone may be between you and the device`
        : `${where} has no ${sshKeyTypeName(options.hostKeyType)} host key`,
    );
  }
  if (e.level === 'client-socket') {
    if (e.code === 'ECONNRESET' || e.code === 'EPIPE' || /lost before handshake/i.test(message)) {
      return new ProbeFailure(
        'ssh',
        `${where} closed the connection during the SSH handshake: is an SSH server listening there, and does it accept this computer?`,
      );
    }
    return classifyNetworkError(e, where);
  }
  if (e.level === 'protocol' || /identification|header|bad packet|protocol/i.test(message)) {
    return new ProbeFailure('ssh', `what answers at ${where} does not speak SSH (wrong port?)`);
  }
  return new ProbeFailure('ssh', `SSH to ${where} failed: ${message}`);
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import {
  describeConnection,
  sshKeyTypeName,
  type DockerConnection,
} from '../../../shared/devices/device-connection';
import { ProbeFailure } from './probe-failure';
import { ChannelSocket } from './ssh-channel-socket';
import { sshFingerprint, sshKeyType } from './ssh-host-key';
import { openSshSession, type SshEndpoint, type SshSession } from './ssh-session';

export type SshConnection = Extract<DockerConnection, { protocol: 'ssh' }>;

/** What the device runs to carry the Engine API over SSH, as the docker CLI does. */
const DIAL_STDIO = 'docker system dial-stdio';
/** Setting up SSH, unless the agent or the request says otherwise. */
export const SSH_CONNECT_TIMEOUT_MS = 15_000;
/** An idle kept-alive SSH connection is closed after this long. */
const IDLE_SOCKET_MS = 15_000;
/** Private keys are small; a file larger than this is not one. */
const MAX_KEY_BYTES = 64 * 1024;

/**
 * An HTTP agent whose connections are SSH connections to a device, each running `docker
 * system dial-stdio` there: the Engine API over SSH for the probe and for dockerode (which
 * never sees SSH: docker-modem's own SSH path crashed the process and used the station's SSH
 * agent unasked). Every connection checks the device's recorded host key and logs in with the
 * device's key file, and with the station's SSH agent only when the device was added with it.
 */
export class SshEngineAgent extends http.Agent {
  readonly where: string;

  constructor(
    readonly connection: SshConnection,
    /** How long setting up SSH may take when a request names no timeout (dockerode's). */
    private readonly connectTimeoutMs = SSH_CONNECT_TIMEOUT_MS,
  ) {
    // No agent-wide timeout: it would override each request's own (it sets how long setting
    // up SSH may take); idle kept-alive connections get theirs in keepSocketAlive.
    super({ keepAlive: true, maxSockets: 4 });
    this.where = describeConnection(connection);
  }

  override createConnection(
    options: http.ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const timeoutMs =
      typeof options.timeout === 'number' && options.timeout > 0
        ? options.timeout
        : this.connectTimeoutMs;
    openEngineSocket(this.connection, this.where, timeoutMs).then(
      (socket) => callback?.(null, socket),
      (e: unknown) => callback?.(e as Error, undefined as unknown as Duplex),
    );
    return undefined;
  }

  // Node's returns whether the socket may be kept (its type says void).
  override keepSocketAlive(socket: Duplex): void {
    const keep = super.keepSocketAlive(socket as never) as unknown as boolean;
    (socket as ChannelSocket).setTimeout(IDLE_SOCKET_MS);
    return keep as unknown as void;
  }
}

const agents = new Map<string, SshEngineAgent>();

/** The device's agent: connections are reused between the probe's calls and a deploy's. */
export function sshEngineAgent(
  connection: SshConnection,
  connectTimeoutMs = SSH_CONNECT_TIMEOUT_MS,
): SshEngineAgent {
  const key = `${connectTimeoutMs} ${JSON.stringify(connection)}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new SshEngineAgent(connection, connectTimeoutMs);
    agents.set(key, agent);
  }
  return agent;
}

/** The words for a host key that is not the recorded one. */
export function changedHostKey(where: string, recorded: string, presented: string): string {
  return `the device's SSH host key changed: ${where} presents ${presented}, not the ${recorded} recorded when it was added. If the device was reinstalled, remove it and add it again; otherwise someone may be between you and the device`;
}

async function openEngineSocket(
  c: SshConnection,
  where: string,
  timeoutMs: number,
): Promise<ChannelSocket> {
  const recorded = c.hostKey;
  if (!recorded) {
    throw new ProbeFailure(
      'ssh-host-key',
      `no SSH host key is recorded for ${where} (it was added before host keys were checked): remove the device and add it again, to see and record its host key`,
    );
  }
  const privateKey = c.identityFile ? readIdentity(c.identityFile, where) : undefined;
  const agent = c.agent ? process.env.SSH_AUTH_SOCK || undefined : undefined;
  if (!privateKey && !agent) {
    throw new ProbeFailure(
      'ssh-auth',
      `no key to log in to ${where} with: the device was added to use this computer's SSH agent, and no SSH agent is running for this session`,
    );
  }
  const endpoint: SshEndpoint = { host: c.host, port: c.port, username: c.username, where };
  const session = await openSshSession(endpoint, {
    timeoutMs,
    hostKeyType: recorded.type,
    auth: { privateKey, agent },
    checkHostKey: (key) => {
      const fingerprint = sshFingerprint(key);
      if (fingerprint === recorded.fingerprint) return undefined;
      return new ProbeFailure(
        'ssh-host-key',
        changedHostKey(
          where,
          `${sshKeyTypeName(recorded.type)} key ${recorded.fingerprint}`,
          `${sshKeyTypeName(sshKeyType(key))} key ${fingerprint}`,
        ),
      );
    },
  });
  try {
    const channel = await execChannel(session, where, timeoutMs);
    return new ChannelSocket(channel, session, where);
  } catch (e) {
    session.client.end();
    session.socket.destroy();
    throw e;
  }
}

function execChannel(
  session: SshSession,
  where: string,
  timeoutMs: number,
): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new ProbeFailure(
            'timeout',
            `${where} accepted the SSH login but did not start the Docker connection within ${timeoutMs / 1000} s`,
          ),
        ),
      timeoutMs,
    );
    try {
      session.client.exec(DIAL_STDIO, (err, channel) => {
        clearTimeout(timer);
        if (err) {
          reject(
            new ProbeFailure(
              'ssh',
              `SSH to ${where} works, but the device refused to run a command there: ${err.message}`,
            ),
          );
        } else resolve(channel);
      });
    } catch (e) {
      clearTimeout(timer);
      reject(new ProbeFailure('ssh', `SSH to ${where} failed: ${(e as Error).message}`));
    }
  });
}

function readIdentity(path: string, where: string): Buffer {
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_KEY_BYTES) throw new Error('too large for a key');
    return bytes;
  } catch {
    throw new ProbeFailure(
      'key-files',
      `the SSH key kept for ${where} (${path}) cannot be read: remove the device and add it again with its key`,
    );
  }
}

import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import Docker from 'dockerode';
import type { DockerConnection } from '../../../shared/devices/device-connection';
import { SSH_CONNECT_TIMEOUT_MS, sshEngineAgent } from './ssh-engine-agent';

/** The newest Engine API this program speaks; a device gets min(this, what it offers). */
export const CLIENT_MAX_API_VERSION = '1.47';

/** Engine API versions compare by their numeric parts: 1.9 < 1.41. */
export function lowerApiVersion(a: string, b: string): string {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am < bm || (am === bm && an <= bn) ? a : b;
}

/**
 * A dockerode client for one device, speaking the negotiated API version. An `agent` lets
 * several calls share one TLS connection (a handshake costs more than a small API call).
 */
export function dockerClient(
  connection: DockerConnection,
  options: { apiVersion?: string; timeoutMs: number; agent?: Agent },
): Docker {
  const common = {
    timeout: options.timeoutMs,
    ...(options.apiVersion ? { version: `v${options.apiVersion}` } : {}),
    ...(options.agent ? { agent: options.agent } : {}),
  };
  switch (connection.protocol) {
    case 'tcp':
      return new Docker({
        ...common,
        host: connection.host,
        port: connection.port,
        protocol: connection.tls ? 'https' : 'http',
        ...(connection.tls
          ? {
              ca: readFileSync(connection.tls.ca),
              cert: readFileSync(connection.tls.cert),
              key: readFileSync(connection.tls.key),
            }
          : {}),
      });
    case 'ssh':
      // Plain HTTP as far as dockerode knows: the agent's connections are SSH connections
      // (docker-modem's own SSH path crashes with a timeout and uses the SSH agent unasked).
      return new Docker({
        ...common,
        protocol: 'http',
        host: connection.host,
        port: connection.port,
        ...{
          // A client without call timeout (an event stream) still bounds setting up SSH.
          agent: sshEngineAgent(
            connection,
            Math.min(options.timeoutMs || SSH_CONNECT_TIMEOUT_MS, SSH_CONNECT_TIMEOUT_MS),
          ),
        },
      });
    case 'unix':
      return new Docker({ ...common, socketPath: connection.socketPath });
  }
}

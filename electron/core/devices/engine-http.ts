import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { SecureContext } from 'node:tls';
import { ProbeFailure, classifyNetworkError } from './probe-failure';

/**
 * Where an Engine API answers: TCP (with or without TLS), a local unix socket, or a tunnel
 * whose agent makes the connections (SSH).
 */
export type EngineTarget =
  | {
      host: string;
      port: number;
      tls?: { secureContext: SecureContext } | undefined;
      agent?: http.Agent | undefined;
    }
  | { socketPath: string }
  | { tunnel: http.Agent };

export interface EngineAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const MAX_BODY = 4 * 1024 * 1024;

/**
 * One small GET to a Docker Engine. Probes use this rather than dockerode: they are two tiny
 * calls, and dockerode formats its whole request options (keys included) on every call.
 */
export async function engineGet(
  target: EngineTarget,
  path: string,
  timeoutMs: number,
  useTls = 'host' in target && target.tls !== undefined,
): Promise<EngineAnswer> {
  try {
    return await engineGetOnce(target, path, timeoutMs, useTls);
  } catch (e) {
    // A kept-alive connection the device closed meanwhile (it restarted): once more, fresh.
    if ((e as { reusedSocket?: boolean }).reusedSocket)
      return engineGetOnce(target, path, timeoutMs, useTls);
    throw e;
  }
}

function engineGetOnce(
  target: EngineTarget,
  path: string,
  timeoutMs: number,
  useTls: boolean,
): Promise<EngineAnswer> {
  return new Promise((resolve, reject) => {
    const common = { path, method: 'GET', timeout: timeoutMs };
    let req: http.ClientRequest;
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY)
          req.destroy(
            new ProbeFailure(
              'not-docker',
              `the answer to ${path} is larger than ${MAX_BODY} bytes: not a Docker Engine`,
            ),
          );
        else chunks.push(c);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    };
    if ('socketPath' in target) {
      // Over a unix socket there is no host; Docker's own client sends "docker".
      req = http.request(
        { ...common, socketPath: target.socketPath, headers: { host: 'docker' } },
        onResponse,
      );
    } else if ('tunnel' in target) {
      req = http.request(
        { ...common, agent: target.tunnel, headers: { host: 'docker' } },
        onResponse,
      );
    } else if (useTls && target.tls) {
      const options: https.RequestOptions & { secureContext: SecureContext } = {
        ...common,
        host: target.host,
        port: target.port,
        secureContext: target.tls.secureContext,
        ...(isIP(target.host) ? {} : { servername: target.host }),
        agent: target.agent ?? false,
      };
      req = https.request(options, onResponse);
    } else {
      req = http.request(
        {
          ...common,
          host: target.host,
          port: target.port,
          agent: useTls === false && target.tls ? false : (target.agent ?? false),
        },
        onResponse,
      );
    }
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? '';
      reject(
        req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')
          ? Object.assign(e, { reusedSocket: true })
          : e,
      );
    });
    req.end();
  });
}

/**
 * `GET /_ping`, to tell precisely why a device cannot be probed: refused, unreachable, timed
 * out, which side of TLS objected, plain TCP where TLS was expected (or the reverse), or
 * something that is not a Docker Engine at all. Docker answers /_ping with its API version in
 * the Api-Version header, which is how the version is negotiated (as the docker CLI does).
 */
export async function pingDocker(
  target: EngineTarget,
  where: string,
  timeoutMs: number,
): Promise<string> {
  let answer: EngineAnswer;
  try {
    answer = await engineGet(target, '/_ping', timeoutMs);
  } catch (e) {
    const failure = e instanceof ProbeFailure ? e : classifyNetworkError(e, where);
    if (failure.kind !== 'tls-not-spoken' || !('host' in target)) throw failure;
    // Find out what does answer there, to say what to do.
    const plain = await engineGet(target, '/_ping', timeoutMs, false).catch(() => undefined);
    if (plain?.headers['api-version']) {
      throw new ProbeFailure(
        'tls-not-spoken',
        `Docker at ${where} answers without TLS (plain, unencrypted TCP): enable TLS on the device (dockerd --tlsverify), or add it with --plain-tcp if this network is trusted`,
      );
    }
    throw new ProbeFailure(
      'not-docker',
      `what answers at ${where} speaks neither TLS nor the Docker API: wrong port?`,
    );
  }
  const plainTcp = 'host' in target && target.tls === undefined;
  if (plainTcp && answer.status === 400) {
    // Docker's TLS port answers plain HTTP with "Client sent an HTTP request to an HTTPS server".
    throw new ProbeFailure(
      'tls-required',
      `${where} speaks TLS: add the device with --tls-ca, --tls-cert and --tls-key`,
    );
  }
  const apiVersion = answer.headers['api-version'];
  if (answer.status !== 200 || typeof apiVersion !== 'string') {
    throw new ProbeFailure(
      'not-docker',
      `${where} answers HTTP ${answer.status} for /_ping without an Api-Version header: it is not a Docker Engine (wrong port?)`,
    );
  }
  return apiVersion;
}

import type Dockerode from 'dockerode';
import { classifyNetworkError } from '../devices/probe-failure';
import { SshEngineAgent } from '../devices/ssh-engine-agent';
import { formatBytes } from '../../../shared/units/quantity';

export type SideLoadErrorKind =
  /** The store does not hold the image. */
  | 'not-in-store'
  /** The image has no variant the device's CPU runs. */
  | 'platform'
  /** The store's copy cannot be read or is damaged. */
  | 'store'
  /** The device could not be reached at all (refused, no route, TLS, timeout). */
  | 'unreachable'
  /** The device stayed silent longer than the client's timeout. */
  | 'timeout'
  /** The connection broke while the image was on its way. */
  | 'connection-lost'
  /** The device's disk is full. */
  | 'disk-full'
  /** The daemon answered with an error. */
  | 'refused'
  /** The daemon said it loaded, but the image it reports is not the one sent. */
  | 'mismatch';

/** A side-load that failed: names the image, what happened on the device, and what to do. */
export class SideLoadError extends Error {
  override name = 'SideLoadError';
  constructor(
    readonly kind: SideLoadErrorKind,
    readonly image: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `tcp://10.0.7.42:2376`, `unix:///var/run/docker.sock`, `ssh://host`: where a client points. */
export function deviceAddress(docker: Dockerode): string {
  const modem = docker.modem as {
    socketPath?: unknown;
    host?: unknown;
    port?: unknown;
    protocol?: unknown;
    agent?: unknown;
  };
  if (modem.agent instanceof SshEngineAgent) return modem.agent.where;
  if (typeof modem.socketPath === 'string') return `unix://${modem.socketPath}`;
  const scheme = modem.protocol === 'ssh' ? 'ssh' : 'tcp';
  return `${scheme}://${String(modem.host ?? 'localhost')}${modem.port ? `:${String(modem.port)}` : ''}`;
}

const CUT = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * A failure talking to the device, in the words an engineer acts on. `sent` and `total` say
 * how far the upload came, so a cut connection is told apart from one never made.
 */
export function deviceFailure(
  e: unknown,
  image: string,
  where: string,
  progress?: { sent: number; total: number; silentMs?: number; timeoutMs?: number | undefined },
): SideLoadError {
  if (e instanceof SideLoadError) return e;
  const err = e as NodeJS.ErrnoException & { statusCode?: number; json?: unknown };
  const code = err.code ?? '';
  const text = err.message ?? String(e);
  if (typeof err.statusCode === 'number') {
    // dockerode: "(HTTP code 500) server error - <daemon's message>"
    const said = text.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim();
    return daemonRefusal(said, image, where, e);
  }
  if (CUT.has(code) || /socket hang up|aborted|premature close/i.test(text)) {
    // dockerode drops a request silent for its timeout with a bare "socket hang up".
    const { silentMs = 0, timeoutMs } = progress ?? {};
    if (timeoutMs !== undefined && silentMs >= timeoutMs * 0.9) {
      return new SideLoadError(
        'timeout',
        image,
        `${image}: ${where} gave no sign of progress for ${seconds(silentMs)}${progress && progress.sent > 0 ? ` after receiving ${formatBytes(progress.sent)} of ${formatBytes(progress.total)}` : ''}, and the request was dropped (the client's timeout is ${seconds(timeoutMs)}): the device may be overloaded or its disk slow. Side-load again with a longer timeout`,
        { cause: e },
      );
    }
    const how = progress
      ? progress.sent > 0
        ? ` after ${formatBytes(progress.sent)} of ${formatBytes(progress.total)}`
        : ' before the image was sent'
      : '';
    return new SideLoadError(
      'connection-lost',
      image,
      `${image}: the connection to ${where} broke${how}: the Docker daemon stopped or restarted, or the network dropped. Check the device, then side-load again`,
      { cause: e },
    );
  }
  const failure = classifyNetworkError(e, where);
  return new SideLoadError(
    'unreachable',
    image,
    `${image} could not be side-loaded: ${failure.message}`,
    {
      cause: e,
    },
  );
}

/** An error the daemon reported (an HTTP error, or an `error` line of the load's answer). */
export function daemonRefusal(
  said: string,
  image: string,
  where: string,
  cause?: unknown,
): SideLoadError {
  if (/no space left on device|disk quota exceeded/i.test(said)) {
    return new SideLoadError(
      'disk-full',
      image,
      `${image}: the disk of ${where} is full (the daemon said: ${said}). Free space on the device (remove images it no longer runs), then side-load again`,
      { cause },
    );
  }
  return new SideLoadError(
    'refused',
    image,
    `${image}: the Docker daemon at ${where} refused the image: ${said}`,
    { cause },
  );
}

/** 0.3 s, 12 s. */
function seconds(ms: number): string {
  return `${ms < 10_000 ? Math.round(ms / 100) / 10 : Math.round(ms / 1000)} s`;
}

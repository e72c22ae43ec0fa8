import type Docker from 'dockerode';

/** A failure the engineer can act on: a stable code, and plain words with the next step. */
export interface Diagnosis {
  code: string;
  message: string;
  /** What the device or the system said, as it said it (shown behind "Details", `--verbose`). */
  detail?: string;
}

/** The fields of `GET /containers/{id}/json` a diagnosis reads. */
export interface ContainerInspect {
  Id: string;
  Name?: string;
  State: {
    Status: string;
    Running?: boolean;
    Restarting?: boolean;
    ExitCode?: number;
    Error?: string;
    OOMKilled?: boolean;
    Health?: {
      Status: string;
      FailingStreak?: number;
      Log?: { ExitCode: number; Output: string }[];
    };
  };
  RestartCount?: number;
}

const LOG_LINES = 8;

/** Why Docker refused to create or start a container, in the engineer's words. */
export function diagnoseEngineError(service: string, error: unknown): Diagnosis {
  const e = error as { statusCode?: number; json?: { message?: string }; message?: string };
  const text = e.json?.message ?? e.message ?? String(error);
  const port = /Bind for (?:[\d.:[\]a-f]*:)?(\d+) failed: port is already allocated/i.exec(text);
  if (port || /address already in use/i.test(text)) {
    return {
      code: 'port-taken',
      message: `service ${service} cannot start: port ${port?.[1] ?? '(see below)'} is already in use on the device, by another container or program; free it or publish another port (${text.trim()})`,
    };
  }
  if (/no such image|pull access denied|manifest unknown/i.test(text)) {
    return {
      code: 'image-missing',
      message: `service ${service} cannot start: its image is not on the device (${text.trim()}); deploy again to side-load it`,
    };
  }
  if (/no space left on device/i.test(text)) {
    return {
      code: 'disk-full',
      message: `service ${service}: the device's disk is full (${text.trim()}); free space (docker system prune on the device) and deploy again`,
    };
  }
  if (/error gathering device information|no such file or directory.*\/dev\//i.test(text)) {
    return {
      code: 'device-missing',
      message: `service ${service} needs a device file the device does not have (${text.trim()})`,
    };
  }
  if (/could not select device driver/i.test(text)) {
    return {
      code: 'gpu-missing',
      message: `service ${service} asks for a GPU the device's Docker cannot give (${text.trim()}); deploy it to a device with the NVIDIA runtime`,
    };
  }
  return { code: 'engine-error', message: `service ${service}: Docker refused it: ${text.trim()}` };
}

/**
 * Why a container is not (yet) what the deployment needs, from its inspection and last logs:
 * exited with code N (and what it printed last), its health check failing (and what the check
 * printed), restarting over and over, killed for lack of memory.
 */
export function diagnoseContainer(
  service: string,
  inspect: ContainerInspect,
  lastLogs: string,
): Diagnosis | undefined {
  const s = inspect.State;
  const said = lastLogs.trim() ? `; it printed last:\n${indent(lastLogs.trim())}` : '';
  if (s.OOMKilled) {
    return {
      code: 'out-of-memory',
      message: `service ${service} was killed for lack of memory (over its memory limit or the device's)${said}`,
    };
  }
  if (s.Status === 'exited' || s.Status === 'dead') {
    return {
      code: 'exited',
      message: `service ${service} exited with code ${s.ExitCode ?? '?'}${s.Error ? ` (${s.Error})` : ''}${said}`,
    };
  }
  if (s.Restarting || (inspect.RestartCount ?? 0) > 2) {
    return {
      code: 'restarting',
      message: `service ${service} keeps restarting (${inspect.RestartCount ?? 0} restarts, last exit code ${s.ExitCode ?? '?'})${said}`,
    };
  }
  if (s.Health?.Status === 'unhealthy') {
    const last = s.Health.Log?.at(-1);
    return {
      code: 'unhealthy',
      message: `service ${service}'s health check fails (${s.Health.FailingStreak ?? 0} times in a row${last ? `, exit code ${last.ExitCode}` : ''})${last?.Output.trim() ? `: ${last.Output.trim()}` : ''}`,
    };
  }
  return undefined;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** The last lines a container printed (stdout and stderr), as text. */
export async function lastLogLines(
  docker: Docker,
  containerId: string,
  lines = LOG_LINES,
): Promise<string> {
  try {
    const raw = (await docker
      .getContainer(containerId)
      .logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
    return demuxLogs(raw);
  } catch {
    return '';
  }
}

/**
 * Docker multiplexes stdout and stderr of containers without a TTY into frames (8-byte header:
 * stream, 0, 0, 0, big-endian length); a TTY container's logs are plain.
 */
export function demuxLogs(raw: Buffer): string {
  const looksFramed =
    raw.length >= 8 && raw[0]! <= 2 && raw[1] === 0 && raw[2] === 0 && raw[3] === 0;
  if (!looksFramed) return raw.toString('utf8');
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

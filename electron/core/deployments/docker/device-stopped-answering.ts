import { SideLoadError } from '../../images/side-load-error';
import type { Diagnosis } from './container-diagnosis';

type Loss = 'refused' | 'cut' | 'silent';

const BY_CODE: Record<string, Loss> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'cut',
  EPIPE: 'cut',
  ECONNABORTED: 'cut',
  ERR_STREAM_PREMATURE_CLOSE: 'cut',
  ETIMEDOUT: 'silent',
  ESOCKETTIMEDOUT: 'silent',
  EHOSTUNREACH: 'silent',
  ENETUNREACH: 'silent',
  EHOSTDOWN: 'silent',
};

/** The error's own code and words, as the system gave them: the detail, never the sentence. */
export function rawDetail(e: unknown): string {
  const parts: string[] = [];
  for (let cause: unknown = e, depth = 0; cause !== undefined && depth < 4; depth++) {
    const err = cause as { code?: unknown; message?: unknown };
    const text = typeof err?.message === 'string' ? err.message : String(cause);
    const code = typeof err?.code === 'string' && !text.includes(err.code) ? `${err.code}: ` : '';
    parts.push(`${code}${text}`);
    cause = (cause as { cause?: unknown })?.cause;
  }
  return parts.join('\n← ');
}

function lossOf(e: unknown): Loss | undefined {
  if (e instanceof SideLoadError) {
    if (e.kind === 'connection-lost') return 'cut';
    if (e.kind !== 'unreachable') return undefined;
    return lossOf(e.cause) ?? 'silent';
  }
  const err = e as { code?: unknown; message?: unknown } | undefined;
  const byCode = typeof err?.code === 'string' ? BY_CODE[err.code] : undefined;
  if (byCode) return byCode;
  return typeof err?.message === 'string' && /socket hang up|premature close/i.test(err.message)
    ? 'cut'
    : undefined;
}

/**
 * A device that answered when the deploy began (its plan probed it) and then stopped, said as
 * such: what happened in one sentence, what to do in another, with the device and what was
 * being done named — not the advice for a device never reached (a wrong port, `-H tcp://`, a
 * refused certificate), which would send the engineer to the wrong place. Undefined when the
 * error is not a lost connection. The raw error goes to `detail`.
 */
export function deviceStoppedAnswering(
  e: unknown,
  context: { device: string; doing: string },
): Diagnosis | undefined {
  const loss = lossOf(e);
  if (!loss) return undefined;
  const { device, doing } = context;
  const happened =
    loss === 'refused'
      ? `${device} stopped accepting connections while ${doing}, though it answered when the deploy began: its Docker Engine stopped or restarted.`
      : loss === 'cut'
        ? `${device} cut the connection while ${doing}: its Docker Engine stopped or restarted, or the network to it dropped.`
        : `${device} stopped answering while ${doing}: it was switched off, or the network to it dropped.`;
  return {
    code: 'device-unreachable',
    message: `${happened} Check that ${device} is on and that Docker runs there, then deploy again: what was done is kept and the rest follows.`,
    detail: rawDetail(e),
  };
}

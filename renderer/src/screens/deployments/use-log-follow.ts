import { useEffect, useState } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { LogsText } from '../../../../shared/contract/deploy';
import { useApp } from '../../state/app-state';
import { asContractError } from '../../transport/contract-check';
import type { TransportEvent } from '../../transport/transport';

/** Renewed well within the core's one-minute lease. */
const RENEW_MS = 20_000;
/** Most text kept per container while following: the page stays light after hours. */
export const FOLLOW_KEEP_CHARS = 200_000;

export interface FollowedText {
  source: Omit<LogsText, 'stream' | 'text'>;
  text: string;
}

/**
 * While `on`, follows a deployment's logs: what each container prints from now on, by
 * container. Stops the follow when turned off or unmounted (the pane closed), renews it while
 * it runs, and says why it ended when it ended by itself.
 */
export function useLogFollow(
  id: string,
  on: boolean,
  /** Changed when the logs are read again: the follow starts over after what was read. */
  seq: number,
): { texts: Record<string, FollowedText>; ended: string | null; error: ContractError | null } {
  const { transport } = useApp();
  const [texts, setTexts] = useState<Record<string, FollowedText>>({});
  const [ended, setEnded] = useState<string | null>(null);
  const [error, setError] = useState<ContractError | null>(null);

  useEffect(() => {
    if (!on) return;
    setTexts({});
    setEnded(null);
    setError(null);
    let stream: string | null = null;
    let closed = false;
    // Events may arrive before the answer that names their stream (two channels): kept until then.
    const early: TransportEvent[] = [];
    const apply = (message: TransportEvent) => {
      if (message.event === 'logs.text' && message.payload.stream === stream) {
        const { stream: _, text, ...source } = message.payload;
        setTexts((old) => {
          const before = old[source.container]?.text ?? '';
          const joined = before + text;
          return {
            ...old,
            [source.container]: {
              source,
              text: joined.length > FOLLOW_KEEP_CHARS ? joined.slice(-FOLLOW_KEEP_CHARS) : joined,
            },
          };
        });
      } else if (message.event === 'logs.ended' && message.payload.stream === stream) {
        setEnded(message.payload.reason);
        stream = null;
      }
    };
    const unsubscribe = transport.onEvent((message) => {
      if (message.event !== 'logs.text' && message.event !== 'logs.ended') return;
      if (stream === null) early.push(message);
      else apply(message);
    });
    const started = (answer: { stream: string }) => {
      if (closed) {
        void transport.call('deployments.stopLogs', answer).catch(() => undefined);
        return;
      }
      stream = answer.stream;
      for (const message of early.splice(0)) apply(message);
    };
    transport.call('deployments.followLogs', { id }).then(started, (e: unknown) => {
      if (!closed) setError(asContractError(e));
    });
    const renew = setInterval(() => {
      if (stream === null) return;
      transport.call('deployments.followLogs', { id, renew: stream }).then(
        (answer) => {
          // A lapsed follow (the laptop slept) comes back under a new stream.
          if (!closed && answer.stream !== stream) stream = answer.stream;
        },
        () => undefined,
      );
    }, RENEW_MS);
    return () => {
      closed = true;
      clearInterval(renew);
      unsubscribe();
      if (stream !== null) {
        void transport.call('deployments.stopLogs', { stream }).catch(() => undefined);
      }
    };
  }, [id, on, seq, transport]);

  return { texts, ended, error };
}

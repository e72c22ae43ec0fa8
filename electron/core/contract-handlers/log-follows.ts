import { randomUUID } from 'node:crypto';
import type { EventName, EventOf } from '../../../shared/contract/operations';
import type { LogSource } from '../deployments/deployment-target';
import { followDeploymentLogs } from '../use-cases/deployment-logs';
import type { Store } from '../store/store';

/** A follow not renewed for this long is stopped: its window went away without saying so. */
export const FOLLOW_LEASE_MS = 60_000;
/** Output is sent at most this often per follow, merged per container. */
const FLUSH_MS = 150;
/** Most text sent per container and flush: a container that floods keeps only its latest. */
const MAX_FLUSH_CHARS = 64 * 1024;

type Publish = <N extends EventName>(event: N, payload: EventOf<N>) => void;

interface Follow {
  stop: () => void;
  lease: ReturnType<typeof setTimeout>;
  pending: Map<string, { source: LogSource; text: string; skipped: boolean }>;
  flush: ReturnType<typeof setTimeout> | null;
}

/**
 * The log follows the faces asked for (`deployments.followLogs`): each one's output becomes
 * `logs.text` events, sent in batches; each ends when stopped, when its containers' streams
 * end (`logs.ended`), or when it was not renewed within the lease — so a closed pane or window
 * never leaves a stream open on a device.
 */
export class LogFollows {
  private readonly follows = new Map<string, Follow>();

  constructor(
    private readonly publish: Publish,
    private readonly leaseMs = FOLLOW_LEASE_MS,
  ) {}

  /** How many follows are open (what a test checks for leaks). */
  get open(): number {
    return this.follows.size;
  }

  /**
   * Starts following a deployment's logs, or renews `renew` when it is still open (a lapsed
   * one is started again, under a new stream).
   */
  async follow(
    store: Store,
    request: { id: string; tail?: number; renew?: string },
  ): Promise<{ stream: string }> {
    const renewed = request.renew !== undefined ? this.follows.get(request.renew) : undefined;
    if (request.renew !== undefined && renewed) {
      renewed.lease.refresh();
      return { stream: request.renew };
    }
    const stream = randomUUID();
    const follow: Follow = {
      stop: () => undefined,
      lease: setTimeout(() => this.stop(stream), this.leaseMs),
      pending: new Map(),
      flush: null,
    };
    follow.lease.unref();
    this.follows.set(stream, follow);
    try {
      follow.stop = await followDeploymentLogs(
        store,
        request.id,
        request.tail !== undefined ? { tail: request.tail } : {},
        {
          onText: (source, text) => this.queue(stream, source, text),
          onEnd: (reason) => {
            if (!this.follows.has(stream)) return;
            this.send(stream);
            this.stop(stream);
            this.publish('logs.ended', { stream, reason });
          },
        },
      );
    } catch (e) {
      this.stop(stream);
      throw e;
    }
    // Stopped while it was starting (a pane closed at once): stop what just opened.
    if (!this.follows.has(stream)) follow.stop();
    return { stream };
  }

  stop(stream: string): void {
    const follow = this.follows.get(stream);
    if (!follow) return;
    this.follows.delete(stream);
    clearTimeout(follow.lease);
    if (follow.flush) clearTimeout(follow.flush);
    follow.stop();
  }

  /** Every follow stops (the core closes, or its data home is replaced). */
  close(): void {
    for (const stream of [...this.follows.keys()]) this.stop(stream);
  }

  private queue(stream: string, source: LogSource, text: string): void {
    const follow = this.follows.get(stream);
    if (!follow) return;
    const entry = follow.pending.get(source.container) ?? { source, text: '', skipped: false };
    entry.text += text;
    if (entry.text.length > MAX_FLUSH_CHARS) {
      entry.text = entry.text.slice(-MAX_FLUSH_CHARS);
      entry.skipped = true;
    }
    follow.pending.set(source.container, entry);
    follow.flush ??= setTimeout(() => this.send(stream), FLUSH_MS);
  }

  private send(stream: string): void {
    const follow = this.follows.get(stream);
    if (!follow) return;
    if (follow.flush) clearTimeout(follow.flush);
    follow.flush = null;
    for (const { source, text, skipped } of follow.pending.values()) {
      this.publish('logs.text', {
        stream,
        ...source,
        text: skipped ? `… (earlier output skipped: too much at once)\n${text}` : text,
      });
    }
    follow.pending.clear();
  }
}

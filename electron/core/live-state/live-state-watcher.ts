import type { DeviceCheck } from '../../../shared/contract/deployments';
import { targetOfDeployment } from '../deployments/deployment-targets';
import { inParallel } from '../deployments/in-parallel';
import { readSetting, SETTING } from '../store/settings-table';
import type { Store } from '../store/store';
import { checkDevice, watchedDeployments, watchedDevices } from './check-devices';

/** How often each device with deployments is asked, unless the setting says otherwise. */
export const DEFAULT_WATCH_INTERVAL_SECONDS = 30;

/** Events come in bursts (stop = kill + die + stop): one check for the burst. */
const EVENT_SETTLE_MS = 300;

export interface LiveStateOptions {
  /** Overrides the station's setting (tests use a short one). */
  intervalMs?: number;
  /** Listen to the devices' event streams (default); off: poll only. */
  events?: boolean;
  /**
   * How long a device whose event stream ended (or would not open) is polled only before its
   * stream is tried again; default 4 intervals, at least a minute.
   */
  reopenAfterMs?: number;
}

/** The watch interval in force: the station's setting, or 30 s. */
export function watchIntervalMs(store: Store): number {
  const seconds = Number(readSetting(store, SETTING.watchIntervalSeconds));
  return (
    (Number.isFinite(seconds) && seconds >= 1 ? seconds : DEFAULT_WATCH_INTERVAL_SECONDS) * 1000
  );
}

/**
 * Keeps the records of what runs current while a face is open (the browser host, the desktop
 * app; never a one-shot CLI command): every interval it asks each device that has settled
 * deployments, and between polls the device's event stream (Docker devices) triggers a check
 * as soon as one of Commissioner's containers changes. A stream that ends leaves the device on
 * polling until it is tried again. Each check records states, drift and the time of the check,
 * and the store announces `deployments`, so open views refresh themselves.
 */
export class LiveStateWatcher {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private readonly streams = new Map<string, () => void>();
  private readonly opening = new Map<string, Promise<void>>();
  private readonly reopenAt = new Map<string, number>();
  private readonly settle = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<string, Promise<DeviceCheck | undefined>>();
  private readonly again = new Map<string, DeviceCheck['via']>();
  private ticking: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  private syncing: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly store: Store,
    private readonly options: LiveStateOptions = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // A device that just got its first deployment is listened to at once, not at the next poll.
    this.unsubscribe = this.store.changes.subscribe((area) => {
      if (area !== 'deployments' || this.stopped || this.syncing) return;
      this.syncing = setTimeout(() => {
        this.syncing = null;
        if (!this.stopped && this.options.events !== false) {
          for (const device of watchedDevices(this.store)) this.listen(device);
        }
      }, EVENT_SETTLE_MS);
      this.syncing.unref();
    });
    this.tick();
  }

  /** Whether a device is heard through its event stream now, or only polled. */
  mode(device: string): 'events' | 'poll' {
    return this.streams.has(device) ? 'events' : 'poll';
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.syncing) clearTimeout(this.syncing);
    this.syncing = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const t of this.settle.values()) clearTimeout(t);
    this.settle.clear();
    for (const stop of this.streams.values()) stop();
    this.streams.clear();
    await this.ticking;
    await Promise.allSettled([...this.running.values(), ...this.opening.values()]);
  }

  private interval(): number {
    return this.options.intervalMs ?? watchIntervalMs(this.store);
  }

  private tick(): void {
    this.ticking = this.poll()
      .catch(() => undefined)
      .finally(() => {
        this.ticking = null;
        if (this.stopped) return;
        this.timer = setTimeout(() => this.tick(), this.interval());
        this.timer.unref();
      });
  }

  private async poll(): Promise<void> {
    const devices = watchedDevices(this.store);
    for (const [device, stop] of this.streams) {
      if (!devices.includes(device)) {
        stop();
        this.streams.delete(device);
      }
    }
    if (this.options.events !== false) {
      for (const device of devices) this.listen(device);
    }
    await inParallel(devices, (device) => this.check(device, 'poll'));
  }

  /** One check per device at a time; a check asked for meanwhile runs once after it. */
  private check(device: string, via: DeviceCheck['via']): Promise<DeviceCheck | undefined> {
    const running = this.running.get(device);
    if (running) {
      if (via === 'events') this.again.set(device, via);
      return running;
    }
    const work = checkDevice(this.store, device, via)
      .then((check) => {
        // A device that did not answer may have dropped its stream without a word (a cable
        // pulled): it is polled only for a while, then listened to from scratch.
        const stream = this.streams.get(device);
        if (check?.error && stream) {
          stream();
          this.streams.delete(device);
          this.pollOnlyFor(device);
        }
        return check;
      })
      .catch(() => undefined)
      .finally(() => {
        this.running.delete(device);
        const next = this.again.get(device);
        this.again.delete(device);
        if (next && !this.stopped) void this.check(device, next);
      });
    this.running.set(device, work);
    return work;
  }

  private listen(device: string): void {
    if (this.streams.has(device) || this.opening.has(device)) return;
    if ((this.reopenAt.get(device) ?? 0) > Date.now()) return;
    const deployment = watchedDeployments(this.store).find((d) => d.device === device);
    const target = deployment && targetOfDeployment(this.store, deployment);
    if (!target?.watchChanges) return;
    const pollOnly = () => this.pollOnlyFor(device);
    let ended = false;
    const opened = target
      .watchChanges(this.store, device, {
        onChange: () => this.changed(device),
        onClosed: () => {
          ended = true;
          this.streams.delete(device);
          pollOnly();
        },
      })
      .then(
        (stop) => {
          if (this.stopped || ended) stop();
          else this.streams.set(device, stop);
        },
        () => pollOnly(),
      )
      .finally(() => this.opening.delete(device));
    this.opening.set(device, opened);
  }

  /** A stream that ended (or would not open) is tried again only after a while. */
  private pollOnlyFor(device: string): void {
    this.reopenAt.set(
      device,
      Date.now() + (this.options.reopenAfterMs ?? Math.max(4 * this.interval(), 60_000)),
    );
  }

  private changed(device: string): void {
    if (this.stopped || this.settle.has(device)) return;
    const timer = setTimeout(() => {
      this.settle.delete(device);
      if (!this.stopped) void this.check(device, 'events');
    }, EVENT_SETTLE_MS);
    timer.unref();
    this.settle.set(device, timer);
  }
}

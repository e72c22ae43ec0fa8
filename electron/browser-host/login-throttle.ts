/**
 * Slows password guessing at the login page: every refusal is answered only after a pause,
 * and after `freeTries` refusals in a row for one account name (or 4× that from one address)
 * further tries are turned away unread for a lockout that doubles with each refusal, up to a
 * cap. A success clears the name's and the address's counts. In memory: a restart forgets it,
 * which costs a guesser a restart of the station they cannot cause.
 */
export interface ThrottleOptions {
  freeTries: number;
  lockoutMs: number;
  maxLockoutMs: number;
  /** The pause before a refusal is answered. */
  refusalDelayMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeTries: 5,
  lockoutMs: 60_000,
  maxLockoutMs: 15 * 60_000,
  refusalDelayMs: 1_000,
};

interface Count {
  failures: number;
  lockedUntil: number;
}

export class LoginThrottle {
  private readonly counts = new Map<string, Count>();

  constructor(
    readonly options: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until this name from this address may try again; 0 when it may now. */
  wait(name: string, address: string): number {
    const now = this.now();
    return Math.max(
      0,
      (this.counts.get(nameKey(name))?.lockedUntil ?? 0) - now,
      (this.counts.get(addressKey(address))?.lockedUntil ?? 0) - now,
    );
  }

  refused(name: string, address: string): void {
    this.count(nameKey(name), this.options.freeTries);
    this.count(addressKey(address), this.options.freeTries * 4);
  }

  succeeded(name: string, address: string): void {
    this.counts.delete(nameKey(name));
    this.counts.delete(addressKey(address));
  }

  private count(key: string, free: number): void {
    const count = this.counts.get(key) ?? { failures: 0, lockedUntil: 0 };
    count.failures += 1;
    if (count.failures >= free) {
      const lockout = Math.min(
        this.options.maxLockoutMs,
        this.options.lockoutMs * 2 ** (count.failures - free),
      );
      count.lockedUntil = this.now() + lockout;
    }
    this.counts.set(key, count);
  }
}

const nameKey = (name: string) => `name:${name.toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;

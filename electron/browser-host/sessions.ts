import { randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a session lasts: since its last request, and at most since the login. */
export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
}

/** 30 minutes idle, 12 hours in all: a shift, and a station left alone locks itself. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
};

interface Session {
  account: string;
  /** The account's password-change time at login: a later change ends this session. */
  stamp: string;
  started: number;
  lastSeen: number;
}

export type SessionLookup =
  | { state: 'open'; account: string; stamp: string }
  | { state: 'expired'; account: string }
  | { state: 'none' };

/**
 * The browser host's login sessions, in memory only: a restart logs everyone out, and no
 * session id is ever written to disk. Ids are 256 random bits, looked up in constant time.
 */
export class SessionBook {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  open(account: string, stamp: string): string {
    const id = randomBytes(32).toString('base64url');
    const now = this.now();
    this.sessions.set(id, { account, stamp, started: now, lastSeen: now });
    return id;
  }

  /** The session an id names, kept alive by this request; an expired one is ended here. */
  find(id: string | undefined): SessionLookup {
    const key = id === undefined ? undefined : this.key(id);
    const session = key === undefined ? undefined : this.sessions.get(key);
    if (key === undefined || !session) return { state: 'none' };
    const now = this.now();
    if (
      now - session.lastSeen > this.limits.idleMs ||
      now - session.started > this.limits.absoluteMs
    ) {
      this.sessions.delete(key);
      return { state: 'expired', account: session.account };
    }
    session.lastSeen = now;
    return { state: 'open', account: session.account, stamp: session.stamp };
  }

  /** Ends one session (log out); answers whose it was. */
  close(id: string | undefined): string | undefined {
    const key = id === undefined ? undefined : this.key(id);
    const session = key === undefined ? undefined : this.sessions.get(key);
    if (key !== undefined) this.sessions.delete(key);
    return session?.account;
  }

  /** Ends every session of an account (it was removed, or its password changed). */
  closeAccount(account: string): void {
    for (const [id, session] of this.sessions) {
      if (session.account === account) this.sessions.delete(id);
    }
  }

  /** The stored id equal to `given`, compared in constant time (a Map lookup by a guessed id leaks nothing either, but ids are secrets: compare them as such). */
  private key(given: string): string | undefined {
    const bytes = Buffer.from(given);
    for (const id of this.sessions.keys()) {
      const candidate = Buffer.from(id);
      if (candidate.length === bytes.length && timingSafeEqual(candidate, bytes)) return id;
    }
    return undefined;
  }
}

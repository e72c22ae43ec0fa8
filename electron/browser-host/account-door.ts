import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Caller } from '../../shared/contract/roles';
import type { AccountGate } from '../core/contract-handlers/app-core-api';
import { cookieValue } from './access-gate';
import { LOGIN_PATHS, type LoginNotice } from './login-page';
import { DEFAULT_THROTTLE, LoginThrottle, type ThrottleOptions } from './login-throttle';
import { DEFAULT_SESSION_LIMITS, SessionBook, type SessionLimits } from './sessions';

export type AccountAdmission =
  { state: 'open'; caller: Caller } | { state: 'expired' } | { state: 'none' };

const MAX_LOGIN_BYTES = 8 * 1024;

/**
 * The browser host's door when the station has named accounts: a login (name and password,
 * checked by the core), then a session cookie (HttpOnly, SameSite=Strict, Secure on HTTPS)
 * that ends after an idle time, after a maximum time, at logout, or when its account is
 * removed. The role is not decided here: every call carries the account to the core, which
 * checks it.
 */
export class AccountDoor {
  readonly cookieName: string;
  private readonly sessions: SessionBook;
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly accounts: AccountGate,
    port: number,
    private readonly secure: boolean,
    limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    throttle: ThrottleOptions = DEFAULT_THROTTLE,
  ) {
    this.cookieName = `commissioner_session_${port}`;
    this.sessions = new SessionBook(limits);
    this.throttle = new LoginThrottle(throttle);
  }

  admit(req: http.IncomingMessage): AccountAdmission {
    const id = cookieValue(req.headers.cookie, this.cookieName);
    const found = this.sessions.find(id);
    if (found.state === 'none') return found;
    if (found.state === 'expired') {
      this.accounts.ended(found.account, 'expired');
      return { state: 'expired' };
    }
    // Removed, or its password changed, since it logged in: the store says, at every request
    // (also what the CLI changed while the host runs); a changed role applies at once.
    const standing = this.accounts.standing(found.account);
    if (!standing || standing.passwordChangedAt !== found.stamp) {
      this.sessions.close(id);
      return { state: 'expired' };
    }
    return { state: 'open', caller: standing.caller };
  }

  /** `POST /api/login` from the login page's form: a session and `/`, or the page again. */
  async login(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const form = await readForm(req);
    const name = (form?.get('name') ?? '').trim();
    const password = form?.get('password') ?? '';
    const address = req.socket.remoteAddress ?? '';
    if (this.throttle.wait(name, address) > 0) return toLogin(res, 'locked');
    const standing = name && password ? await this.accounts.login(name, password) : undefined;
    if (!standing) {
      this.throttle.refused(name, address);
      await sleep(this.throttle.options.refusalDelayMs);
      return toLogin(res, 'failed');
    }
    this.throttle.succeeded(name, address);
    const id = this.sessions.open(standing.caller.account, standing.passwordChangedAt);
    res.writeHead(303, {
      Location: '/',
      'Set-Cookie': `${this.cookieName}=${id}; HttpOnly; SameSite=Strict; Path=/${this.secure ? '; Secure' : ''}`,
      'Cache-Control': 'no-store',
    });
    res.end();
  }

  /** `POST /api/logout`: the session ends here, the cookie is cleared, the login page follows. */
  logout(req: http.IncomingMessage, res: http.ServerResponse): void {
    const account = this.sessions.close(cookieValue(req.headers.cookie, this.cookieName));
    if (account) this.accounts.ended(account, 'logout');
    res.writeHead(303, {
      Location: `${LOGIN_PATHS.page}?notice=logged-out`,
      'Set-Cookie': `${this.cookieName}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${this.secure ? '; Secure' : ''}`,
      'Cache-Control': 'no-store',
    });
    res.end();
  }
}

function toLogin(res: http.ServerResponse, notice: LoginNotice): void {
  res.writeHead(303, {
    Location: `${LOGIN_PATHS.page}${notice ? `?notice=${notice}` : ''}`,
    'Cache-Control': 'no-store',
  });
  res.end();
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_LOGIN_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

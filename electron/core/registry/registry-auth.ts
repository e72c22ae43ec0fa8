import type { AuthChallenge } from './auth-challenge';
import { parseErrorBody } from './error-body';
import type { RegistryResponse } from './http-exchange';
import { RegistryError } from './registry-error';

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** What a request needs the registry to allow, as a token scope and as words for messages. */
export interface AccessScope {
  /** `repository:plant/app:pull,push`, `registry:catalog:*`. */
  scope: string;
  /** `push to plant/app`: completes "user x may not …". */
  action: string;
}

/** Sends a GET to a token service; the caller owns agents, CA and timeouts. */
export type TokenRequest = (
  url: URL,
  authorization: string | undefined,
) => Promise<RegistryResponse>;

const TOKEN_RESPONSE_LIMIT = 1024 * 1024;
// Distribution's token spec: a token without expires_in lives 60 s.
const DEFAULT_TOKEN_SECONDS = 60;
// Renew a little early so a token does not expire between our check and the registry's.
const EXPIRY_MARGIN_MS = 5_000;

/**
 * The registry's authentication as the distribution spec describes it: Basic, or Bearer tokens
 * fetched from the realm the registry names, one per scope. Only headers leave this class;
 * passwords and tokens never appear in a message.
 */
export class RegistryAuth {
  private basic = false;
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    private readonly registry: string,
    private readonly credentials: RegistryCredentials | undefined,
    private readonly requestToken: TokenRequest,
  ) {}

  /** The Authorization header to send up front, once we know what the registry wants. */
  headerFor(access: AccessScope): string | undefined {
    if (this.basic) return this.basicHeader();
    const cached = this.tokens.get(access.scope);
    if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
    return undefined;
  }

  /**
   * Answers a 401: resolves when a retry can succeed (a token was fetched, or Basic is to be
   * used), throws the RegistryError to report when it cannot.
   */
  async answer(challenges: AuthChallenge[], access: AccessScope, url: URL): Promise<void> {
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    if (bearer) {
      await this.fetchToken(bearer, access);
      return;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (!this.credentials) throw this.credentialsRequired(url);
      this.basic = true;
      return;
    }
    const schemes = challenges.map((c) => c.scheme).join(', ');
    throw new RegistryError(
      schemes ? 'unauthorized' : 'protocol',
      schemes
        ? `registry ${this.registry} asks for ${schemes} authentication, which is not supported (Basic and Bearer are)`
        : `registry ${this.registry} answered 401 without saying how to authenticate (no WWW-Authenticate)`,
      { status: 401, url },
    );
  }

  /** The error for a 401 that persists after `answer`: what was wrong, in the engineer's terms. */
  rejected(challenges: AuthChallenge[], access: AccessScope, url: URL): RegistryError {
    if (!this.credentials) return this.credentialsRequired(url);
    const insufficient = challenges.some(
      (c) => c.scheme === 'bearer' && c.params.error === 'insufficient_scope',
    );
    if (insufficient) return this.forbidden(access, url, 401);
    return this.credentialsRefused(url);
  }

  forbidden(access: AccessScope, url: URL, status = 403, detail = ''): RegistryError {
    const who = this.credentials ? `user ${this.credentials.username}` : 'anonymous users';
    return new RegistryError(
      'forbidden',
      `${who} may not ${access.action} on registry ${this.registry}${detail ? `: ${detail}` : ''}`,
      { status, url },
    );
  }

  private async fetchToken(challenge: AuthChallenge, access: AccessScope): Promise<void> {
    let url: URL;
    try {
      url = new URL(challenge.params.realm ?? '');
    } catch {
      url = new URL('invalid:');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new RegistryError(
        'protocol',
        `registry ${this.registry} names a token service that is not an http(s) URL: "${challenge.params.realm}"`,
      );
    }
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    // Our scope first; the registry's own hint too when it differs (it knows what it checks).
    for (const scope of new Set([access.scope, challenge.params.scope].filter(Boolean))) {
      url.searchParams.append('scope', scope as string);
    }
    const response = await this.requestToken(url, this.basicHeader());
    if (response.status === 401 || response.status === 403) {
      response.discard();
      throw this.credentials ? this.credentialsRefused(url) : this.credentialsRequired(url);
    }
    const body = await response.read(TOKEN_RESPONSE_LIMIT);
    if (response.status !== 200) {
      const text = parseErrorBody(body).text;
      throw new RegistryError(
        response.status >= 500 ? 'server' : 'protocol',
        `the token service of ${this.registry} at ${url.origin}${url.pathname} answered ${response.status}${text ? `: ${text}` : ''}`,
        { status: response.status, url },
      );
    }
    let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown } = {};
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      // Reported below as "no token".
    }
    const token =
      typeof parsed.token === 'string' && parsed.token ? parsed.token : parsed.access_token;
    if (typeof token !== 'string' || !token) {
      throw new RegistryError(
        'protocol',
        `the token service of ${this.registry} at ${url.origin}${url.pathname} sent no token`,
        { status: response.status, url },
      );
    }
    const seconds =
      typeof parsed.expires_in === 'number' && parsed.expires_in > 0
        ? parsed.expires_in
        : DEFAULT_TOKEN_SECONDS;
    this.tokens.set(access.scope, {
      token,
      expiresAt: Date.now() + seconds * 1000 - EXPIRY_MARGIN_MS,
    });
  }

  private basicHeader(): string | undefined {
    if (!this.credentials) return undefined;
    const { username, password } = this.credentials;
    return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  }

  private credentialsRequired(url: URL): RegistryError {
    return new RegistryError(
      'unauthorized',
      `registry ${this.registry} requires credentials: pass --username and --password`,
      { status: 401, url },
    );
  }

  private credentialsRefused(url: URL): RegistryError {
    return new RegistryError(
      'unauthorized',
      `registry ${this.registry} refused the credentials for user ${this.credentials?.username ?? ''}: check the user name and password`,
      { status: 401, url },
    );
  }
}

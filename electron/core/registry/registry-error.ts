export type RegistryErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'server'
  | 'network'
  | 'tls'
  | 'timeout'
  | 'protocol'
  | 'digest-mismatch'
  | 'size-mismatch'
  | 'too-large'
  /** The registry, a redirect or a token service leads to the station itself, which was refused. */
  | 'local-target';

/**
 * Everything that goes wrong between us and a registry, sorted by what the engineer can do
 * about it. Messages never contain passwords or tokens, and `url` never carries a query
 * (upload state and pre-signed storage URLs keep secrets there).
 */
export class RegistryError extends Error {
  override name = 'RegistryError';
  readonly kind: RegistryErrorKind;
  readonly status?: number;
  readonly url?: string;

  constructor(
    kind: RegistryErrorKind,
    message: string,
    details: { status?: number; url?: URL | string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    if (details.status !== undefined) this.status = details.status;
    if (details.url !== undefined) this.url = withoutQuery(details.url);
  }
}

function withoutQuery(url: URL | string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return String(url).replace(/[?#].*$/, '');
  }
}

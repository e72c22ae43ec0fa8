/**
 * Which artifacts a trust policy covers, and which policy wins when several do. Pure: the
 * store keeps scopes in their canonical text; the CLI, the UI and policy lookup parse them here.
 *
 * A scope is `*` (everything), an application id pattern (`com.acme.*`, or an exact id), an
 * organization (`org:<name>`, the supplier organization of the application description) or a
 * registry/repository pattern (it contains `/`: `registry.plant.local:5000/acme/*`). `app:` and
 * `repo:` prefixes may be written explicitly. `*` in a pattern stands for any run of characters.
 */
export type PolicyScope =
  | { kind: 'all' }
  | { kind: 'app'; pattern: string }
  | { kind: 'org'; name: string }
  | { kind: 'repository'; pattern: string };

export type ParsedScope =
  { ok: true; scope: PolicyScope; canonical: string } | { ok: false; message: string };

/** What an artifact is, as far as policy scopes can tell. */
export interface ScopeSubject {
  appId?: string | undefined;
  /** The description's supplier organization(s) (`metadata.catalog.organization[].name`). */
  organization?: string | readonly string[] | undefined;
  /** `registry/repository` when the artifact came from a registry (a tag or digest is ignored). */
  repository?: string | undefined;
}

const MAX_SCOPE = 255;
const APP_PATTERN = /^[a-z0-9*][a-z0-9._*-]*$/;
const REPO_PATTERN = /^[a-z0-9*][a-z0-9._:*/-]*$/;
const SCOPE_FORMS =
  'write *, an application id pattern (com.acme.*), org:<organization name>, or a registry/repository (registry.plant.local:5000/acme/*)';

export function parseScope(text: string): ParsedScope {
  const raw = text.trim();
  if (raw === '') return { ok: false, message: `the scope is empty: ${SCOPE_FORMS}` };
  if (raw.length > MAX_SCOPE) {
    return { ok: false, message: `the scope is longer than ${MAX_SCOPE} characters` };
  }
  if (raw === '*') return done({ kind: 'all' });
  const prefix = /^(app|org|repo):/i.exec(raw)?.[1]?.toLowerCase();
  const rest = prefix ? raw.slice(prefix.length + 1).trim() : raw;
  if (prefix === 'org') {
    const name = collapse(rest);
    if (name === '') return { ok: false, message: 'org: needs the organization’s name after it' };
    if (/\p{Cc}/u.test(name)) {
      return { ok: false, message: 'the organization name holds control characters' };
    }
    return done({ kind: 'org', name });
  }
  const pattern = rest.toLowerCase();
  if (prefix === 'repo' || (!prefix && pattern.includes('/'))) {
    if (!pattern.includes('/') || !REPO_PATTERN.test(pattern)) {
      return {
        ok: false,
        message: `"${rest}" is not a registry/repository pattern: write it as host[:port]/path, with * for any part (registry.plant.local:5000/acme/*)`,
      };
    }
    return done({ kind: 'repository', pattern });
  }
  if (!APP_PATTERN.test(pattern)) {
    return {
      ok: false,
      message: `"${raw}" is not a scope: ${SCOPE_FORMS}; an application id has letters, digits, dots, dashes and underscores`,
    };
  }
  return done({ kind: 'app', pattern });
}

function done(scope: PolicyScope): ParsedScope {
  return { ok: true, scope, canonical: scopeText(scope) };
}

/** The canonical text of a scope: prefixes only where the bare form would mean another scope. */
export function scopeText(scope: PolicyScope): string {
  switch (scope.kind) {
    case 'all':
      return '*';
    case 'app':
      return scope.pattern === '*' ? 'app:*' : scope.pattern;
    case 'org':
      return `org:${scope.name}`;
    case 'repository':
      return scope.pattern;
  }
}

/** Whether the policy of `scope` covers `subject`. Case does not matter anywhere. */
export function scopeMatches(scope: PolicyScope, subject: ScopeSubject): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'app':
      return subject.appId !== undefined && glob(scope.pattern).test(subject.appId);
    case 'org': {
      const wanted = scope.name.toLowerCase();
      return organizations(subject).some((o) => collapse(o).toLowerCase() === wanted);
    }
    case 'repository': {
      const repository = subject.repository && bareRepository(subject.repository);
      return repository !== undefined && glob(scope.pattern).test(repository);
    }
  }
}

/**
 * Most specific first: an exact application id, then application patterns, organizations,
 * registry/repository patterns (longer patterns first in each), then `*`. Ties go by name so
 * the order never depends on insertion.
 */
export function compareScopes(a: PolicyScope, b: PolicyScope): number {
  return (
    rank(a) - rank(b) ||
    patternOf(b).length - patternOf(a).length ||
    cmp(scopeText(a), scopeText(b))
  );
}

/** The most specific of `policies` covering `subject`; null when none does. */
export function mostSpecificPolicy<T extends { scope: string }>(
  policies: readonly T[],
  subject: ScopeSubject,
): T | null {
  const matching = policies
    .map((policy) => ({ policy, parsed: parseScope(policy.scope) }))
    .filter(
      (p): p is { policy: T; parsed: Extract<ParsedScope, { ok: true }> } =>
        p.parsed.ok && scopeMatches(p.parsed.scope, subject),
    )
    .sort((a, b) => compareScopes(a.parsed.scope, b.parsed.scope));
  return matching[0]?.policy ?? null;
}

/** How the UI and the CLI say what a scope covers. */
export function describeScope(scope: PolicyScope): string {
  switch (scope.kind) {
    case 'all':
      return 'everything';
    case 'app':
      return scope.pattern.includes('*')
        ? `applications whose id matches ${scope.pattern}`
        : `the application ${scope.pattern}`;
    case 'org':
      return `applications of ${scope.name}`;
    case 'repository':
      return `artifacts from ${scope.pattern}`;
  }
}

function rank(scope: PolicyScope): number {
  switch (scope.kind) {
    case 'app':
      return scope.pattern.includes('*') ? 1 : 0;
    case 'org':
      return 2;
    case 'repository':
      return 3;
    case 'all':
      return 4;
  }
}

function patternOf(scope: PolicyScope): string {
  return scope.kind === 'all' ? '' : scope.kind === 'org' ? scope.name : scope.pattern;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function glob(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

function organizations(subject: ScopeSubject): readonly string[] {
  const o = subject.organization;
  return o === undefined ? [] : typeof o === 'string' ? [o] : o;
}

/** `host:5000/acme/app:1.2@sha256:…` → `host:5000/acme/app`. */
function bareRepository(reference: string): string {
  const withoutDigest = reference.split('@')[0] ?? '';
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return (colon > slash ? withoutDigest.slice(0, colon) : withoutDigest).toLowerCase();
}

function collapse(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

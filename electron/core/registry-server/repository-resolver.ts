import { refsNamedAnywhere, refsOfRepository } from '../store/stored-refs';
import type { Store } from '../store/store';
import { storedRef, type StoredRef } from './stored-ref';

/** Where the device said it was pulling from, besides the path. */
export interface NameHints {
  /** `?ns=` — the registry a containerd/k3s mirror request is really for. */
  namespace?: string | null | undefined;
  /** The `Host` header: the supplier registry's name when it resolves to the laptop. */
  host?: string | undefined;
}

export type Resolution =
  | { found: true; repository: string; refs: StoredRef[] }
  /** `candidates` lists the repositories that made the name ambiguous (empty: none matched). */
  | { found: false; candidates: string[] };

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
]);
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

/**
 * Maps a repository name as a device asks for it to a repository of the store, whose refs
 * carry full names (`registry.plant.local/demo/line-status:1.0.0`, `docker.io/library/busybox:1`,
 * and `<app id>:<version>` for packages imported from kits). Tried in order; the first rule
 * whose repository has refs wins:
 *
 * 1. Hinted: `<h>/<name>` for each hint host h — `?ns=` first (containerd/k3s mirrors send the
 *    upstream registry there), then the `Host` header (Docker, when the supplier registry's
 *    name resolves to the laptop). Each is tried with its port, then without it (the laptop
 *    may listen on another port than the supplier did). Docker Hub's host names mean
 *    `docker.io`, where a one-segment name is `library/<name>`, as Docker normalizes it.
 * 2. As written: `<name>` itself, for devices that put the full original name in the path
 *    (`laptop:5000/registry.plant.local/demo/line-status`) and for host-less package refs.
 *    A Docker Hub host name as first segment is read as `docker.io` (`index.docker.io/x` →
 *    `docker.io/library/x`).
 * 3. Docker Hub's official images: `library/<x>` → `docker.io/library/<x>`.
 * 4. Across registries: `<any registry>/<name>` (and `docker.io/library/<name>` for a
 *    one-segment name), when exactly one repository matches. Several matches are ambiguous:
 *    nothing is served and the candidates are named, so the engineer can add `?ns=` or
 *    the full name rather than get an image from the wrong supplier.
 *
 * Hints are only read when they are well-formed host names; the name itself was validated
 * against the distribution grammar before it gets here.
 */
export function createRepositoryResolver(
  store: Pick<Store, 'db'>,
): (name: string, hints: NameHints) => Resolution {
  const refsOf = (repository: string): StoredRef[] =>
    refsOfRepository(store, repository)
      .map(storedRef)
      .filter((r) => r.repository === repository);

  return (name, hints) => {
    for (const repository of exactCandidates(name, hints)) {
      const refs = refsOf(repository);
      if (refs.length > 0) return { found: true, repository, refs };
    }
    const matches = new Map<string, StoredRef[]>();
    const add = (ref: StoredRef) =>
      matches.set(ref.repository, [...(matches.get(ref.repository) ?? []), ref]);
    for (const ref of refsNamedAnywhere(store, name).map(storedRef)) {
      const slash = ref.repository.indexOf('/');
      if (slash > 0 && ref.repository.slice(slash + 1) === name) add(ref);
    }
    if (!name.includes('/')) for (const ref of refsOf(`${DOCKER_HUB}/library/${name}`)) add(ref);
    if (matches.size === 1) {
      const [[repository, refs]] = [...matches] as [[string, StoredRef[]]];
      return { found: true, repository, refs };
    }
    return { found: false, candidates: [...matches.keys()].sort() };
  };
}

/** Rules 1–3, in order, without duplicates. */
function exactCandidates(name: string, hints: NameHints): string[] {
  const candidates: string[] = [];
  for (const host of [...hintHosts(hints.namespace), ...hintHosts(hints.host)]) {
    candidates.push(host === DOCKER_HUB ? dockerHubName(name) : `${host}/${name}`);
  }
  const slash = name.indexOf('/');
  const first = slash > 0 ? name.slice(0, slash) : '';
  candidates.push(DOCKER_HUB_ALIASES.has(first) ? dockerHubName(name.slice(slash + 1)) : name);
  if (first === 'library') candidates.push(`${DOCKER_HUB}/${name}`);
  return [...new Set(candidates)];
}

/** A hint as host names to try: as given, then without its port; Docker Hub's as docker.io. */
function hintHosts(hint: string | null | undefined): string[] {
  const host = hint?.trim().toLowerCase();
  if (!host || !HOST.test(host)) return [];
  const withoutPort = host.replace(/:\d+$/, '');
  return [...new Set([host, withoutPort])].map((h) => (DOCKER_HUB_ALIASES.has(h) ? DOCKER_HUB : h));
}

/** A name on Docker Hub: one segment means an official image, `library/<name>`. */
function dockerHubName(path: string): string {
  return `${DOCKER_HUB}/${path.includes('/') ? path : `library/${path}`}`;
}

import { hostname } from 'node:os';
import type { Actor } from '../../../shared/audit/audit-entry';
import { engineerName, osUserName } from '../store/installation';
import type { Store } from '../store/store';
import { scopedActor, type Face } from './actor-scope';

export { hasActor, runAsActor } from './actor-scope';

/**
 * Who is doing the current operation. Outside any scope (a test, a script calling use cases)
 * it is the OS user on the CLI: use cases are the CLI's own road.
 */
export function currentActor(store: Pick<Store, 'paths'>): Actor {
  const named = scopedActor();
  if (named !== undefined && typeof named === 'object') return named;
  return stationActor(store, named ?? 'cli');
}

/** The operating-system user, the engineer name set for this data home, this host. */
export function stationActor(store: Pick<Store, 'paths'>, via: Face): Actor {
  const engineer = engineerName(store);
  const user = osUserName();
  return {
    user,
    ...(engineer && engineer !== user ? { engineer } : {}),
    host: hostname(),
    via,
  };
}

/** A named account of the browser host: the person signed in, on this station. */
export function accountActor(account: string): Actor {
  return { user: account, host: hostname(), via: 'browser' };
}

import { SCREEN_TITLES, hashOf, parseHash } from './route';

/**
 * The view that failed to draw, remembered for the next load of this window (sessionStorage:
 * a reload keeps it, a new window does not). The address keeps the route, so without this a
 * view that fails at every drawing would be reopened at every reload.
 */
const KEY = 'commissioner.crashedRoute';

type Place = Pick<Window, 'location' | 'history' | 'sessionStorage'>;

/** Canonical, so `#catalog` and `#/catalog` are the same view. */
function canonical(hash: string): string {
  return hashOf(parseHash(hash));
}

/** Called by the app's own error boundaries: the view at `hash` failed to draw. */
export function recordCrashedRoute(hash: string, place: Place = window): void {
  try {
    place.sessionStorage.setItem(KEY, canonical(hash));
  } catch {
    // Storage refused (full, or disabled): the next load may reopen the view, nothing worse.
  }
}

/**
 * At load, before the route is read: when the address is the view that failed at the last
 * load, the address becomes the catalog and the sentence returned says why; otherwise null.
 * The record is used once either way.
 */
export function leaveCrashedRoute(place: Place = window): string | null {
  let crashed: string | null;
  try {
    crashed = place.sessionStorage.getItem(KEY);
    place.sessionStorage.removeItem(KEY);
  } catch {
    return null;
  }
  if (crashed === null || crashed !== canonical(place.location.hash)) return null;
  const route = parseHash(crashed);
  const catalog = hashOf({ screen: 'catalog', params: {} });
  place.history.replaceState(place.history.state, '', catalog);
  const what = route.params.app ? ` for ${route.params.app}` : '';
  return `The ${SCREEN_TITLES[route.screen]} view${what} stopped with an error at the last load, so Commissioner opened the catalog instead.`;
}

import { useCallback, useEffect, useState } from 'react';

export type Screen = 'catalog' | 'devices' | 'compat' | 'import' | 'settings';
export const SCREENS: readonly Screen[] = ['catalog', 'devices', 'compat', 'import', 'settings'];

export interface Route {
  screen: Screen;
  /** e.g. `app` (catalog: the app whose detail is open), `job` (import: the job shown). */
  params: Record<string, string>;
}

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const screen = (SCREENS as readonly string[]).includes(path) ? (path as Screen) : 'catalog';
  return { screen, params: Object.fromEntries(new URLSearchParams(query)) };
}

export function hashOf(route: Route): string {
  const query = new URLSearchParams(route.params).toString();
  return `#/${route.screen}${query ? `?${query}` : ''}`;
}

/** The screen in the address (`#/devices`), so reloads and links keep it. */
export function useHashRoute(): [Route, (route: Route, replace?: boolean) => void] {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((next: Route, replace = false) => {
    const hash = hashOf(next);
    if (hash === window.location.hash) return;
    if (replace) window.history.replaceState(window.history.state, '', hash);
    else window.history.pushState(window.history.state, '', hash);
    setRoute(parseHash(hash));
  }, []);
  return [route, navigate];
}

import { useCallback, useEffect, useState } from 'react';

export type Screen =
  'catalog' | 'devices' | 'compat' | 'import' | 'deploy' | 'deployments' | 'settings';
export const SCREENS: readonly Screen[] = [
  'catalog',
  'devices',
  'compat',
  'import',
  'deploy',
  'deployments',
  'settings',
];

/** The screens' names, as the window title and the navigation say them. */
export const SCREEN_TITLES: Record<Screen, string> = {
  catalog: 'Catalog',
  devices: 'Devices',
  compat: 'Compatibility',
  import: 'Imports',
  deploy: 'Deploy',
  deployments: 'Deployments',
  settings: 'Settings',
};

export interface Route {
  screen: Screen;
  /**
   * e.g. `app` (catalog: the app whose detail is open), `job` (import, deploy: the job shown),
   * `version` and `devices` (deploy: comma-separated device names), `id` (deployments).
   */
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

/** The deploy wizard's address: the app (and version), devices chosen beforehand, its job. */
export function deployRoute(target: {
  app?: string | undefined;
  version?: string | undefined;
  devices?: readonly string[] | undefined;
  job?: string | undefined;
}): Route {
  const params: Record<string, string> = {};
  if (target.app) params.app = target.app;
  if (target.version) params.version = target.version;
  if (target.devices?.length) params.devices = target.devices.join(',');
  if (target.job) params.job = target.job;
  return { screen: 'deploy', params };
}

/** The `devices` parameter of the deploy route as names (device names hold no commas). */
export function routeDevices(route: Route): string[] {
  return (route.params.devices ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
}

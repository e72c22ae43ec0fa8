import { lazy, type ComponentType } from 'react';
import type { Screen } from './state/route';

/**
 * Every screen but the catalog (the first screen) is its own chunk, fetched when it is first
 * opened, or when the pointer or focus reaches its entry in the navigation (`preloadScreen`),
 * so the first paint waits for the catalog's code only. The deploy wizard's chunk loads the form
 * library only once a configuration form is shown (ConfigureStep's own lazy ConfigForm).
 */
const loaders = {
  devices: () => import('./screens/devices/DevicesScreen').then((m) => m.DevicesScreen),
  compat: () => import('./screens/compat/CompatScreen').then((m) => m.CompatScreen),
  import: () => import('./screens/import/ImportScreen').then((m) => m.ImportScreen),
  deploy: () => import('./screens/deploy/DeployScreen').then((m) => m.DeployScreen),
  deployments: () =>
    import('./screens/deployments/DeploymentsScreen').then((m) => m.DeploymentsScreen),
  settings: () => import('./screens/settings/SettingsScreen').then((m) => m.SettingsScreen),
};

function screen<P>(load: () => Promise<ComponentType<P>>) {
  return lazy(() => load().then((component) => ({ default: component })));
}

export const DevicesScreen = screen(loaders.devices);
export const CompatScreen = screen(loaders.compat);
export const ImportScreen = screen(loaders.import);
export const DeployScreen = screen(loaders.deploy);
export const DeploymentsScreen = screen(loaders.deployments);
export const SettingsScreen = screen(loaders.settings);

/**
 * Fetches a screen's chunk ahead of its opening (a chunk is fetched once); resolves when it is
 * in. A failure is left to the opening, whose view boundary says what to do.
 */
export async function preloadScreen(name: Screen): Promise<void> {
  if (name !== 'catalog') await loaders[name]().catch(() => undefined);
}

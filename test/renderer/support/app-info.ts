import type { AppInfo } from '../../../shared/contract/app-info';

/** What app.info answers for a fresh data home (the provider asks it first). */
export const APP_INFO: AppInfo = {
  version: '0.1.0',
  host: 'browser',
  firstStart: true,
  demoKit: { available: false, imported: false },
  margo: null,
};

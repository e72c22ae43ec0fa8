import { existsSync, readFileSync } from 'node:fs';
import type { AppInfo } from '../../../shared/contract/app-info';
import { storeCounts, versionsImportedFrom } from '../store/store-summary';
import type { Store } from '../store/store';

/** The source name the demo kit's packages are recorded under. */
export const DEMO_SOURCE = 'demo kit';

/** What a face tells about the app: version, first start, the demo kit, Margo serving. */
export function appInfo(
  store: Store,
  face: {
    host: AppInfo['host'];
    demoKit: string | undefined;
    margo: AppInfo['margo'];
  },
): AppInfo {
  const counts = storeCounts(store);
  return {
    version: appVersion(),
    host: face.host,
    firstStart: counts.applications === 0 && counts.devices === 0,
    demoKit: {
      available: face.demoKit !== undefined && existsSync(face.demoKit),
      imported: versionsImportedFrom(store, DEMO_SOURCE) > 0,
    },
    margo: face.margo,
  };
}

let version: string | undefined;
/** The version in package.json (the one the installers carry). */
export function appVersion(): string {
  if (version === undefined) {
    try {
      const pkg = JSON.parse(
        readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
      ) as { version?: string };
      version = pkg.version ?? '0.0.0';
    } catch {
      version = '0.0.0';
    }
  }
  return version;
}

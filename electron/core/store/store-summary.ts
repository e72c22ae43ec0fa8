import { namedStatements } from './statements';
import type { Store } from './store';

const SQL = namedStatements({
  applications: 'SELECT COUNT(*) FROM applications',
  devices: 'SELECT COUNT(*) FROM devices',
  versionsFromSource: 'SELECT COUNT(*) FROM package_versions WHERE source = ?',
});

/** How much the store holds: nothing at all means a first start. */
export function storeCounts(store: Store): { applications: number; devices: number } {
  const sql = SQL(store.db);
  return {
    applications: sql.applications.pluck().get() as number,
    devices: sql.devices.pluck().get() as number,
  };
}

/** How many package versions were imported from a source (by the name it was recorded under). */
export function versionsImportedFrom(store: Store, source: string): number {
  return SQL(store.db).versionsFromSource.pluck().get(source) as number;
}

import { compatibilityRows } from '../../../shared/compatibility/evaluate';
import type { CatalogFacets, CatalogPage, CatalogQuery } from '../../../shared/contract/catalog';
import type { CatalogEntry } from '../../../shared/contract/catalog-entry';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { compatibilityDevice } from '../devices/device-compatibility';
import { getDevice } from '../store/device-inventory';
import {
  catalogRowsPage,
  iconResource,
  listCatalog,
  packageDocument,
  searchCatalog,
  type CatalogRow,
} from '../store/catalog-reader';
import { packageVerdicts } from '../trust/artifact-trust';
import type { Store } from '../store/store';
import { iconDataUrl } from './application-icon';

const DEFAULT_LIMIT = 200;

/**
 * A page of the catalog as the UI asks for it. A search alone is answered by the search table
 * (one FTS query per keystroke); filters (tags, organization, type, runs on a device) narrow
 * the matches first, then the page is cut.
 */
export function catalogPage(store: Store, query: CatalogQuery): CatalogPage {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  const search = query.search?.trim() ? query.search : undefined;
  const filtered =
    (query.tags?.length ?? 0) > 0 ||
    query.organization !== undefined ||
    query.type !== undefined ||
    query.runsOn !== undefined;
  if (!filtered) {
    if (search !== undefined) {
      const page = searchCatalog(store.db, search, { limit, offset });
      return { total: page.total, entries: withTrust(store, page.entries) };
    }
    const page = catalogRowsPage(store.db, { limit, offset });
    return { total: page.total, entries: withTrust(store, page.entries) };
  }
  let entries = search !== undefined ? listCatalog(store.db, search) : listCatalog(store.db);
  entries = entries.filter(
    (e) =>
      (query.tags ?? []).every((t) => e.tags.includes(t)) &&
      (query.organization === undefined || e.organization === query.organization) &&
      (query.type === undefined || e.profiles.includes(query.type)),
  );
  if (query.runsOn !== undefined) entries = runnableOn(store, entries, query.runsOn);
  return {
    total: entries.length,
    entries: withTrust(store, entries.slice(offset, offset + limit)),
  };
}

/** The rows with their signature badge: only the rows shown are judged (again, if stale). */
function withTrust(store: Store, rows: readonly CatalogRow[]): CatalogEntry[] {
  const verdicts = packageVerdicts(store, rows);
  return rows.map((row, i) => ({ ...row, trust: verdicts[i] ?? 'unsigned' }));
}

/** The entries with a profile the device can run, or may (unknown facts do not exclude). */
function runnableOn(store: Store, entries: CatalogRow[], deviceName: string): CatalogRow[] {
  const device = getDevice(store, deviceName);
  const view = device ? compatibilityDevice(device) : undefined;
  if (!view) return entries; // never probed: nothing is known, nothing is excluded
  return entries.filter((e) => {
    const text = packageDocument(store.db, e.id, e.version);
    if (!text) return false;
    const description = JSON.parse(text) as ApplicationDescription;
    return compatibilityRows(description, view).some((r) => r.verdict !== 'incompatible');
  });
}

/** The values the filters offer, each with how many applications (latest versions) have it. */
export function catalogFacets(store: Store): CatalogFacets {
  const tags = new Map<string, number>();
  const organizations = new Map<string, number>();
  const types = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const e of listCatalog(store.db)) {
    for (const t of new Set(e.tags)) bump(tags, t);
    bump(organizations, e.organization);
    for (const p of new Set(e.profiles)) bump(types, p);
  }
  const sorted = (map: Map<string, number>) =>
    [...map]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  return { tags: sorted(tags), organizations: sorted(organizations), types: sorted(types) };
}

/** Every application at its latest version (`catalog list`), or those matching every word. */
export function listApplications(store: Store, search?: string): CatalogEntry[] {
  return withTrust(store, listCatalog(store.db, search));
}

/** The icons of the rows on screen, as data URLs (null when an app has none it can show). */
export function applicationIcons(store: Store, apps: readonly { id: string; version: string }[]) {
  return apps.map((a) => ({
    ...a,
    icon: iconDataUrl(store, iconResource(store.db, a.id, a.version)),
  }));
}

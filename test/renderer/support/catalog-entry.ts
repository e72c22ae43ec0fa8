import type { CatalogEntry } from '../../../shared/contract/catalog-entry';

/** A catalog row as `catalog.list` answers it: unsigned, with one compose profile, no tags. */
export function catalogEntry(id: string, more: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    id,
    name: `App ${id}`,
    version: '1.0.0',
    tagline: null,
    organization: 'Acme Industrial',
    tags: [],
    profiles: ['compose'],
    trust: 'unsigned',
    ...more,
  };
}

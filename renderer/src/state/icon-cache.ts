import type { Transport } from '../transport/transport';
import { BatchedLookup, useLookup } from './batched-lookup';

/**
 * Icons for the catalog rows on screen (`catalog.icons`, batched per frame). A version's icon
 * never changes: it is never forgotten. On failure a row keeps its initials.
 */
export class IconCache extends BatchedLookup<string | null> {
  constructor(transport: Transport) {
    super(
      (apps) =>
        transport
          .call('catalog.icons', { apps })
          .then(({ icons }) =>
            icons.map(({ id, version, icon }) => ({ id, version, value: icon })),
          ),
      null,
    );
  }
}

/** A row's icon: undefined while asked for, null when the package has none. */
export function useIcon(cache: IconCache, id: string, version: string): string | null | undefined {
  return useLookup(cache, id, version);
}

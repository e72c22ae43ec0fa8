import type { AppReach } from '../../../shared/contract/catalog';
import type { Transport } from '../transport/transport';
import { BatchedLookup } from './batched-lookup';

export type Reach = AppReach['apps'][number];

/**
 * Where each catalog card's app runs (`catalog.reach`, batched per frame like the icons).
 * Unlike an icon it changes with the inventory: a device added, probed or removed, or an app
 * imported, and it is asked again. On failure the card says nothing about it (null).
 */
export class ReachCache extends BatchedLookup<Reach | null> {
  constructor(transport: Transport) {
    super(
      (apps) =>
        transport
          .call('catalog.reach', { apps })
          .then((answer) => answer.apps.map((reach) => ({ ...reach, value: reach }))),
      null,
    );
  }
}

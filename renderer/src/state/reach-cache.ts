import type { AppReach } from '../../../shared/contract/catalog';
import type { Transport } from '../transport/transport';
import { BatchedLookup } from './batched-lookup';

export type Reach = AppReach['apps'][number];

/**
 * How long the cards must stop changing before their reach is asked: working it out reads each
 * app's compose files (host access) and judges it against every device, so it waits for a
 * pause in typing or scrolling rather than competing with the search's own answers.
 */
export const REACH_QUIET_MS = 250;

/**
 * Where each catalog card's app runs (`catalog.reach`, batched like the icons, once the cards
 * on screen have settled).
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
      REACH_QUIET_MS,
    );
  }
}

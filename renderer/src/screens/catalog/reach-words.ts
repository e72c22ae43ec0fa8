import { useState } from 'react';
import { plural } from '../../format';
import { useStoreChanged } from '../../state/app-state';
import { useLookup } from '../../state/batched-lookup';
import type { Reach, ReachCache } from '../../state/reach-cache';

/** A card's words for where its app runs: in full, and for a list row. */
export function reachWords(reach: Reach): { long: string; short: string } {
  if (reach.devices === 0) return { long: 'No devices yet', short: 'no devices yet' };
  const may = reach.mayRunOn > 0 ? `, may run on ${reach.mayRunOn} more` : '';
  if (reach.runsOn === 0 && reach.mayRunOn === 0) {
    return {
      long: `Runs on none of the ${plural(reach.devices, 'device')}`,
      short: `runs on 0 of ${reach.devices}`,
    };
  }
  return {
    long: `Runs on ${reach.runsOn} of ${plural(reach.devices, 'device')}${may}`,
    short: `runs on ${reach.runsOn} of ${reach.devices}`,
  };
}

/**
 * A card's reach: undefined while asked for, null when it could not be told. It follows the
 * inventory: a device added, probed or removed, or an app imported, and it is asked again.
 */
export function useReach(cache: ReachCache, id: string, version: string): Reach | null | undefined {
  const [refresh, setRefresh] = useState(0);
  useStoreChanged(['devices', 'catalog'], () => {
    cache.forget();
    setRefresh((n) => n + 1);
  });
  return useLookup(cache, id, version, refresh);
}

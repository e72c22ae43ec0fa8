import type { AppReach } from '../../../shared/contract/catalog';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { applicationHostAccess } from '../host-access/component-review';
import { showApplication } from '../store/catalog-reader';
import { listDevices } from '../store/device-inventory';
import type { Store } from '../store/store';
import { applicationCells } from './compatibility';

type Reach = AppReach['apps'][number];

/**
 * For the catalog's cards on screen: on how many devices each application version runs (as
 * the compatibility matrix judges it, host access included) and whether it reaches into the
 * device itself. Asked for the few cards shown, never for the whole catalog.
 */
export async function applicationReach(
  store: Store,
  apps: readonly { id: string; version: string }[],
): Promise<AppReach> {
  const devices = listDevices(store);
  const out: Reach[] = [];
  for (const { id, version } of apps) {
    const detail = showApplication(store.db, id, version);
    if (!detail) continue; // removed since the page was read: its card goes with the next page
    const description = detail.document as ApplicationDescription;
    const cells = await applicationCells(store, id, description, devices);
    const access = await applicationHostAccess(store, description);
    out.push({
      id,
      version,
      devices: devices.length,
      runsOn: cells.filter((c) => c.verdict === 'compatible').length,
      mayRunOn: cells.filter((c) => c.verdict === 'unknown').length,
      hostAccess: access.some((p) => p.findings.length > 0)
        ? 'needed'
        : access.some((p) => p.unreviewed.length > 0)
          ? 'unknown'
          : 'none',
    });
  }
  return { apps: out };
}

import type { CompatibilityRow } from '../../../shared/compatibility/verdict';
import { verdictOf, type Verdict } from '../../../shared/compatibility/verdict';
import type { Matrix, MatrixCell } from '../../../shared/contract/compatibility';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { compatibilityMatrix } from '../devices/device-compatibility';
import { withHostAccessChecks } from '../host-access/host-access-checks';
import { listDevices, type DeviceRecord } from '../store/device-inventory';
import { listCatalog, showApplication } from '../store/catalog-reader';
import type { Store } from '../store/store';
import { probeDevices } from './probe-devices';
import { describedApplication, type AppRefText } from './show-application';
import { noDevice } from './update-device';

/**
 * On which device each profile of an application can run and, where it cannot, why — from
 * the last probe of each device (`probe` asks the named devices, or all, first).
 */
export async function applicationCompatibility(
  store: Store,
  ref: AppRefText,
  options: { devices?: readonly string[]; probe?: boolean } = {},
): Promise<{
  app: { id: string; name: string; version: string };
  devices: DeviceRecord[];
  rows: CompatibilityRow[];
}> {
  const { detail, description } = describedApplication(store, ref);
  const wanted = options.devices ?? [];
  const unknown = wanted.filter((n) => !listDevices(store).some((d) => d.name === n));
  if (unknown.length > 0) throw noDevice(unknown.join(', '));
  if (options.probe) await probeDevices(store, wanted);
  const devices = listDevices(store).filter((d) => wanted.length === 0 || wanted.includes(d.name));
  return {
    app: { id: detail.id, name: detail.name, version: detail.version },
    devices,
    rows: await withHostAccessChecks(
      store,
      description,
      devices,
      compatibilityMatrix(description, devices),
    ),
  };
}

const RANK: Record<Verdict, number> = { compatible: 0, unknown: 1, incompatible: 2 };

/**
 * One application version on each device: the best of its profiles there (host access
 * included), with every profile's checks.
 */
export async function applicationCells(
  store: Store,
  appId: string,
  description: ApplicationDescription,
  devices: readonly DeviceRecord[],
): Promise<MatrixCell[]> {
  const rows = await withHostAccessChecks(
    store,
    description,
    devices,
    compatibilityMatrix(description, devices),
  );
  return devices.map((device) => {
    const profiles = rows
      .filter((r) => r.device === device.name)
      .map((r) => ({ profile: r.profile, verdict: verdictOf(r.checks), checks: r.checks }));
    const verdict = profiles.reduce<Verdict>(
      (best, p) => (RANK[p.verdict] < RANK[best] ? p.verdict : best),
      'incompatible',
    );
    return { appId, device: device.name, verdict, profiles };
  });
}

/** Apps (latest versions) × devices, each cell the best of the app's profiles. */
export async function compatibilityOverview(
  store: Store,
  appIds?: readonly string[],
  deviceNames?: readonly string[],
): Promise<Matrix> {
  const devices = listDevices(store).filter((d) => !deviceNames || deviceNames.includes(d.name));
  const entries = listCatalog(store.db).filter((e) => !appIds || appIds.includes(e.id));
  const cells: MatrixCell[] = [];
  for (const entry of entries) {
    const detail = showApplication(store.db, entry.id, entry.version);
    if (!detail) continue;
    const description = detail.document as ApplicationDescription;
    cells.push(...(await applicationCells(store, entry.id, description, devices)));
  }
  return {
    apps: entries.map((e) => ({ id: e.id, name: e.name, version: e.version })),
    devices: devices.map((d) => d.name),
    cells,
  };
}

import { verdictOf, type CompatibilityRow } from '../../../shared/compatibility/verdict';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { compatibilityMatrix } from '../../core/devices/device-compatibility';
import { listDevices } from '../../core/devices/device-inventory';
import { probeDevices } from '../../core/devices/probe-devices';
import { parseAppRef, showApplication } from '../../core/store/catalog-reader';
import type { Store } from '../../core/store/store';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';

/**
 * `compat <appId>[@version] [--device <name>…]`: on which device each profile can run and,
 * where it cannot, the exact reasons. Uses the last probe of each device (`--probe` probes
 * first).
 */
export async function runCompat(
  store: Store,
  ref: string,
  options: { device?: string[]; json?: boolean; probe?: boolean },
  output: Output,
): Promise<ExitCode> {
  const { id, version } = parseAppRef(ref);
  const app = showApplication(store.db, id, version);
  if (!app) {
    output.err(
      `commissioner compat: ${ref} is not in the catalog (commissioner catalog list shows what is)`,
    );
    return EXIT.findings;
  }
  const wanted = options.device ?? [];
  const all = listDevices(store);
  const missing = wanted.filter((n) => !all.some((d) => d.name === n));
  if (missing.length > 0) {
    output.err(`commissioner compat: no device named ${missing.join(', ')}`);
    return EXIT.usage;
  }
  if (options.probe) await probeDevices(store, wanted);
  const devices = listDevices(store).filter((d) => wanted.length === 0 || wanted.includes(d.name));
  const rows = compatibilityMatrix(app.document as ApplicationDescription, devices);
  if (options.json) {
    output.out(JSON.stringify(rows));
    return EXIT.ok;
  }
  if (devices.length === 0) {
    output.out('no devices in the inventory: add them with commissioner devices add');
    return EXIT.ok;
  }
  output.out(`${app.name} ${app.version} (${app.id})`);
  output.out(
    textTable([
      ['DEVICE', 'PROFILE', 'VERDICT'],
      ...rows.map((r) => [r.device, r.profile, verdictWord(r)]),
    ]),
  );
  for (const r of rows.filter((r) => r.verdict !== 'compatible')) {
    output.out(`\n${r.device} × ${r.profile}: ${r.verdict}`);
    for (const c of r.checks.filter((c) => c.status !== 'passed')) {
      output.out(
        `  ${c.status === 'failed' ? 'FAILED ' : 'UNKNOWN'} ${c.name}: ${c.reason} (needs ${c.expected}; has ${c.actual})`,
      );
    }
  }
  return EXIT.ok;
}

function verdictWord(r: CompatibilityRow): string {
  return verdictOf(r.checks) === 'compatible'
    ? 'compatible'
    : r.verdict === 'incompatible'
      ? 'INCOMPATIBLE'
      : 'unknown';
}

import { verdictOf, type CompatibilityRow } from '../../../shared/compatibility/verdict';
import type { Store } from '../../core/store/store';
import { applicationCompatibility } from '../../core/use-cases/compatibility';
import { reportFailure } from '../cli-failure';
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
  let result;
  try {
    result = await applicationCompatibility(store, ref, {
      devices: options.device ?? [],
      probe: options.probe === true,
    });
  } catch (e) {
    return reportFailure(output, 'compat', e, (error) =>
      error.name === 'not-found' && error.details.thing === 'device' ? EXIT.usage : undefined,
    );
  }
  const { app, devices, rows } = result;
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

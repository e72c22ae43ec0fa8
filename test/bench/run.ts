/**
 * `npm run bench`: performance targets measured as ratios or absolute numbers against a
 * reference measured in the same run, never as timed tests. Prints one line per measure and
 * writes test-results/bench.json; exits 1 when a target is missed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backupBenchmarks } from './backup-bench';
import { cliBenchmarks } from './cli-bench';
import { deployBenchmarks } from './deploy-bench';
import { devicesBenchmarks } from './devices-bench';
import { importBenchmarks } from './import-bench';
import { signedImportBenchmarks } from './signed-import-bench';
import { sideLoadBenchmarks } from './side-load-bench';
import { formBenchmarks } from './form-bench';
import { uiBenchmarks } from './ui-bench';
import { wfmBenchmarks } from './wfm-bench';

export interface Measure {
  name: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean;
  detail?: string;
  /** Why this measure could not be taken here (printed as SKIP, not counted as a miss). */
  skipped?: string;
}

const only = process.argv.slice(2);
const suites: [string, () => Promise<Measure[]>][] = [
  ['import', () => importBenchmarks()],
  // One part of `import` alone (a full run takes ~40 minutes on a shared 2-core machine).
  ['import:small', () => importBenchmarks(['small'])],
  ['import:store', () => importBenchmarks(['store'])],
  ['import:copy', () => importBenchmarks(['copy'])],
  ['signed-import', signedImportBenchmarks],
  ['devices', devicesBenchmarks],
  ['side-load', sideLoadBenchmarks],
  ['deploy', deployBenchmarks],
  ['ui', uiBenchmarks],
  ['form', formBenchmarks],
  ['wfm', wfmBenchmarks],
  ['cli', cliBenchmarks],
  ['backup', backupBenchmarks],
];
const results: Measure[] = [];
for (const [name, run] of suites) {
  // A part runs only when named: `npm run bench` (all suites) runs `import` whole once.
  if (only.length > 0 ? !only.includes(name) : name.includes(':')) continue;
  process.stderr.write(`bench: ${name}…\n`);
  for (const m of await run()) {
    results.push(m);
    if (m.skipped !== undefined) {
      process.stdout.write(`SKIP  ${m.name} (target ${m.target}): ${m.skipped}\n`);
      continue;
    }
    process.stdout.write(
      `${m.pass ? 'PASS' : 'MISS'}  ${m.name}: ${m.value} ${m.unit} (target ${m.target})${m.detail ? `  — ${m.detail}` : ''}\n`,
    );
  }
}
const out = join(new URL('../..', import.meta.url).pathname, 'test-results');
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'bench.json'),
  `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`,
);
process.exitCode = results.every((m) => m.pass || m.skipped !== undefined) ? 0 : 1;

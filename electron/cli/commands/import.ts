import type { ImportReport } from '../../core/import/import-report';
import type { Store } from '../../core/store/store';
import { importPackages } from '../../core/use-cases/import-packages';
import { resolveFromCaller } from '../caller-directory';
import { reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import { formatDiagnostic, plural, type Output } from '../output';
import { progressPrinter } from '../progress-bar';
import { signatureLines } from '../signature-lines';

export interface ImportCommandOptions {
  json?: boolean;
  withDependencies?: boolean;
  plainHttp?: boolean;
  ca?: string;
  username?: string;
  passwordStdin?: boolean;
}

/**
 * `import <source>...`: exit 0 when everything was imported or unchanged, 1 when anything was
 * refused, invalid or in conflict, 2 when a source cannot be read.
 */
export async function runImport(
  store: Store,
  sources: string[],
  options: ImportCommandOptions,
  output: Output,
  readStdin: () => Promise<string>,
): Promise<ExitCode> {
  const password = options.passwordStdin
    ? (await readStdin()).replace(/\r?\n$/, '')
    : process.env.COMMISSIONER_REGISTRY_PASSWORD;
  if (options.username && password === undefined) {
    output.err(
      'commissioner import: --username needs a password: pipe it to --password-stdin or set COMMISSIONER_REGISTRY_PASSWORD',
    );
    return EXIT.usage;
  }
  const progress = progressPrinter();
  let report: ImportReport;
  try {
    report = await importPackages(store, {
      sources: sources.map((input) => ({
        input,
        path: input.startsWith('oci://') ? input : resolveFromCaller(input),
      })),
      withDependencies: options.withDependencies ?? false,
      registry: {
        ...(options.plainHttp ? { plainHttp: true } : {}),
        ...(options.ca
          ? { caFile: { path: resolveFromCaller(options.ca), shownAs: options.ca } }
          : {}),
        ...(options.username && password !== undefined
          ? { credentials: { username: options.username, password } }
          : {}),
      },
      onProgress: (p) => progress.update(p),
    });
  } catch (e) {
    return reportFailure(output, 'import', e);
  } finally {
    progress.end();
  }
  if (options.json) output.out(JSON.stringify(report));
  else printReport(report, output);
  if (report.unreadable.length > 0) return EXIT.usage;
  if (report.refused.length + report.invalid.length + report.conflicts.length > 0)
    return EXIT.findings;
  return EXIT.ok;
}

function printReport(report: ImportReport, output: Output): void {
  const name = (i: {
    kind: string;
    ref: string;
    id?: string | undefined;
    version?: string | undefined;
  }) => (i.id ? `${i.kind} ${i.id} ${i.version}` : `${i.kind} ${i.ref}`);
  for (const i of report.imported) output.out(`imported    ${name(i)}  (${i.source})`);
  for (const i of report.unchanged) output.out(`unchanged   ${name(i)}  (${i.source})`);
  for (const c of report.conflicts) output.out(`conflict    ${name(c)}: ${c.message}`);
  for (const i of report.invalid) {
    output.out(`invalid     ${i.ref ?? i.source}: ${i.message}`);
    for (const d of i.diagnostics) output.out(`  ${formatDiagnostic(d, output.tty)}`);
  }
  for (const r of report.refused) output.out(`refused     ${r.source}: ${r.message}`);
  for (const u of report.unreadable) output.out(`unreadable  ${u.source}: ${u.message}`);
  for (const s of report.skipped) output.out(`skipped     ${s.source}: ${s.message}`);
  for (const line of signatureLines(report.signatures)) output.out(line);
  output.out(
    [
      plural(report.imported.length, 'imported').replace(/s$/, ''),
      `${report.unchanged.length} unchanged`,
      plural(report.conflicts.length, 'conflict'),
      `${report.invalid.length} invalid`,
      `${report.refused.length} refused`,
      `${report.unreadable.length} unreadable`,
    ].join(', '),
  );
}

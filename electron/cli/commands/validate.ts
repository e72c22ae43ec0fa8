import type { Diagnostic } from '../../../shared/validation/diagnostic';
import { validateDocuments } from '../../core/use-cases/validate-documents';
import { resolveFromCaller } from '../caller-directory';
import { reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import { formatDiagnostic, plural, type Output } from '../output';

export interface ValidateOptions {
  json?: boolean;
}

/**
 * `validate <path>...`: exit 0 without errors, 1 with errors (YAML syntax, encoding and size
 * included), 2 only when a path is missing or unreadable.
 */
export async function runValidate(
  paths: string[],
  options: ValidateOptions,
  output: Output,
): Promise<ExitCode> {
  let report;
  try {
    report = await validateDocuments(
      paths.map((path) => ({
        path: resolveFromCaller(path),
        shownAs: path.replace(/[\\/]+$/, '') || path,
      })),
    );
  } catch (e) {
    return reportFailure(output, 'validate', e);
  }
  if (options.json) {
    output.out(JSON.stringify(report));
  } else {
    for (const d of report.diagnostics) output.out(formatDiagnostic(d, output.tty));
    output.out(summary(paths, report.diagnostics));
  }
  return report.valid ? EXIT.ok : EXIT.findings;
}

function summary(paths: string[], diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const what = paths.length === 1 ? paths[0] : plural(paths.length, 'path');
  if (errors > 0)
    return `${what}: invalid, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  return `${what}: valid${warnings ? `, ${plural(warnings, 'warning')}` : ', no findings'}`;
}

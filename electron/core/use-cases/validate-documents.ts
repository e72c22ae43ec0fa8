import {
  hasErrors,
  type Diagnostic,
  type ValidationReport,
} from '../../../shared/validation/diagnostic';
import { validatePath } from '../validation/validate-path';

/**
 * Checks Margo documents and package folders; diagnostics name the path as the engineer wrote
 * it. A path that is missing or unreadable is refused (`invalid-input`) before any result.
 */
export async function validateDocuments(
  paths: readonly { path: string; shownAs: string }[],
): Promise<ValidationReport> {
  const diagnostics: Diagnostic[] = [];
  for (const { path, shownAs } of paths) {
    diagnostics.push(...(await validatePath(path, shownAs)).diagnostics);
  }
  return { valid: !hasErrors(diagnostics), diagnostics };
}

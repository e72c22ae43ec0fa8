import type { ContractError } from '../../../shared/contract/contract-error';
import { locationOf } from '../format';

/** Details shown under a message: enough to act on, not a dump. */
const MAX_LINES = 20;

/**
 * What an error's details hold that a person can act on, one line each: a document's findings
 * at their file:line:column, the refused values by setting, the rules that refused, the
 * profiles to choose from, the request's faulty fields. The error's name is for the screens
 * that match on it; it is never shown.
 */
export function errorDetailLines(error: ContractError): string[] {
  const lines = ((): string[] => {
    switch (error.name) {
      case 'invalid-document':
        return error.details.diagnostics.map(
          (d) => `${locationOf(d)} ${d.severity} [${d.rule}] ${d.message}`,
        );
      case 'invalid-values':
        return error.details.errors.map(
          (e) =>
            `${e.setting ?? e.parameter}: ${e.message}${e.source ? ` (from ${e.source})` : ''}`,
        );
      case 'refused':
        return error.details.reasons;
      case 'choose-profile':
        return [`Profiles to choose from: ${error.details.profiles.join(', ')}`];
      case 'invalid-request':
        return error.details.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
      default:
        // The message says it all (which device, which deployment, which file).
        return [];
    }
  })();
  return lines.length > MAX_LINES
    ? [...lines.slice(0, MAX_LINES), `… and ${lines.length - MAX_LINES} more`]
    : lines;
}

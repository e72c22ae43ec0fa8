import type { AuditInputs } from '../../../shared/audit/audit-entry';
import { buildFormModel } from '../../../shared/configuration/form-model';
import { isSecretParameter } from '../../../shared/configuration/secret-heuristic';
import type { ApplicationDescription } from '../../../shared/margo/application-description';

/** Longest value text kept in an entry: the digests pin the rest. */
const VALUE_CHARS = 200;

/**
 * The parameter names of an application that hold secrets, in any of its profiles: the same
 * rule the form and `deployments show` mask with.
 */
export function secretNames(description: ApplicationDescription): Set<string> {
  const names = new Set<string>();
  for (const profile of description.deploymentProfiles) {
    for (const field of buildFormModel(description, profile).fields) {
      if (field.secret) names.add(field.parameter);
    }
  }
  for (const [name, parameter] of Object.entries(description.parameters ?? {})) {
    if (isSecretParameter(name, parameter)) names.add(name);
  }
  return names;
}

/**
 * Values as an audit entry holds them: `name=value` for plain ones; a secret only by its name
 * in `secrets` (it was given), never its value.
 */
export function valuesSummary(
  values: Readonly<Record<string, unknown>>,
  secrets: ReadonlySet<string>,
  prefix = '',
): AuditInputs {
  const plain: string[] = [];
  const given: string[] = [];
  for (const [name, value] of Object.entries(values).sort(([a], [b]) => a.localeCompare(b))) {
    if (secrets.has(name) || isSecretParameter(name, undefined)) given.push(name);
    else plain.push(`${name}=${valueText(value)}`);
  }
  return { [`${prefix}values`]: plain, [`${prefix}secrets`]: given };
}

function valueText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS)}…` : text;
}

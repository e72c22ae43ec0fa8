import { statSync } from 'node:fs';
import { CommissionerError, type ValueProblem } from '../../../shared/contract/contract-error';
import { parameterRules } from '../../../shared/configuration/parameter-rules';
import type { ConfigurationError } from '../../../shared/configuration/validate-configuration';
import { parseValueText, readValuesYaml } from '../../../shared/configuration/value-text';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import type { Diagnostic } from '../../../shared/validation/diagnostic';
import { MAX_DOCUMENT_BYTES } from '../../../shared/validation/validate-document';
import { decodeUtf8 } from '../../../shared/yaml/decode-utf8';
import { readBounded } from '../validation/read-bounded';

/**
 * Parameter values as a request carries them: typed already (the form), and/or as text the
 * engineer wrote — a YAML values file and `parameter=value` assignments, each read as its
 * setting's data type (assignments win over the file, both over `typed`).
 */
export interface ValuesInput {
  typed?: Record<string, unknown>;
  /** A values file: its absolute path, and the name to show in messages (as the engineer wrote it). */
  file?: { path: string; shownAs: string };
  /** `parameter=value`, in order. */
  assignments?: string[];
}

export interface ParameterValues {
  values: Record<string, unknown>;
  /** Where each value came from (`values.yaml:3:16`, `--set x`), for messages. */
  origins: Record<string, string>;
}

/**
 * Reads the values of a request against an application's parameters. A values file with
 * problems is an `invalid-document` (each at its line:column); an unreadable file or a
 * malformed assignment is `invalid-input`.
 */
export function readParameterValues(
  description: ApplicationDescription,
  input: ValuesInput,
): ParameterValues {
  const rules = parameterRules(description);
  const result: ParameterValues = { values: { ...(input.typed ?? {}) }, origins: {} };
  if (input.file) {
    const { shownAs } = input.file;
    const parsed = readValuesYaml(readValuesFile(input.file), rules);
    if (parsed.problems.length > 0) {
      throw new CommissionerError(
        'invalid-document',
        `${shownAs} cannot be read as parameter values`,
        { diagnostics: parsed.problems.map((p) => valuesDiagnostic(shownAs, p)) },
      );
    }
    Object.assign(result.values, parsed.values);
    for (const [name, at] of Object.entries(parsed.origins)) {
      result.origins[name] = `${shownAs}:${at.line}:${at.column}`;
    }
  }
  for (const assignment of input.assignments ?? []) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new CommissionerError(
        'invalid-input',
        `${assignment}: write it as <parameter>=<value>, e.g. pollFrequency=60`,
        { field: 'set' },
      );
    }
    const name = assignment.slice(0, eq);
    result.values[name] = parseValueText(rules.get(name), assignment.slice(eq + 1));
    result.origins[name] = `--set ${name}`;
  }
  return result;
}

/** A refused value as the contract carries it, with where it came from. */
export function valueProblem(
  e: ConfigurationError,
  origins: Record<string, string> = {},
): ValueProblem {
  const source = origins[e.parameter];
  return {
    parameter: e.parameter,
    ...(e.setting !== undefined ? { setting: e.setting } : {}),
    message: e.message,
    ...(source !== undefined ? { source } : {}),
  };
}

function valuesDiagnostic(
  file: string,
  p: { line: number; column: number; message: string },
): Diagnostic {
  return {
    severity: 'error',
    rule: 'values-file',
    message: p.message,
    file,
    line: p.line,
    column: p.column,
    path: '',
  };
}

function readValuesFile(file: { path: string; shownAs: string }): string {
  let size: number;
  try {
    size = statSync(file.path).size;
  } catch {
    throw new CommissionerError(
      'invalid-input',
      `the values file ${file.shownAs} cannot be read: check that it exists and that you may read it`,
      { field: 'values' },
    );
  }
  if (size > MAX_DOCUMENT_BYTES) {
    throw new CommissionerError('invalid-document', `${file.shownAs} is too large`, {
      diagnostics: [
        valuesDiagnostic(file.shownAs, {
          line: 1,
          column: 1,
          message: `a values file may hold at most 1 MiB (this one has ${size} bytes)`,
        }),
      ],
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = readBounded(file.path, MAX_DOCUMENT_BYTES);
  } catch {
    throw new CommissionerError(
      'invalid-input',
      `the values file ${file.shownAs} cannot be read: check that you may read it`,
      { field: 'values' },
    );
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    throw new CommissionerError('invalid-document', `${file.shownAs} is not UTF-8 text`, {
      diagnostics: [valuesDiagnostic(file.shownAs, decoded)],
    });
  }
  return decoded.text;
}

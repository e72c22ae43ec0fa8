import { statSync } from 'node:fs';
import { parameterRules } from '../../shared/configuration/parameter-rules';
import type { ConfigurationError } from '../../shared/configuration/validate-configuration';
import { parseValueText, readValuesYaml } from '../../shared/configuration/value-text';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import { MAX_DOCUMENT_BYTES } from '../../shared/validation/validate-document';
import { decodeUtf8 } from '../../shared/yaml/decode-utf8';
import { readBounded } from '../core/validation/read-bounded';
import { resolveFromCaller } from './caller-directory';
import { EXIT, type ExitCode } from './exit-codes';
import type { Output } from './output';

export interface ParameterValues {
  values: Record<string, unknown>;
  /** Where each value came from (`values.yaml:3:16`, `--set x`), for messages. */
  origins: Record<string, string>;
}

/**
 * The values an engineer gives on the command line: `--values <file.yaml>` (a mapping of
 * parameter names), then `--set <param>=<value>` (which wins), each read as its setting's type.
 * Problems of the file itself (syntax, shape) are printed with file:line:column (exit 1); a
 * malformed `--set` or an unreadable file is a usage error (exit 2).
 */
export function readParameterValues(
  description: ApplicationDescription,
  options: { set?: string[]; values?: string },
  command: string,
  output: Output,
): ParameterValues | ExitCode {
  const rules = parameterRules(description);
  const result: ParameterValues = { values: {}, origins: {} };
  if (options.values !== undefined) {
    const text = readValuesFile(options.values, command, output);
    if (typeof text === 'number') return text;
    const parsed = readValuesYaml(text, rules);
    if (parsed.problems.length > 0) {
      for (const p of parsed.problems) {
        output.err(`${options.values}:${p.line}:${p.column}: error: ${p.message}`);
      }
      return EXIT.findings;
    }
    Object.assign(result.values, parsed.values);
    for (const [name, at] of Object.entries(parsed.origins)) {
      result.origins[name] = `${options.values}:${at.line}:${at.column}`;
    }
  }
  for (const assignment of options.set ?? []) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) {
      output.err(
        `commissioner ${command}: --set ${assignment}: write it as <parameter>=<value>, e.g. --set pollFrequency=60`,
      );
      return EXIT.usage;
    }
    const name = assignment.slice(0, eq);
    result.values[name] = parseValueText(rules.get(name), assignment.slice(eq + 1));
    result.origins[name] = `--set ${name}`;
  }
  return result;
}

/** `pollFrequency (Poll Frequency): must be at least 30 [values.yaml:3:16]`. */
export function describeValueError(e: ConfigurationError, origins: Record<string, string>): string {
  const from = origins[e.parameter];
  return `${e.parameter}${e.setting !== undefined ? ` (${e.setting})` : ''}: ${e.message}${from ? ` [${from}]` : ''}`;
}

/** The error as JSON, with where its value came from. */
export function valueErrorJson(e: ConfigurationError, origins: Record<string, string>) {
  return origins[e.parameter] !== undefined ? { ...e, source: origins[e.parameter] } : e;
}

function readValuesFile(path: string, command: string, output: Output): string | ExitCode {
  const absolute = resolveFromCaller(path);
  try {
    const size = statSync(absolute).size;
    if (size > MAX_DOCUMENT_BYTES) {
      output.err(
        `${path}:1:1: error: a values file may hold at most 1 MiB (this one has ${size} bytes)`,
      );
      return EXIT.findings;
    }
    const decoded = decodeUtf8(readBounded(absolute, MAX_DOCUMENT_BYTES));
    if (!decoded.ok) {
      output.err(`${path}:${decoded.line}:${decoded.column}: error: ${decoded.message}`);
      return EXIT.findings;
    }
    return decoded.text;
  } catch (e) {
    output.err(`commissioner ${command}: cannot read ${path}: ${(e as Error).message}`);
    return EXIT.usage;
  }
}

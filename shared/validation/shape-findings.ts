import type { z } from 'zod';
import type { RuleParams } from '../margo/spec-object';
import { finding, type Finding, type PathSegment } from './diagnostic';
import { formatJsonPath } from './json-path';
import { RULES, type RuleId } from './rules';
import { setAtPath } from './upgrade/plain-data';

/** The YAML scalar a value came from, so coercions can use what the supplier actually wrote. */
export interface ScalarSource {
  source: string;
  plain: boolean;
}

export interface ShapeResult<T> {
  /** True when no finding is an error: `value` then satisfies the schema's shape. */
  ok: boolean;
  /** The input after the coercions reported as `type-coerced` warnings. */
  value: T;
  findings: Finding[];
}

const MAX_REPAIR_ROUNDS = 4;

/**
 * Checks `value` against a Margo schema and reports in an engineer's words. Values of the
 * wrong type whose intent is unambiguous (an unquoted `version: 1.0`, `wait: "true"`) are
 * read as intended with a warning instead of failing the whole file.
 */
export function checkShape<T>(
  schema: z.ZodType<T>,
  input: unknown,
  scalarAt: (path: readonly PathSegment[]) => ScalarSource | undefined,
): ShapeResult<T> {
  const value = input;
  const findings: Finding[] = [];
  for (let round = 0; ; round++) {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return { ok: true, value: result.data, findings };
    const issues = result.error.issues;
    let repaired = false;
    if (round < MAX_REPAIR_ROUNDS) {
      for (const issue of issues) {
        const repair = repairFor(issue, scalarAt);
        if (repair) {
          setAtPath(value, issue.path as PathSegment[], repair.value);
          findings.push(finding('type-coerced', issue.path as PathSegment[], repair.message));
          repaired = true;
        }
      }
    }
    if (repaired) continue;
    for (const issue of issues) findings.push(toFinding(issue));
    return { ok: !findings.some((f) => f.severity === 'error'), value: value as T, findings };
  }
}

function repairFor(
  issue: z.core.$ZodIssue,
  scalarAt: (path: readonly PathSegment[]) => ScalarSource | undefined,
): { value: unknown; message: string } | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  const input = issue.input;
  const field = fieldName(issue.path as PathSegment[]);
  if (issue.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) {
    const scalar = scalarAt(issue.path as PathSegment[]);
    if (!scalar?.plain) return undefined;
    return {
      value: scalar.source,
      message: `${field} is written ${scalar.source} without quotes, which YAML reads as ${typeof input === 'number' ? `the number ${String(input)}` : String(input)}; it is taken as the text "${scalar.source}": quote it ("${scalar.source}") so every reader agrees`,
    };
  }
  if (issue.expected === 'boolean' && typeof input === 'string') {
    const word = input.trim().toLowerCase();
    const truth = ['true', 'yes', 'on'].includes(word)
      ? true
      : ['false', 'no', 'off'].includes(word)
        ? false
        : undefined;
    if (truth === undefined) return undefined;
    return {
      value: truth,
      message: `${field} is the text "${input}"; it is read as ${String(truth)}: write ${String(truth)} without quotes`,
    };
  }
  if (
    issue.expected === 'array' &&
    input !== undefined &&
    input !== null &&
    !Array.isArray(input)
  ) {
    return {
      value: [input],
      message: `${field} must be a list; the single ${typeof input === 'object' ? 'entry' : 'value'} given is read as a list of one: write it as a list item (- …)`,
    };
  }
  if (
    issue.expected === 'number' &&
    typeof input === 'string' &&
    /^-?\d+(\.\d+)?$/.test(input.trim())
  ) {
    return {
      value: Number(input),
      message: `${field} is the text "${input}"; it is read as the number ${Number(input)}: write it without quotes`,
    };
  }
  return undefined;
}

const DEFAULT_MESSAGE = /^(Invalid|Too small|Too big|Unrecognized)/;

function toFinding(issue: z.core.$ZodIssue): Finding {
  const path = issue.path as PathSegment[];
  const field = fieldName(path);
  const custom = DEFAULT_MESSAGE.test(issue.message) ? undefined : issue.message;
  switch (issue.code) {
    case 'custom': {
      const rule = (issue.params as Partial<RuleParams> | undefined)?.rule;
      const f = finding(
        rule && rule in RULES ? rule : ('type-mismatch' as RuleId),
        path,
        issue.message,
      );
      // Unknown and extension fields are about the key the supplier wrote, not its value.
      if (rule === 'unknown-field' || rule === 'extension-key' || rule === 'extension-not-object')
        f.atKey = true;
      return f;
    }
    case 'invalid_type':
      if (issue.input === undefined) {
        return finding(
          'required-field',
          path,
          custom ?? `the required field ${field} is missing${where(path)}: add it`,
        );
      }
      return finding(
        'type-mismatch',
        path,
        custom ??
          `${field} must be ${expectedWord(issue.expected)}, but is ${describe(issue.input)}`,
      );
    case 'invalid_value': {
      const allowed = issue.values.map((v) => String(v)).join(', ');
      return finding(
        'enum-value',
        path,
        custom
          ? `${field} ${custom}, not ${describe(issue.input)}`
          : `${field} is ${describe(issue.input)}: allowed ${issue.values.length > 1 ? 'values are' : 'value is'} ${allowed}`,
      );
    }
    case 'too_small':
    case 'too_big':
      return finding('value-range', path, custom ?? rangeMessage(issue, field));
    case 'invalid_union':
      return finding(
        'type-mismatch',
        path,
        `${field} ${custom ?? 'has a type that is not allowed here'}, but is ${describe(issue.input)}`,
      );
    default:
      return finding('type-mismatch', path, `${field}: ${issue.message}`);
  }
}

function rangeMessage(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  field: string,
): string {
  const small = issue.code === 'too_small';
  const bound = small
    ? (issue as z.core.$ZodIssueTooSmall).minimum
    : (issue as z.core.$ZodIssueTooBig).maximum;
  const n = Number(bound);
  switch (issue.origin) {
    case 'array':
      return small
        ? `${field} needs at least ${n} item${n === 1 ? '' : 's'}`
        : `${field} may have at most ${n} item${n === 1 ? '' : 's'}`;
    case 'string':
      return small && n === 1
        ? `${field} must not be empty`
        : `${field} must be ${small ? 'at least' : 'at most'} ${n} characters`;
    default: {
      const strict = issue.inclusive === false;
      const relation = small
        ? strict
          ? 'greater than'
          : 'at least'
        : strict
          ? 'less than'
          : 'at most';
      return `${field} must be ${relation} ${String(bound)}, but is ${describe(issue.input)}`;
    }
  }
}

function fieldName(path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'the document';
  if (typeof last === 'number')
    return `item ${last + 1} of \`${formatJsonPath(path.slice(0, -1)) || 'the list'}\``;
  return `\`${last}\``;
}

function where(path: readonly PathSegment[]): string {
  const parent = formatJsonPath(path.slice(0, -1));
  return parent ? ` in \`${parent}\`` : '';
}

function expectedWord(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'a mapping of fields';
    case 'array':
      return 'a list';
    default:
      return expected;
  }
}

export function describe(input: unknown): string {
  if (input === undefined || input === null) return 'empty';
  if (typeof input === 'string')
    return `"${input.length > 60 ? `${input.slice(0, 57)}...` : input}"`;
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  if (Array.isArray(input)) return 'a list';
  return 'a mapping';
}

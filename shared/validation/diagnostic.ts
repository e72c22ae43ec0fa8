import { z } from 'zod';
import { RULES, type RuleId } from './rules';

export const Severity = z.enum(['error', 'warning']);
export type Severity = z.infer<typeof Severity>;

/** One path segment into a parsed document: a map key or a sequence index. */
export type PathSegment = string | number;

/**
 * A finding before it has been placed in a file: the stages that inspect parsed values only
 * know the path of the offending node; `locateFindings` turns it into a Diagnostic.
 */
export interface Finding {
  severity: Severity;
  rule: RuleId;
  message: string;
  path: readonly PathSegment[];
  /** Set when the finding is about the position itself (YAML syntax, encoding), not a node. */
  offset?: number;
  /** Point at the field's key rather than its value (unknown or misplaced fields). */
  atKey?: boolean;
}

export function finding(
  rule: RuleId,
  path: readonly PathSegment[],
  message: string,
  offset?: number,
): Finding {
  const f: Finding = { severity: RULES[rule].severity, rule, message, path };
  if (offset !== undefined) f.offset = offset;
  return f;
}

export const Diagnostic = z.strictObject({
  severity: Severity,
  rule: z.string(),
  message: z.string(),
  file: z.string(),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  /** JSON path of the offending node, e.g. `deploymentProfiles[0].components[1].name`; '' = document. */
  path: z.string(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

/** The `validate --json` object; its shape is relied on by scripts outside the repo. */
export const ValidationReport = z.strictObject({
  valid: z.boolean(),
  diagnostics: z.array(Diagnostic),
});
export type ValidationReport = z.infer<typeof ValidationReport>;

export function hasErrors(diagnostics: readonly { severity: Severity }[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1)
  );
}

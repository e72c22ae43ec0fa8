import type { DeviceConstraints, MatchExpression, Selector } from '../../margo/device-constraints';
import { MEMORY_REQUIREMENT, STORAGE_REQUIREMENT } from '../../margo/patterns';
import type { PathSegment } from '../diagnostic';
import type { Findings } from '../findings';

/** Memory and storage amounts of a requirement: strict binary units, as the spec's patterns say. */
export function checkRequirementAmounts(
  holder: { memory?: string | undefined; storage?: string | undefined },
  path: readonly PathSegment[],
  findings: Findings,
): void {
  const check = (field: 'memory' | 'storage', pattern: RegExp, units: string) => {
    const value = holder[field];
    if (value === undefined || pattern.test(value)) return;
    const spaced = value.replace(/\s+/g, '');
    findings.add(
      'resource-unit',
      [...path, field],
      `${field} "${value}" must be a whole number followed by ${units} (binary units, no space), e.g. 512Mi or 2Gi${spaced !== value && pattern.test(spaced) ? `: write ${spaced}` : ''}`,
    );
  };
  check('memory', MEMORY_REQUIREMENT, 'Ki, Mi or Gi');
  check('storage', STORAGE_REQUIREMENT, 'Ki, Mi, Gi, Ti, Pi or Ei');
}

/** The rules of rc.3 `deviceConstraints` that a WFM needs to be able to evaluate them. */
export function checkDeviceConstraints(
  dc: DeviceConstraints,
  path: readonly PathSegment[],
  findings: Findings,
): void {
  if (dc.capacityRequirements) {
    checkRequirementAmounts(dc.capacityRequirements, [...path, 'capacityRequirements'], findings);
  }
  dc.eligibilityRules?.forEach((rule, i) => {
    const at = [...path, 'eligibilityRules', i];
    if (rule.propertySelector)
      checkSelector(rule.propertySelector, [...at, 'propertySelector'], 'property', findings);
    if (rule.labelSelector)
      checkSelector(rule.labelSelector, [...at, 'labelSelector'], 'label', findings);
  });
}

type SelectorKind = 'property' | 'label' | 'item';

function checkSelector(
  selector: Selector,
  path: readonly PathSegment[],
  kind: SelectorKind,
  findings: Findings,
): void {
  selector.matchExpressions.forEach((expression, i) =>
    checkExpression(expression, [...path, 'matchExpressions', i], kind, findings),
  );
}

function checkExpression(
  e: MatchExpression,
  path: readonly PathSegment[],
  kind: SelectorKind,
  findings: Findings,
): void {
  const problem = (message: string) =>
    findings.add('constraint-expression', path, `${e.operator} on "${e.key}": ${message}`);
  if (kind !== 'label') {
    const pointerProblem = jsonPointerProblem(e.key);
    if (pointerProblem) {
      findings.add(
        'constraint-pointer',
        [...path, 'key'],
        `"${e.key}" is not a JSON Pointer (${pointerProblem}): ${kind === 'item' ? 'item selector keys point into each array element' : 'property keys point into the device capabilities `properties`'}, e.g. /vendor`,
      );
    }
  }
  const values = e.values;
  switch (e.operator) {
    case 'In':
    case 'NotIn': {
      if (e.itemSelector) problem('takes `values`, not an `itemSelector`');
      if (!values || values.length === 0) return problem('needs `values` with at least one value');
      const types = new Set(values.map((v) => typeof v));
      if ([...types].some((t) => t !== 'string' && t !== 'number' && t !== 'boolean')) {
        return problem('`values` may hold only text, numbers or one true/false');
      }
      if (types.size > 1) return problem('all `values` must have the same type');
      if (types.has('boolean') && values.length > 1)
        return problem('a true/false match takes exactly one value');
      return;
    }
    case 'Exists':
    case 'DoesNotExist':
      if (values !== undefined) problem('takes no `values`');
      if (e.itemSelector) problem('takes no `itemSelector`');
      return;
    case 'Gt':
    case 'Lt':
      if (e.itemSelector) problem('takes `values`, not an `itemSelector`');
      if (!values || values.length !== 1 || typeof values[0] !== 'number') {
        problem('needs `values` with exactly one number');
      }
      return;
    case 'ContainsAll':
    case 'ContainsAny':
      if (kind === 'label')
        return problem('applies to arrays of objects in `properties`, not to labels');
      if (values !== undefined) problem('takes an `itemSelector`, not `values`');
      if (!e.itemSelector || e.itemSelector.matchExpressions.length === 0) {
        return problem('needs an `itemSelector` with at least one match expression');
      }
      checkSelector(e.itemSelector, [...path, 'itemSelector'], 'item', findings);
      return;
  }
}

function jsonPointerProblem(key: string): string | undefined {
  if (!key.startsWith('/')) return 'it must start with "/"';
  if (/~(?![01])/.test(key)) return '"~" must be escaped as ~0, and "/" inside a key as ~1';
  return undefined;
}

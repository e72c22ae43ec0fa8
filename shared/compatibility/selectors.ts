import type { EligibilityRule, MatchExpression, Selector } from '../margo/device-constraints';

/** Three-valued truth: a fact a probe could not learn is neither a pass nor a fail. */
export type Truth = true | false | 'unknown';

export interface Outcome {
  truth: Truth;
  /** Why, in words: "/vendor is \"Acme\", not one of [\"Northstar\"]". */
  why: string;
}

/** What selectors are evaluated against. */
export interface SelectorContext {
  properties: Record<string, unknown>;
  labels: Record<string, unknown>;
  /** Top-level property names whose absence (or "") means "not known" rather than "not there". */
  unknown: ReadonlySet<string>;
}

type Lookup = { found: true; value: unknown } | { found: false; unknown: boolean };

/** RFC 6901: `/a/b~1c` → ["a", "b/c"]. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolvePointer(root: unknown, pointer: string, unknown: ReadonlySet<string>): Lookup {
  const segments = pointerSegments(pointer);
  const first = segments[0];
  // A property the device could not tell (Docker probe) reads as "not known", also when the
  // rc.3 shape forces a placeholder "" for it.
  if (first !== undefined && unknown.has(first)) {
    const value = (root as Record<string, unknown> | null)?.[first];
    if (value === undefined || value === '') return { found: false, unknown: true };
  }
  let node: unknown = root;
  for (const [i, segment] of segments.entries()) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(segment) && Number(segment) < node.length) {
      node = node[Number(segment)];
    } else if (
      node !== null &&
      typeof node === 'object' &&
      !Array.isArray(node) &&
      segment in node
    ) {
      node = (node as Record<string, unknown>)[segment];
    } else {
      return { found: false, unknown: i === 0 && unknown.has(segment) };
    }
  }
  return { found: true, value: node };
}

const isScalar = (v: unknown) =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const show = (v: unknown) => JSON.stringify(v);

function and(outcomes: Outcome[]): Outcome {
  const failed = outcomes.find((o) => o.truth === false);
  if (failed) return failed;
  const unknown = outcomes.find((o) => o.truth === 'unknown');
  if (unknown) return unknown;
  return { truth: true, why: outcomes.map((o) => o.why).join('; ') };
}

function or(outcomes: Outcome[]): Outcome {
  const passed = outcomes.find((o) => o.truth === true);
  if (passed) return passed;
  const unknown = outcomes.filter((o) => o.truth === 'unknown');
  if (unknown.length > 0) return { truth: 'unknown', why: unknown.map((o) => o.why).join('; ') };
  return { truth: false, why: outcomes.map((o) => o.why).join('; ') };
}

/**
 * One match expression, as the spec's eligibility rules define the operators. `target` is
 * the properties (or an array element for item selectors) or the labels.
 */
function evaluateExpression(
  e: MatchExpression,
  target: unknown,
  unknown: ReadonlySet<string>,
  label: boolean,
): Outcome {
  const where = label ? `label ${e.key}` : e.key;
  let lookup: Lookup;
  if (label) {
    const labels = target as Record<string, unknown>;
    lookup = Object.prototype.hasOwnProperty.call(labels, e.key)
      ? { found: true, value: labels[e.key] }
      : { found: false, unknown: false };
  } else {
    lookup = resolvePointer(target, e.key, unknown);
  }
  if (!lookup.found && lookup.unknown) {
    return {
      truth: 'unknown',
      why: `${where} is not known for this device (describe it to decide)`,
    };
  }
  const values = e.values ?? [];
  switch (e.operator) {
    case 'Exists':
      return lookup.found
        ? { truth: true, why: `${where} exists` }
        : { truth: false, why: `${where} does not exist` };
    case 'DoesNotExist':
      return lookup.found
        ? { truth: false, why: `${where} exists` }
        : { truth: true, why: `${where} does not exist` };
    case 'In':
    case 'NotIn': {
      if (!lookup.found) return { truth: false, why: `${where} does not exist` };
      const value = lookup.value;
      const candidates = Array.isArray(value) ? value : [value];
      if (!candidates.every(isScalar))
        return { truth: false, why: `${where} is not a value or a list of values` };
      const hit = candidates.some((c) => values.some((v) => v === c));
      const truth = e.operator === 'In' ? hit : !hit;
      return {
        truth,
        why: `${where} is ${show(value)}, ${hit ? '' : 'not '}${e.operator === 'In' ? 'one of' : 'among'} ${show(values)}`,
      };
    }
    case 'Gt':
    case 'Lt': {
      if (!lookup.found) return { truth: false, why: `${where} does not exist` };
      const value =
        typeof lookup.value === 'string' && lookup.value.trim() !== ''
          ? Number(lookup.value)
          : lookup.value;
      const bound = values[0];
      if (typeof value !== 'number' || Number.isNaN(value) || typeof bound !== 'number') {
        return { truth: false, why: `${where} is ${show(lookup.value)}, not a number` };
      }
      const truth = e.operator === 'Gt' ? value > bound : value < bound;
      return {
        truth,
        why: `${where} is ${value}, ${truth ? '' : 'not '}${e.operator === 'Gt' ? 'greater' : 'less'} than ${bound}`,
      };
    }
    case 'ContainsAll':
    case 'ContainsAny': {
      if (!lookup.found) return { truth: false, why: `${where} does not exist` };
      const items = lookup.value;
      if (
        !Array.isArray(items) ||
        !items.every((i) => i !== null && typeof i === 'object' && !Array.isArray(i))
      ) {
        return { truth: false, why: `${where} is not a list of objects` };
      }
      const expressions = e.itemSelector?.matchExpressions ?? [];
      const perItem = items.map((item) => {
        const outcomes = expressions.map((x) => evaluateExpression(x, item, new Set(), false));
        return e.operator === 'ContainsAll' ? and(outcomes) : or(outcomes);
      });
      const result = or(perItem);
      if (result.truth === true)
        return { truth: true, why: `${where} has an element where ${result.why}` };
      return { truth: false, why: `no element of ${where} matches (${items.length} checked)` };
    }
  }
}

function evaluateSelector(selector: Selector, context: SelectorContext, label: boolean): Outcome {
  return and(
    selector.matchExpressions.map((e) =>
      evaluateExpression(e, label ? context.labels : context.properties, context.unknown, label),
    ),
  );
}

/** Rules are OR'ed; within a rule both selectors must hold; within a selector, every expression. */
export function evaluateEligibility(
  rules: readonly EligibilityRule[],
  context: SelectorContext,
): Outcome {
  if (rules.length === 0) return { truth: true, why: 'no eligibility rules' };
  return or(
    rules.map((rule, i) => {
      const parts: Outcome[] = [];
      if (rule.propertySelector)
        parts.push(evaluateSelector(rule.propertySelector, context, false));
      if (rule.labelSelector) parts.push(evaluateSelector(rule.labelSelector, context, true));
      const outcome = and(parts);
      return { truth: outcome.truth, why: `rule ${i + 1}: ${outcome.why || 'no selector'}` };
    }),
  );
}

/** A readable rendering of the rules for a check's "expected" column. */
export function describeRules(rules: readonly EligibilityRule[]): string {
  const expr = (e: MatchExpression, label: boolean): string => {
    const key = label ? `label ${e.key}` : e.key;
    if (e.itemSelector)
      return `${key} ${e.operator} {${e.itemSelector.matchExpressions.map((x) => expr(x, false)).join(', ')}}`;
    return e.values ? `${key} ${e.operator} ${show(e.values)}` : `${key} ${e.operator}`;
  };
  return rules
    .map((r) =>
      [
        ...(r.propertySelector?.matchExpressions.map((e) => expr(e, false)) ?? []),
        ...(r.labelSelector?.matchExpressions.map((e) => expr(e, true)) ?? []),
      ].join(' and '),
    )
    .map((s) => `(${s || 'any device'})`)
    .join(' or ');
}

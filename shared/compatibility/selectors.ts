import type { EligibilityRule, MatchExpression, MatchOperator } from '../margo/device-constraints';
import { jsonText } from './json-text';

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

/** RFC 6901: `/a/b~1c` → ["a", "b/c"]. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => (s.includes('~') ? s.replace(/~1/g, '/').replace(/~0/g, '~') : s));
}

/** One segment of a JSON Pointer, with the array index it names when it names one. */
interface Step {
  name: string;
  index: number | undefined;
}

/**
 * A match expression read once per profile, so that comparing it with each device is only
 * lookups and comparisons: the pointer split, the values written as the reasons quote them.
 */
interface CompiledExpression {
  operator: MatchOperator;
  label: boolean;
  key: string;
  /** "/vendor", "label line" */
  where: string;
  steps: Step[];
  values: readonly unknown[];
  /** `values` as JSON: In and NotIn quote them. */
  shownValues: string;
  /** The item selector's expressions (ContainsAll, ContainsAny). */
  items: CompiledExpression[];
  /** "/vendor In [\"Acme\"]", for the rules' description. */
  described: string;
}

interface CompiledRule {
  property: CompiledExpression[] | undefined;
  label: CompiledExpression[] | undefined;
  /** "rule 2: " */
  prefix: string;
}

/** Eligibility rules read once: what they say (a check's "expected") and what they compare. */
export interface CompiledRules {
  description: string;
  rules: CompiledRule[];
}

// Lookup results that are not a value; a device's properties never hold these symbols.
const ABSENT = Symbol('absent');
const NOT_KNOWN = Symbol('not known');
const NO_UNKNOWN: ReadonlySet<string> = new Set();
const INDEX = /^(0|[1-9]\d*)$/;
const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
const isScalar = (v: unknown) =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function compileSteps(pointer: string): Step[] {
  const steps: Step[] = [];
  for (const name of pointerSegments(pointer))
    steps.push({ name, index: INDEX.test(name) ? Number(name) : undefined });
  return steps;
}

function compileExpressions(
  expressions: readonly MatchExpression[],
  label: boolean,
): CompiledExpression[] {
  // Pushed, not mapped: a list's shape must not depend on which JIT tier built it (packed-list.ts).
  const compiled: CompiledExpression[] = [];
  for (const e of expressions) compiled.push(compileExpression(e, label));
  return compiled;
}

/** What the expressions say, joined by `glue` and after `text` ("a and b"). */
function joinDescribed(
  expressions: readonly CompiledExpression[],
  glue: string,
  text = '',
): string {
  for (const x of expressions) text = text === '' ? x.described : text + glue + x.described;
  return text;
}

function compileExpression(e: MatchExpression, label: boolean): CompiledExpression {
  const where = label ? `label ${e.key}` : e.key;
  const values = e.values ?? [];
  const shownValues = jsonText(values);
  const items = compileExpressions(e.itemSelector?.matchExpressions ?? [], false);
  return {
    operator: e.operator,
    label,
    key: e.key,
    where,
    steps: label ? [] : compileSteps(e.key),
    values,
    shownValues,
    items,
    described: e.itemSelector
      ? `${where} ${e.operator} {${joinDescribed(items, ', ')}}`
      : e.values
        ? `${where} ${e.operator} ${shownValues}`
        : `${where} ${e.operator}`,
  };
}

/** Eligibility rules as a profile's devices are compared with them, and described. */
export function compileRules(rules: readonly EligibilityRule[]): CompiledRules {
  let description = '';
  const compiled: CompiledRule[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as EligibilityRule;
    const property = rule.propertySelector
      ? compileExpressions(rule.propertySelector.matchExpressions, false)
      : undefined;
    const label = rule.labelSelector
      ? compileExpressions(rule.labelSelector.matchExpressions, true)
      : undefined;
    const said = joinDescribed(label ?? [], ' and ', joinDescribed(property ?? [], ' and '));
    description += `${i === 0 ? '' : ' or '}(${said || 'any device'})`;
    compiled.push({ property, label, prefix: `rule ${i + 1}: ` });
  }
  return { description, rules: compiled };
}

/** A readable rendering of the rules for a check's "expected" column. */
export function describeRules(rules: readonly EligibilityRule[]): string {
  return compileRules(rules).description;
}

function resolvePointer(root: unknown, steps: Step[], unknown: ReadonlySet<string>): unknown {
  const first = steps[0];
  // A property the device could not tell (Docker probe) reads as "not known", also when the
  // rc.3 shape forces a placeholder "" for it.
  if (first !== undefined && unknown.has(first.name)) {
    const value = (root as Record<string, unknown> | null)?.[first.name];
    if (value === undefined || value === '') return NOT_KNOWN;
  }
  let node: unknown = root;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as Step;
    if (Array.isArray(node) && step.index !== undefined && step.index < node.length) {
      node = node[step.index];
    } else if (
      node !== null &&
      typeof node === 'object' &&
      !Array.isArray(node) &&
      // Own properties only: `in` would find what every object inherits, so a supplier's
      // `/constructor Exists` would hold on every device.
      Object.hasOwn(node, step.name)
    ) {
      node = (node as Record<string, unknown>)[step.name];
    } else {
      return i === 0 && unknown.has(step.name) ? NOT_KNOWN : ABSENT;
    }
  }
  return node;
}

/** Whether one of `values` is `candidate` (===, as the spec's In compares). */
function among(values: readonly unknown[], candidate: unknown): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] === candidate) return true;
  return false;
}

/** In and NotIn: a scalar, or an array of them, one of which is among the values. */
function inValues(x: CompiledExpression, value: unknown): Outcome {
  let hit = false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      if (!isScalar(value[i]))
        return { truth: false, why: `${x.where} is not a value or a list of values` };
    for (let i = 0; i < value.length && !hit; i++) hit = among(x.values, value[i]);
  } else {
    if (!isScalar(value))
      return { truth: false, why: `${x.where} is not a value or a list of values` };
    hit = among(x.values, value);
  }
  return {
    truth: x.operator === 'In' ? hit : !hit,
    why: `${x.where} is ${jsonText(value)}, ${hit ? '' : 'not '}${x.operator === 'In' ? 'one of' : 'among'} ${x.shownValues}`,
  };
}

/** Gt and Lt: one number (or text that reads as one) against the first value. */
function compareNumber(x: CompiledExpression, value: unknown): Outcome {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const bound = x.values[0];
  if (typeof number !== 'number' || Number.isNaN(number) || typeof bound !== 'number')
    return { truth: false, why: `${x.where} is ${jsonText(value)}, not a number` };
  const truth = x.operator === 'Gt' ? number > bound : number < bound;
  return {
    truth,
    why: `${x.where} is ${number}, ${truth ? '' : 'not '}${x.operator === 'Gt' ? 'greater' : 'less'} than ${bound}`,
  };
}

/**
 * ContainsAll and ContainsAny: some element of a list of objects satisfies every item
 * expression, or one of them. The first element that does is the answer.
 */
function containsItem(x: CompiledExpression, value: unknown): Outcome {
  if (!Array.isArray(value)) return { truth: false, why: `${x.where} is not a list of objects` };
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      return { truth: false, why: `${x.where} is not a list of objects` };
  }
  for (let i = 0; i < value.length; i++) {
    const matched =
      x.operator === 'ContainsAll'
        ? every(x.items, value[i], NO_UNKNOWN)
        : some(x.items, value[i], NO_UNKNOWN);
    if (matched.truth === true)
      return { truth: true, why: `${x.where} has an element where ${matched.why}` };
  }
  return { truth: false, why: `no element of ${x.where} matches (${value.length} checked)` };
}

/**
 * One match expression, as the spec's eligibility rules define the operators. `target` is
 * the properties (or an array element for item selectors) or the labels.
 */
function evaluateExpression(
  x: CompiledExpression,
  target: unknown,
  unknown: ReadonlySet<string>,
): Outcome {
  const value = x.label
    ? hasOwn(target as object, x.key)
      ? (target as Record<string, unknown>)[x.key]
      : ABSENT
    : resolvePointer(target, x.steps, unknown);
  if (value === NOT_KNOWN) {
    return {
      truth: 'unknown',
      why: `${x.where} is not known for this device (describe it to decide)`,
    };
  }
  if (value === ABSENT) {
    return { truth: x.operator === 'DoesNotExist', why: `${x.where} does not exist` };
  }
  switch (x.operator) {
    case 'Exists':
      return { truth: true, why: `${x.where} exists` };
    case 'DoesNotExist':
      return { truth: false, why: `${x.where} exists` };
    case 'In':
    case 'NotIn':
      return inValues(x, value);
    case 'Gt':
    case 'Lt':
      return compareNumber(x, value);
    case 'ContainsAll':
    case 'ContainsAny':
      return containsItem(x, value);
  }
}

/** AND: the first expression that fails; else the first unknown; else all hold, in words. */
function every(
  expressions: readonly CompiledExpression[],
  target: unknown,
  unknown: ReadonlySet<string>,
): Outcome {
  let notKnown: Outcome | undefined;
  let why = '';
  for (let i = 0; i < expressions.length; i++) {
    const outcome = evaluateExpression(expressions[i] as CompiledExpression, target, unknown);
    if (outcome.truth === false) return outcome;
    if (outcome.truth === 'unknown') notKnown ??= outcome;
    else why = i === 0 ? outcome.why : `${why}; ${outcome.why}`;
  }
  return notKnown ?? { truth: true, why };
}

/** OR: the first expression that holds; else the unknown ones, else all, in words. */
function some(
  expressions: readonly CompiledExpression[],
  target: unknown,
  unknown: ReadonlySet<string>,
): Outcome {
  let notKnown: string | undefined;
  let why = '';
  for (let i = 0; i < expressions.length; i++) {
    const outcome = evaluateExpression(expressions[i] as CompiledExpression, target, unknown);
    if (outcome.truth === true) return outcome;
    if (outcome.truth === 'unknown')
      notKnown = notKnown === undefined ? outcome.why : `${notKnown}; ${outcome.why}`;
    why = i === 0 ? outcome.why : `${why}; ${outcome.why}`;
  }
  return notKnown !== undefined ? { truth: 'unknown', why: notKnown } : { truth: false, why };
}

/** Both selectors of a rule must hold (AND, as for expressions). */
function evaluateRule(rule: CompiledRule, context: SelectorContext): Outcome {
  const p = rule.property && every(rule.property, context.properties, context.unknown);
  const l = rule.label && every(rule.label, context.labels, context.unknown);
  if (p?.truth === false) return p;
  if (l?.truth === false) return l;
  if (p?.truth === 'unknown') return p;
  if (l?.truth === 'unknown') return l;
  if (p && l) return { truth: true, why: `${p.why}; ${l.why}` };
  return p ?? l ?? { truth: true, why: '' };
}

/** Rules are OR'ed: the first that holds is the answer; else the unknown ones, else all. */
export function matchRules(compiled: CompiledRules, context: SelectorContext): Outcome {
  const rules = compiled.rules;
  if (rules.length === 0) return { truth: true, why: 'no eligibility rules' };
  let notKnown: string | undefined;
  let why = '';
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as CompiledRule;
    const outcome = evaluateRule(rule, context);
    const said = rule.prefix + (outcome.why || 'no selector');
    if (outcome.truth === true) return { truth: true, why: said };
    if (outcome.truth === 'unknown')
      notKnown = notKnown === undefined ? said : `${notKnown}; ${said}`;
    why = i === 0 ? said : `${why}; ${said}`;
  }
  return notKnown !== undefined ? { truth: 'unknown', why: notKnown } : { truth: false, why };
}

/** Rules are OR'ed; within a rule both selectors must hold; within a selector, every expression. */
export function evaluateEligibility(
  rules: readonly EligibilityRule[],
  context: SelectorContext,
): Outcome {
  return matchRules(compileRules(rules), context);
}

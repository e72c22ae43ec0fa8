import type { DataType, SchemaRule } from '../margo/configuration';

type ElementType = 'string' | 'integer' | 'double' | 'boolean';

/** The element type of a data type (`array[integer]` → integer) and whether it is a list. */
export function splitDataType(dataType: DataType): { element: ElementType; list: boolean } {
  const m = /^array\[(\w+)\]$/.exec(dataType);
  return m
    ? { element: m[1] as ElementType, list: true }
    : { element: dataType as ElementType, list: false };
}

export function isEmptyValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** Decimal places of a number as written in its shortest form (1.50 → 1, 2e-3 → 3). */
export function decimalPlaces(n: number): number {
  const [mantissa = '', exponent] = String(n).toLowerCase().split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/** Compiles a Margo `regexMatch` the way every validator in the app reads it. */
export function compileRegexMatch(pattern: string): RegExp {
  // Not unicode mode: suppliers write PCRE-flavoured patterns such as `\/` and `\+`,
  // which unicode mode rejects. Search semantics, as JSON Schema `pattern`.
  return new RegExp(pattern);
}

/**
 * Checks one value against a Margo schema rule and says, in plain words, what is wrong.
 * This is the single reading of the spec's validation rules: the description validator
 * (defaults), the form validator and the deployment builder all call it.
 */
export function checkValue(rule: SchemaRule & { dataType: DataType }, value: unknown): string[] {
  if (isEmptyValue(value)) return rule.allowEmpty === true ? [] : ['a value is required'];
  const { element, list } = splitDataType(rule.dataType);
  if (rule.options && rule.multiselect === true) {
    if (!Array.isArray(value)) return ['must be a list of the offered options'];
    const outside = value.filter((v) => !rule.options?.some((o) => sameOption(o, v)));
    if (outside.length > 0) {
      return [`${quoteList(outside)} ${outside.length > 1 ? 'are' : 'is'} not among the options`];
    }
    const repeated = value.filter((v, i) => value.indexOf(v) !== i);
    return repeated.length > 0
      ? [`must not choose ${quoteList([...new Set(repeated)])} twice`]
      : [];
  }
  if (list) {
    if (!Array.isArray(value)) return [`must be a list of ${typeWord(element)} values`];
    return value.flatMap((v, i) =>
      checkElement(rule, element, v).map((p) => `item ${i + 1}: ${p}`),
    );
  }
  return checkElement(rule, element, value);
}

function checkElement(rule: SchemaRule, element: ElementType, value: unknown): string[] {
  const typeProblem = checkType(element, value);
  if (typeProblem) return [typeProblem];
  if (rule.options) {
    return rule.options.some((o) => sameOption(o, value))
      ? []
      : [`must be one of ${quoteList(rule.options)}`];
  }
  const problems: string[] = [];
  if (typeof value === 'string') {
    const length = [...value].length;
    if (rule.minLength !== undefined && length < rule.minLength) {
      problems.push(`must be at least ${rule.minLength} characters (is ${length})`);
    }
    if (rule.maxLength !== undefined && length > rule.maxLength) {
      problems.push(`must be at most ${rule.maxLength} characters (is ${length})`);
    }
    if (rule.regexMatch !== undefined) {
      let re: RegExp | undefined;
      try {
        re = compileRegexMatch(rule.regexMatch);
      } catch {
        re = undefined; // reported once as schema-regex-invalid, not per value
      }
      if (re && !re.test(value)) problems.push(`must match the pattern ${rule.regexMatch}`);
    }
  }
  if (typeof value === 'number') {
    if (rule.minValue !== undefined && value < rule.minValue)
      problems.push(`must be at least ${rule.minValue}`);
    if (rule.maxValue !== undefined && value > rule.maxValue)
      problems.push(`must be at most ${rule.maxValue}`);
    const places = decimalPlaces(value);
    if (rule.maxPrecision !== undefined && places > rule.maxPrecision) {
      problems.push(
        `must have at most ${rule.maxPrecision} decimal place${rule.maxPrecision === 1 ? '' : 's'} (has ${places})`,
      );
    }
    if (rule.minPrecision !== undefined && places < rule.minPrecision) {
      problems.push(
        `must have at least ${rule.minPrecision} decimal place${rule.minPrecision === 1 ? '' : 's'} (has ${places})`,
      );
    }
  }
  return problems;
}

function checkType(element: ElementType, value: unknown): string | undefined {
  switch (element) {
    case 'string':
      return typeof value === 'string' ? undefined : 'must be text';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
        ? undefined
        : 'must be a whole number';
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
  }
}

function typeWord(element: ElementType): string {
  return { string: 'text', integer: 'whole-number', double: 'number', boolean: 'true/false' }[
    element
  ];
}

/**
 * An option as a value of its setting's type: options are strings in the spec's model, and
 * "8080" offered for an integer setting means 8080, "true" for a boolean one true.
 */
export function optionValue(
  option: string | number | boolean,
  element: string,
): string | number | boolean {
  if (typeof option !== 'string') return option;
  if (
    (element === 'integer' || element === 'double') &&
    option.trim() !== '' &&
    !Number.isNaN(Number(option))
  ) {
    return Number(option);
  }
  if (element === 'boolean' && (option === 'true' || option === 'false')) return option === 'true';
  return option;
}

/** Options are strings in the spec's model; "1" offered for an integer setting means 1. */
export function sameOption(option: unknown, value: unknown): boolean {
  return option === value || (typeof value !== 'string' && String(option) === String(value));
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

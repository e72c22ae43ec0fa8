import { isMap, isScalar, isSeq, Scalar, type Node } from 'yaml';
import { parseYaml } from '../yaml/parse-yaml';
import type { MargoRule } from './form-model';
import { splitDataType } from './value-rules';

/**
 * A value typed as text (`--set pollFrequency=60`, or a plain scalar of a values file) read
 * as its setting's data type: `60` → 60 for an integer setting, `0123` stays "0123" for a
 * text setting, `true`/`false` for booleans, lists as `a,b,c` or `[a, "b,c"]`. Text that is
 * not of the type is returned as is, so the validator names the problem ("must be a whole
 * number") exactly as it does in the form.
 */
export function parseValueText(rule: MargoRule | undefined, text: string): unknown {
  if (!rule) return text;
  const { element, list } = splitDataType(rule.dataType);
  if (!list && !(rule.options && rule.multiselect === true)) return parseElement(element, text);
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    const flow = flowItems(trimmed);
    return flow ? flow.map((item) => parseElement(element, item)) : text;
  }
  return trimmed.split(',').map((item) => parseElement(element, item.trim()));
}

function parseElement(element: string, text: string): unknown {
  switch (element) {
    case 'integer':
      return /^[-+]?\d+$/.test(text.trim()) && Number.isSafeInteger(Number(text))
        ? Number(text)
        : text;
    case 'double':
      return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim()) ? Number(text) : text;
    case 'boolean':
      return /^true$/i.test(text.trim()) ? true : /^false$/i.test(text.trim()) ? false : text;
    default:
      return text;
  }
}

/** Items of a flow list `[a, "b,c", 3]` as their texts; undefined when it is not one. */
function flowItems(text: string): string[] | undefined {
  const parsed = parseYaml(`v: ${text}`);
  const node = parsed.doc?.get('v', true);
  if (!isSeq(node)) return undefined;
  const items: string[] = [];
  for (const item of node.items) {
    const t = scalarText(item as Node, `v: ${text}`);
    if (t === undefined) return undefined;
    items.push(t);
  }
  return items;
}

/** A scalar's text as written (plain) or as meant (quoted); undefined for anything else. */
function scalarText(node: Node | null, source: string): string | undefined {
  if (!isScalar(node)) return undefined;
  if (node.type === Scalar.PLAIN && node.range) return source.slice(node.range[0], node.range[1]);
  return node.value === null ? '' : String(node.value);
}

/** Where a value came from, for messages that send the engineer to the right line. */
export interface ValueOrigin {
  line: number;
  column: number;
}

export interface ValuesFile {
  values: Record<string, unknown>;
  origins: Record<string, ValueOrigin>;
  /** Problems of the file itself (syntax, shape), with their positions. */
  problems: { line: number; column: number; message: string }[];
}

/**
 * A values file (`pollFrequency: 60`, one parameter per key) read with each parameter's rule
 * (see `parameterRules`).
 * Plain scalars are read as their setting's type from the text as written, so `siteId: 0123`
 * is the text "0123" for a text setting, not the number 123 YAML would make of it.
 */
export function readValuesYaml(text: string, rules: ReadonlyMap<string, MargoRule>): ValuesFile {
  const result: ValuesFile = { values: {}, origins: {}, problems: [] };
  const parsed = parseYaml(text);
  const position = (offset: number) => {
    const p = parsed.lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (parsed.doc === null || !isMap(parsed.doc.contents)) {
    const first = parsed.findings[0];
    result.problems.push({
      ...position(first?.offset ?? 0),
      message:
        first && first.rule !== 'yaml-not-mapping'
          ? first.message
          : 'a values file is a mapping of parameter names to values (pollFrequency: 60)',
    });
    return result;
  }
  for (const pair of parsed.doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const keyOffset = (pair.key as Node | null)?.range?.[0] ?? 0;
    if (key === undefined) {
      result.problems.push({ ...position(keyOffset), message: 'keys are parameter names' });
      continue;
    }
    const node = pair.value as Node | null;
    result.origins[key] = position(node?.range?.[0] ?? keyOffset);
    const rule = rules.get(key);
    if (node === null || (isScalar(node) && node.value === null && node.type === Scalar.PLAIN)) {
      result.values[key] = null; // `key:` written with no value: empty, not "not given"
    } else if (isScalar(node)) {
      const written = scalarText(node, text) ?? '';
      result.values[key] =
        rule && node.type === Scalar.PLAIN ? parseValueText(rule, written) : node.value;
    } else if (isSeq(node) && node.items.every((item) => isScalar(item))) {
      const { element } = rule ? splitDataType(rule.dataType) : { element: 'string' };
      result.values[key] = node.items.map((item) =>
        rule && isScalar(item) && item.type === Scalar.PLAIN
          ? parseElement(element, scalarText(item, text) ?? '')
          : (item as Scalar).value,
      );
    } else {
      result.problems.push({
        ...result.origins[key],
        message: `${key}: a parameter value is a single value or a list of values, not a mapping or nested lists`,
      });
    }
  }
  return result;
}

import type { PathSegment } from '../validation/diagnostic';
import type { ComposeReport } from './compose-report';

/*
 * Typed reads of interpolated compose values. Interpolation turns everything it touches into
 * text, so where compose takes a number or a boolean it also takes the text of one
 * (`cpus: ${CPUS}` → "0.5"), exactly as docker compose casts after interpolating.
 * Each read reports a problem at the value's own position and returns undefined.
 */

export type Path = readonly PathSegment[];
export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets an own property even for the key `__proto__`, which plain assignment would take as
 * the object's prototype: keys come from the file, and a file may hold any key.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

export function field(path: Path, key: string | number): PathSegment[] {
  return [...path, key];
}

/** How a value reads in a message: `the text "abc"`, `the number 5`, `a list`, `empty`. */
export function shown(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (isMapping(value)) return 'a mapping';
  if (typeof value === 'string')
    return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
}

/** A text; numbers and booleans are taken as written (`1.10` stays "1.10"). */
export function readText(
  r: ComposeReport,
  path: Path,
  value: unknown,
  what: string,
): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return r.written(path, value);
  r.problem(path, `${what} must be a text, not ${shown(value)}`);
  return undefined;
}

/** Non-empty text. */
export function readName(
  r: ComposeReport,
  path: Path,
  value: unknown,
  what: string,
): string | undefined {
  const text = readText(r, path, value, what);
  if (text === undefined) return undefined;
  if (text.trim() === '') {
    r.problem(path, `${what} is empty: give it a value`);
    return undefined;
  }
  return text;
}

const TRUE = ['true', 'yes', 'y', 'on'];
const FALSE = ['false', 'no', 'n', 'off'];

export function readBool(
  r: ComposeReport,
  path: Path,
  value: unknown,
  what: string,
): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (TRUE.includes(word)) return true;
    if (FALSE.includes(word)) return false;
  }
  r.problem(path, `${what} must be true or false, not ${shown(value)}`);
  return undefined;
}

export function readInt(
  r: ComposeReport,
  path: Path,
  value: unknown,
  what: string,
  range: { min?: number; max?: number } = {},
): number | undefined {
  let n = NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) n = Number(value);
  const { min, max } = range;
  if (
    !Number.isSafeInteger(n) ||
    (min !== undefined && n < min) ||
    (max !== undefined && n > max)
  ) {
    const bounds =
      min !== undefined && max !== undefined
        ? ` from ${min} to ${max}`
        : min !== undefined
          ? ` of at least ${min}`
          : '';
    r.problem(path, `${what} must be a whole number${bounds}, not ${shown(value)}`);
    return undefined;
  }
  return n;
}

/** A text or a list of texts (`dns: 10.0.0.1` or `dns: [10.0.0.1, 10.0.0.2]`). */
export function readTextList(
  r: ComposeReport,
  path: Path,
  value: unknown,
  what: string,
  options: { single?: boolean } = {},
): string[] | undefined {
  if (options.single && (typeof value === 'string' || typeof value === 'number')) {
    return [readText(r, path, value, what) as string];
  }
  if (!Array.isArray(value)) {
    r.problem(
      path,
      `${what} must be a list${options.single ? ' or a single text' : ''}, not ${shown(value)}`,
    );
    return undefined;
  }
  const out: string[] = [];
  value.forEach((item, i) => {
    const text = readText(r, field(path, i), item, `each item of ${what}`);
    if (text !== undefined) out.push(text);
  });
  return out;
}

/**
 * A mapping of texts, or a list of `KEY<separator>VALUE` (labels, environment, extra_hosts).
 * A list item without the separator, or a mapping key with no value, maps to null: the
 * caller decides what that means (a label with an empty value, an environment variable taken
 * from the deployment).
 */
export function readTextMap(
  r: ComposeReport,
  path: Path,
  value: unknown,
  what: string,
  separator = '=',
): Map<string, string | null> | undefined {
  const out = new Map<string, string | null>();
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const text = readText(r, field(path, i), item, `each item of ${what}`);
      if (text === undefined) return;
      const cut = text.indexOf(separator);
      const key = cut < 0 ? text : text.slice(0, cut);
      if (key.trim() === '') {
        r.problem(field(path, i), `"${text}" has no name before "${separator}"`);
        return;
      }
      out.set(key, cut < 0 ? null : text.slice(cut + separator.length));
    });
    return out;
  }
  if (!isMapping(value)) {
    r.problem(
      path,
      `${what} must be a mapping (KEY: value) or a list of "KEY${separator}value", not ${shown(value)}`,
    );
    return undefined;
  }
  for (const key of r.keysOf(path, value)) {
    const item = value[key];
    if (item === null || item === undefined) {
      out.set(key, null);
      continue;
    }
    const text = readText(r, field(path, key), item, `${what} ${key}`);
    if (text !== undefined) out.set(key, text);
  }
  return out;
}

/** A mapping of texts where empty values are empty texts (driver options, label maps). */
export function readStringRecord(
  r: ComposeReport,
  path: Path,
  value: unknown,
  what: string,
): Record<string, string> {
  const map = readTextMap(r, path, value, what);
  const out: Record<string, string> = {};
  for (const [key, text] of map ?? []) setOwn(out, key, text ?? '');
  return out;
}

/** Call `read` for each key the reader knows; report the others. */
export function readKeys(
  r: ComposeReport,
  path: Path,
  value: Mapping,
  readers: Record<string, (value: unknown, path: Path) => void>,
  unknown: (key: string) => string,
): void {
  for (const key of r.keysOf(path, value)) {
    const read = Object.hasOwn(readers, key) ? readers[key] : undefined;
    if (read) read(value[key], field(path, key));
    else if (!key.startsWith('x-')) r.problem(field(path, key), unknown(key), { atKey: true });
  }
}

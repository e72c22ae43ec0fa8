/** Nested defaults deeper than this are refused (`${A:-${B:-${C…}}}`); real files use two or three. */
export const MAX_INTERPOLATION_DEPTH = 32;

export interface Interpolated {
  value: string;
  /** Variables used without a default while unset: they became "" (docker compose warns too). */
  unset: string[];
  /** What makes the text unusable: a malformed `${`, or a `${VAR:?message}` whose variable is missing. */
  errors: string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Compose interpolation of one string: `$VAR`, `${VAR}`, `${VAR:-default}` (unset or empty),
 * `${VAR-default}` (unset), `${VAR:?message}`, `${VAR?message}`, `${VAR:+replacement}`,
 * `${VAR+replacement}`, `$$` for a literal `$`. Defaults and replacements are themselves
 * interpolated, and only when used, so an unused default never warns. A `$` followed by
 * anything else (`$1`, `$ `) is kept, as docker compose keeps it.
 */
export function interpolate(
  text: string,
  lookup: (name: string) => string | undefined,
): Interpolated {
  const result: Interpolated = { value: '', unset: [], errors: [] };
  if (!text.includes('$')) {
    result.value = text;
    return result;
  }
  const expanded = expand(text, 0, lookup, result);
  result.value = expanded ?? '';
  return result;
}

/** The text with its variables replaced; undefined once the text is malformed (errors say why). */
function expand(
  text: string,
  depth: number,
  lookup: (name: string) => string | undefined,
  result: Interpolated,
): string | undefined {
  if (depth > MAX_INTERPOLATION_DEPTH) {
    result.errors.push(
      `defaults are nested more than ${MAX_INTERPOLATION_DEPTH} levels deep (\${A:-\${B:-…}}): simplify the text`,
    );
    return undefined;
  }
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = dollar + 2;
      while (end < text.length && NAME_CHAR.test(text[end] as string)) end++;
      out += valueOrBlank(text.slice(dollar + 1, end), lookup, result);
      i = end;
    } else if (next === '{') {
      const braced = expandBraced(text, dollar, depth, lookup, result);
      if (braced === undefined) return undefined;
      out += braced.value;
      i = braced.end;
    } else {
      out += '$';
      i = dollar + 1;
    }
  }
  return out;
}

const MODIFIERS = [':-', ':?', ':+', '-', '?', '+'] as const;

function expandBraced(
  text: string,
  dollar: number,
  depth: number,
  lookup: (name: string) => string | undefined,
  result: Interpolated,
): { value: string; end: number } | undefined {
  const start = dollar + 2;
  let i = start;
  if (i < text.length && NAME_START.test(text[i] as string)) {
    while (i < text.length && NAME_CHAR.test(text[i] as string)) i++;
  }
  const name = text.slice(start, i);
  const shown = excerpt(text, dollar);
  if (name === '') {
    result.errors.push(
      i >= text.length
        ? `"${shown}": \${ is never closed: write \${NAME} (or $$ for a literal $)`
        : `"${shown}": \${ must be followed by a variable name (letters, digits, _; not starting with a digit); write $$ for a literal $`,
    );
    return undefined;
  }
  if (text[i] === '}') return { value: valueOrBlank(name, lookup, result), end: i + 1 };
  if (i >= text.length) {
    result.errors.push(`"${shown}": \${${name} is never closed: add the closing }`);
    return undefined;
  }
  const modifier = MODIFIERS.find((m) => text.startsWith(m, i));
  if (modifier === undefined) {
    result.errors.push(
      `"${shown}": "${text[i]}" cannot follow the variable name ${name} here: write \${${name}}, \${${name}:-default}, \${${name}:?message} or \${${name}:+replacement}`,
    );
    return undefined;
  }
  const argStart = i + modifier.length;
  const close = closingBrace(text, argStart);
  if (close < 0) {
    result.errors.push(`"${shown}": \${${name}${modifier}… is never closed: add the closing }`);
    return undefined;
  }
  const arg = text.slice(argStart, close);
  const value = lookup(name);
  const missing = value === undefined || (modifier.startsWith(':') && value === '');
  const end = close + 1;
  switch (modifier) {
    case ':-':
    case '-': {
      if (!missing) return { value: value as string, end };
      const fallback = expand(arg, depth + 1, lookup, result);
      return fallback === undefined ? undefined : { value: fallback, end };
    }
    case ':+':
    case '+': {
      if (missing) return { value: '', end };
      const replacement = expand(arg, depth + 1, lookup, result);
      return replacement === undefined ? undefined : { value: replacement, end };
    }
    default: {
      if (!missing) return { value: value as string, end };
      const message = expand(arg, depth + 1, lookup, result);
      if (message === undefined) return undefined;
      const empty = modifier === ':?' ? ' and not empty' : '';
      result.errors.push(
        message.trim() === ''
          ? `the variable ${name} must be set${empty}: give it a value in the deployment`
          : `the variable ${name} must be set${empty}: ${message.trim()}`,
      );
      return { value: '', end };
    }
  }
}

/** Index of the `}` closing a `${…` whose argument starts at `from`; nested `${…}` are skipped. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && (text[i + 1] === '$' || text[i + 1] === '{')) {
      if (text[i + 1] === '{') depth++;
      i++;
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function valueOrBlank(
  name: string,
  lookup: (name: string) => string | undefined,
  result: Interpolated,
): string {
  const value = lookup(name);
  if (value !== undefined) return value;
  if (!result.unset.includes(name)) result.unset.push(name);
  return '';
}

function excerpt(text: string, from: number): string {
  const piece = text.slice(from, from + 40);
  return piece.length < text.length - from ? `${piece}…` : piece;
}

export interface EnvFileEntry {
  key: string;
  /** Undefined for a line holding only `KEY`: the value comes from the deployment's variables. */
  value?: string;
  /** Single-quoted values are literal; the others are interpolated like compose.yaml's text. */
  interpolate: boolean;
  line: number;
  column: number;
}

export interface EnvFileProblem {
  line: number;
  column: number;
  message: string;
}

export interface EnvFile {
  entries: EnvFileEntry[];
  problems: EnvFileProblem[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Reads an env file the way docker compose does: `KEY=VALUE` lines, `#` comments, blank
 * lines, an optional `export ` prefix; single-quoted values are literal, double-quoted ones
 * know `\n`, `\t`, `\r`, `\\`, `\"` and `\$` and may span lines; unquoted values are trimmed
 * and lose an inline ` #comment`. `KEY` alone takes its value from the deployment.
 */
export function parseEnvFile(text: string): EnvFile {
  const result: EnvFile = { entries: [], problems: [] };
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (offset: number) => ({ line, column: offset - lineStart + 1 });
  const nextLine = (from: number): number => {
    const nl = source.indexOf('\n', from);
    return nl < 0 ? source.length : nl;
  };
  while (i < source.length) {
    // One logical line from here; `i` ends on its newline (or the end).
    while (source[i] === ' ' || source[i] === '\t') i++;
    const end = nextLine(i);
    const rest = source.slice(i, end);
    if (rest === '' || rest.startsWith('#')) {
      i = end;
    } else {
      let offset = i;
      const exported = /^export[ \t]+/.exec(rest);
      if (exported) offset += exported[0].length;
      const keyMatch = /^[^=\s]+/.exec(source.slice(offset, end));
      const key = keyMatch?.[0] ?? '';
      const keyAt = at(offset);
      offset += key.length;
      while (source[offset] === ' ' || source[offset] === '\t') offset++;
      if (key === '' || !KEY.test(key)) {
        result.problems.push({
          ...keyAt,
          message: `"${excerpt(rest)}" is not KEY=VALUE: a key has letters, digits, _ . or -, and starts with a letter or _`,
        });
        i = end;
      } else if (offset >= end || source[offset] === '#') {
        result.entries.push({ key, interpolate: false, ...keyAt });
        i = end;
      } else if (source[offset] !== '=') {
        result.problems.push({
          ...keyAt,
          message: `"${excerpt(rest)}" is not KEY=VALUE: spaces are not allowed around the key; quote a value that has spaces`,
        });
        i = end;
      } else {
        offset++;
        while (source[offset] === ' ' || source[offset] === '\t') offset++;
        const quote = source[offset];
        if (quote === "'" || quote === '"') {
          const read = quote === "'" ? singleQuoted(source, offset) : doubleQuoted(source, offset);
          if (read === undefined) {
            result.problems.push({
              ...at(offset),
              message: `the value of ${key} opens a quote (${quote}) that is never closed: add the closing quote`,
            });
            i = source.length;
          } else {
            result.entries.push({
              key,
              value: read.value,
              interpolate: quote === '"',
              ...keyAt,
            });
            // A quoted value may span lines; count them so later positions stay right.
            for (let k = offset; k < read.end; k++) {
              if (source[k] === '\n') {
                line++;
                lineStart = k + 1;
              }
            }
            const after = nextLine(read.end);
            const trailing = source.slice(read.end, after).trim();
            if (trailing !== '' && !trailing.startsWith('#')) {
              result.problems.push({
                ...at(read.end),
                message: `text follows the closing quote of ${key}'s value: put all of the value inside the quotes`,
              });
            }
            i = after;
          }
        } else {
          let value = source.slice(offset, end);
          const comment = /[ \t]#/.exec(value);
          if (comment) value = value.slice(0, comment.index);
          result.entries.push({ key, value: value.trim(), interpolate: true, ...keyAt });
          i = end;
        }
      }
    }
    if (source[i] === '\n') {
      i++;
      line++;
      lineStart = i;
    }
  }
  return result;
}

function singleQuoted(source: string, open: number): { value: string; end: number } | undefined {
  const close = source.indexOf("'", open + 1);
  return close < 0 ? undefined : { value: source.slice(open + 1, close), end: close + 1 };
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  // Kept as `$$`, which interpolation turns into one literal `$`.
  $: '$$',
};

function doubleQuoted(source: string, open: number): { value: string; end: number } | undefined {
  let value = '';
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '"') return { value, end: i + 1 };
    if (c === '\\' && i + 1 < source.length) {
      const e = source[i + 1] as string;
      const escaped = ESCAPES[e];
      value += escaped ?? `\\${e}`;
      i++;
    } else {
      value += c;
    }
  }
  return undefined;
}

function excerpt(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

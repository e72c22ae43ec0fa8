import { LineCounter } from 'yaml';
import { parseYaml, type ParsedYaml } from '../yaml/parse-yaml';

/**
 * The shared hardened parse (size, depth and alias guards), made total for compose files:
 * the yaml library throws while building values when a merge key names something other
 * than a mapping (`<<: *port`), and an alias to an anchor that does not exist is reported by
 * the shared parser as an alias bomb. Both become findings that say what is really wrong.
 */
export function parseComposeYaml(text: string): ParsedYaml {
  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    const merge = e instanceof Error && /merge/i.test(e.message);
    const offset = merge ? Math.max(0, text.indexOf('<<')) : 0;
    return {
      text,
      lineCounter: lineCounterOf(text),
      doc: null,
      value: undefined,
      findings: [
        {
          severity: 'error',
          rule: 'yaml-syntax',
          path: [],
          offset,
          message: merge
            ? 'a merge key (<<) must name a mapping or a list of mappings, such as <<: *defaults'
            : `invalid YAML: ${e instanceof Error ? e.message : String(e)}`,
        },
      ],
    };
  }
  for (const finding of parsed.findings) {
    if (finding.rule !== 'yaml-alias-bomb') continue;
    const dangling = danglingAlias(text);
    if (dangling) {
      finding.rule = 'yaml-syntax';
      finding.offset = dangling.offset;
      finding.message = `the alias *${dangling.name} names no anchor: define &${dangling.name} above it`;
    }
  }
  return parsed;
}

/** The first `*name` with no `&name` before it (a lexical look, good enough to explain a refusal). */
function danglingAlias(text: string): { name: string; offset: number } | undefined {
  const alias = /(^|[\s[{,])\*([^\s,[\]{}]+)/g;
  for (let m = alias.exec(text); m; m = alias.exec(text)) {
    const name = m[2] as string;
    const offset = m.index + (m[1] as string).length;
    if (!text.slice(0, offset).includes(`&${name}`)) return { name, offset };
  }
  return undefined;
}

function lineCounterOf(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
    counter.addNewLine(i + 1);
  return counter;
}

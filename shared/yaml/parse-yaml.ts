import {
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isSeq,
  parseAllDocuments,
  visit,
  type Document,
  type YAMLError,
} from 'yaml';
import { finding, type Finding } from '../validation/diagnostic';
import type { RuleId } from '../validation/rules';
import { prescanYaml } from './prescan';

/** Deeper flow nesting than this is refused before parsing (real documents stay under 20). */
export const MAX_FLOW_NESTING = 256;
/** Alias expansions allowed when building values; yaml's own guard against "billion laughs". */
export const MAX_ALIAS_COUNT = 100;
/** Deeper nesting of any kind is refused before values are built (real documents stay under 20). */
export const MAX_NESTING = 100;

export interface ParsedYaml {
  text: string;
  lineCounter: LineCounter;
  /** The first document, or null when the text is unusable (syntax errors, empty, hostile). */
  doc: Document.Parsed | null;
  /** Plain JS value of `doc`; undefined when `doc` is null. */
  value: unknown;
  findings: Finding[];
}

/**
 * Parses one YAML (or JSON) document, keeping source positions. Errors that leave the
 * structure in doubt (bad indentation, tabs, unclosed quotes) stop here, so later stages
 * never report consequences of a syntax error as if they were the engineer's mistakes.
 * Duplicate keys are reported but do not stop validation: the structure is still clear.
 */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const result: ParsedYaml = { text, lineCounter, doc: null, value: undefined, findings: [] };
  const fail = (rule: RuleId, message: string, offset: number): ParsedYaml => {
    // The line counter is only filled by the parser; positions need it even when we refuse early.
    if (lineCounter.lineStarts.length === 0) fillLineStarts(lineCounter, text);
    result.findings.push(finding(rule, [], message, offset));
    return result;
  };

  const prescan = prescanYaml(text, MAX_FLOW_NESTING);
  const deep = prescan.tooDeepAt;
  if (deep >= 0) {
    return fail(
      'yaml-too-deep',
      `lists or mappings are nested more than ${MAX_FLOW_NESTING} levels deep here: this is not a Margo document (refused to protect the application)`,
      deep,
    );
  }

  // logLevel 'error': the library would otherwise print its warnings on the console.
  const docs = parseAllDocuments(text, {
    lineCounter,
    merge: true,
    uniqueKeys: true,
    prettyErrors: false,
    logLevel: 'error',
  });
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  if (!doc || doc.contents === null) {
    return fail(
      'yaml-empty',
      'the file holds no YAML document: it is empty or only has comments',
      0,
    );
  }

  // After the first structural error the parser's further errors are mostly its consequences:
  // report that one (and every duplicate key, which does not derail parsing).
  let structural = false;
  for (const error of doc.errors) {
    const { rule, message } = describeYamlError(error, text);
    if (rule === 'yaml-duplicate-key') {
      result.findings.push(finding(rule, [], message, error.pos[0]));
    } else if (!structural) {
      structural = true;
      const unclosed =
        error.code === 'MISSING_CHAR' &&
        /quote/i.test(error.message) &&
        prescan.unclosedQuoteAt >= 0;
      result.findings.push(
        unclosed
          ? finding(
              'yaml-syntax',
              [],
              'this quoted text is never closed: add the closing quote',
              prescan.unclosedQuoteAt,
            )
          : finding(
              rule,
              [],
              message,
              rule === 'yaml-bad-indent' ? skipIndent(text, error.pos[0]) : error.pos[0],
            ),
      );
    }
  }
  for (const extra of list.slice(1)) {
    result.findings.push(
      finding(
        'yaml-multiple-documents',
        [],
        'a second YAML document starts here (after ---): a Margo file holds exactly one document; move it to its own file',
        extra.range[0],
      ),
    );
  }
  if (structural) return result;

  const tooDeep = findDeepNode(doc.contents, MAX_NESTING);
  if (tooDeep !== undefined) {
    return fail(
      'yaml-too-deep',
      `mappings and lists are nested more than ${MAX_NESTING} levels deep here: this is not a Margo document (refused to protect the application)`,
      tooDeep,
    );
  }

  try {
    result.value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const unresolved = /Unresolved alias[^:]*:\s*(\S+)/.exec(message);
    if (unresolved) {
      const name = unresolved[1] as string;
      return fail(
        'yaml-syntax',
        `invalid YAML: the alias *${name} refers to no anchor: set &${name} on a value before this alias, or write the value here`,
        aliasOffset(doc, name),
      );
    }
    if (/Merge sources must be map/i.test(message)) {
      return fail(
        'yaml-syntax',
        'invalid YAML: a merge key (<<) must name a mapping (or a list of mappings), not a single value',
        mergeOffset(doc),
      );
    }
    if (e instanceof ReferenceError) {
      return fail(
        'yaml-alias-bomb',
        'aliases (*name) here expand the document to an excessive size: this is not a Margo document (refused to protect the application)',
        firstAliasOffset(doc),
      );
    }
    throw e;
  }
  const contents = doc.contents;
  if (result.value === null || typeof result.value !== 'object' || Array.isArray(result.value)) {
    return fail(
      'yaml-not-mapping',
      'the document is not a mapping of fields (key: value): a Margo document starts with fields such as apiVersion, kind and metadata',
      contents.range[0],
    );
  }
  result.doc = doc;
  return result;
}

function describeYamlError(error: YAMLError, text: string): { rule: RuleId; message: string } {
  const first = error.message.split('\n')[0] ?? error.message;
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key = keyTextAt(text, error.pos[0]);
      return {
        rule: 'yaml-duplicate-key',
        message: `the key ${key ? `"${key}" ` : ''}appears twice in the same mapping: YAML readers keep only one of them; remove or rename the duplicate`,
      };
    }
    case 'TAB_AS_INDENT':
      return {
        rule: 'yaml-tab-indent',
        message:
          'a tab is used for indentation: YAML allows only spaces here; replace the tab with spaces',
      };
    case 'BAD_INDENT':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      if (/flow (sequence|mapping)/i.test(first)) {
        return {
          rule: 'yaml-syntax',
          message: `invalid YAML: ${lowerFirst(first)}: check that every [ and { is closed`,
        };
      }
      return {
        rule: 'yaml-bad-indent',
        message: `this line is not aligned with the lines around it (${lowerFirst(first)}): keys of one mapping and items of one list must start at the same column`,
      };
    case 'RESOURCE_EXHAUSTION':
      if (/call stack/i.test(first)) {
        return {
          rule: 'yaml-too-deep',
          message:
            'mappings and lists are nested too deeply here: this is not a Margo document (refused to protect the application)',
        };
      }
      return {
        rule: 'yaml-alias-bomb',
        message:
          'aliases here expand the document to an excessive size: refused to protect the application',
      };
    default:
      return { rule: 'yaml-syntax', message: `invalid YAML: ${lowerFirst(first)}` };
  }
}

/** The parser places indentation errors at the line start; the engineer looks for the key. */
function skipIndent(text: string, offset: number): number {
  let i = offset;
  while (text[i] === ' ') i++;
  return text[i] === '\n' || i >= text.length ? offset : i;
}

function keyTextAt(text: string, offset: number): string {
  const m = /^("[^"\n]*"|'[^'\n]*'|[^:\n]*?)\s*:/.exec(text.slice(offset, offset + 200));
  return m ? (m[1] ?? '').replace(/^["']|["']$/g, '').trim() : '';
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1).replace(/\.$/, '');
}

/**
 * Offset of the first collection nested deeper than `limit`, found without recursion: the
 * yaml library and every later stage recurse per level, and a stack overflow is not an answer.
 */
function findDeepNode(root: unknown, limit: number): number | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > limit) return node.range?.[0] ?? 0;
    for (const item of node.items) {
      stack.push({ node: isPair(item) ? item.value : item, depth: depth + 1 });
    }
  }
  return undefined;
}

function aliasOffset(doc: Document.Parsed, name: string): number {
  let offset = firstAliasOffset(doc);
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.source === name && node.range) {
        offset = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

function mergeOffset(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Pair(_key, pair) {
      const key = pair.key as {
        value?: unknown;
        source?: string;
        range?: [number, number, number];
      } | null;
      // With merge keys on, the key's value is a symbol described '<<'.
      const value = typeof key?.value === 'symbol' ? key.value.description : key?.value;
      if ((value === '<<' || key?.source === '<<') && key?.range) {
        offset = key.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) {
        offset = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

function fillLineStarts(lineCounter: LineCounter, text: string): void {
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
    lineCounter.addNewLine(i + 1);
}

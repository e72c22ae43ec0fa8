import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Scalar,
  type Document,
  type LineCounter,
} from 'yaml';
import type { PathSegment } from '../validation/diagnostic';
import { formatJsonPath } from '../validation/json-path';
import { locateKey, locatePath } from '../yaml/locate';
import type { ComposeProblem } from './compose-model';

/**
 * Collects what the loader finds, placed at file:line:column. Every reading step reports by
 * path only; this is the one place that turns a path into a position, so a message always
 * sends the engineer to the node they have to edit.
 */
export interface ComposeReport {
  readonly file: string;
  readonly problems: ComposeProblem[];
  readonly warnings: ComposeProblem[];
  problem(path: readonly PathSegment[], message: string, options?: PlaceOptions): void;
  warning(path: readonly PathSegment[], message: string, options?: PlaceOptions): void;
  /** A finding about another file of the archive (an env file), already placed. */
  add(kind: 'problem' | 'warning', problem: ComposeProblem): void;
  /**
   * A scalar as the engineer wrote it: `1.10` stays "1.10", `0o17` stays "0o17", where the
   * parsed number would print as 1.1 or 15. Strings are returned as they are.
   */
  written(path: readonly PathSegment[], value: string | number | boolean): string;
  /** Keys of a mapping in file order (JavaScript puts integer-like keys first). */
  keysOf(path: readonly PathSegment[], value: Record<string, unknown>): string[];
}

/** Findings beyond this many are summed up in one last line: the first ones are what to fix. */
export const MAX_FINDINGS = 100;

export interface PlaceOptions {
  /** Point at the key (an unsupported or unknown field), not its value. */
  atKey?: boolean;
}

export function composeReport(
  file: string,
  doc: Document | null,
  lineCounter: LineCounter,
): ComposeReport {
  const problems: ComposeProblem[] = [];
  const warnings: ComposeProblem[] = [];
  const seen = new Set<string>();
  const add = (kind: 'problem' | 'warning', problem: ComposeProblem) => {
    // Aliased nodes are read once per use; say it once.
    const id = `${kind}\n${problem.file}\n${problem.line}:${problem.column}\n${problem.message}`;
    if (seen.has(id)) return;
    seen.add(id);
    const list = kind === 'problem' ? problems : warnings;
    if (list.length < MAX_FINDINGS) list.push(problem);
    else if (list.length === MAX_FINDINGS) {
      list.push({
        ...problem,
        message: `more than ${MAX_FINDINGS} ${kind}s: the first ${MAX_FINDINGS} are listed; fix them and load the file again`,
      });
    }
  };
  const full = (kind: 'problem' | 'warning') =>
    (kind === 'problem' ? problems : warnings).length > MAX_FINDINGS;
  // Child lookups by key, built once per mapping: big mappings would make each lookup a scan.
  const childIndex = new WeakMap<object, Map<string, unknown>>();
  const parents = new Map<string, unknown>();
  const nodeAt = (path: readonly PathSegment[]): unknown => {
    if (!doc || path.length === 0) return doc?.contents ?? null;
    const parentPath = path.slice(0, -1);
    const id = JSON.stringify(parentPath);
    if (!parents.has(id)) parents.set(id, locatePath(doc, parentPath).node);
    const parent = parents.get(id);
    const last = path[path.length - 1] as PathSegment;
    let child: unknown;
    if (isSeq(parent) && typeof last === 'number') child = parent.items[last];
    else if (isMap(parent)) {
      let index = childIndex.get(parent);
      if (!index) {
        index = new Map();
        for (const pair of parent.items) {
          if (isPair(pair) && isScalar(pair.key) && !index.has(String(pair.key.value))) {
            index.set(String(pair.key.value), pair.value);
          }
        }
        childIndex.set(parent, index);
      }
      child = index.get(String(last));
    }
    for (let hops = 0; isAlias(child) && hops < 32; hops++) child = child.resolve(doc);
    return child ?? null;
  };
  const place = (
    kind: 'problem' | 'warning',
    path: readonly PathSegment[],
    message: string,
    options?: PlaceOptions,
  ) => {
    // Past the limit nothing more is shown: placing it would only cost time.
    if (full(kind)) return;
    let offset = 0;
    if (doc) offset = options?.atKey ? locateKey(doc, path) : locatePath(doc, path).offset;
    const position = lineCounter.linePos(offset);
    add(kind, {
      file,
      line: Math.max(1, position.line),
      column: Math.max(1, position.col),
      path: formatJsonPath(path),
      message,
    });
  };
  return {
    file,
    problems,
    warnings,
    problem: (path, message, options) => place('problem', path, message, options),
    warning: (path, message, options) => place('warning', path, message, options),
    add,
    written(path, value) {
      if (typeof value === 'string') return value;
      const node = nodeAt(path);
      if (isScalar(node) && node.type === Scalar.PLAIN && node.value === value && node.source) {
        return node.source;
      }
      return String(value);
    },
    keysOf(path, value) {
      const keys = Object.keys(value);
      const node = doc ? locatePath(doc, path).node : null;
      if (!isMap(node)) return keys;
      const inFile = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (Object.hasOwn(value, key)) inFile.add(key);
      }
      // Keys brought in by a merge (`<<: *defaults`) are not pairs of this node: keep them after.
      return [...inFile, ...keys.filter((k) => !inFile.has(k))];
    },
  };
}

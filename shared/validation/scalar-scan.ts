import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type YAMLMap } from 'yaml';
import { FILL_IN_PLACEHOLDER, TEMPLATE_PLACEHOLDER } from '../margo/patterns';
import { finding, type Finding, type PathSegment } from './diagnostic';

const YAML11_BOOLEAN = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const YAML11_OCTAL = /^[-+]?0[0-7]+$/;

/**
 * Finds values that differ from what was meant no matter which document they are in:
 * unrendered template placeholders (`{{ .Values.x }}`, quoted or not) and plain scalars
 * that YAML 1.1 readers (PyYAML, older Go and Helm tooling) read differently than we do.
 */
export interface ScalarScan {
  findings: Finding[];
  /**
   * Unquoted `{{ X }}` placeholders, which YAML reads as nested mappings, with their text:
   * validation reads them as that text, so the rest of the document is still checked.
   */
  placeholderMappings: { path: PathSegment[]; text: string }[];
}

export function scanScalars(doc: Document, text: string): ScalarScan {
  const findings: Finding[] = [];
  const placeholderMappings: ScalarScan['placeholderMappings'] = [];
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isAlias(node)) return;
    if (isMap(node)) {
      if (isPlaceholderMapping(node) && node.range) {
        const source = text.slice(node.range[0], node.range[1]).trim();
        findings.push(placeholder(source, path, node.range[0]));
        placeholderMappings.push({ path, text: source });
        return;
      }
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (isScalar(pair.key)) checkScalar(pair.key, [...path, key], false);
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else if (isScalar(node)) {
      checkScalar(node, path, true);
    }
  };
  const checkScalar = (node: Scalar, path: PathSegment[], isValue: boolean): void => {
    const offset = node.range?.[0] ?? 0;
    if (typeof node.value === 'string') {
      const m =
        TEMPLATE_PLACEHOLDER.exec(node.value) ?? FILL_IN_PLACEHOLDER.exec(node.value.trim());
      if (m) {
        findings.push(placeholder(m[0], path, offset));
        return;
      }
    }
    if (!isValue || node.type !== Scalar.PLAIN || node.source === undefined) return;
    if (YAML11_BOOLEAN.test(node.source)) {
      findings.push(
        finding(
          'yaml11-ambiguous',
          path,
          `${node.source} is text for YAML 1.2 readers (like this one) but ${/^[yYoO]/.test(node.source) && !/^of/i.test(node.source) ? 'true' : 'false'} for YAML 1.1 readers (PyYAML, older Go and Helm tools): write true/false, or quote it ("${node.source}") if you mean the text`,
          offset,
        ),
      );
    } else if (YAML11_OCTAL.test(node.source)) {
      findings.push(
        finding(
          'yaml11-ambiguous',
          path,
          `${node.source} is the number ${String(node.value)} for YAML 1.2 readers but an octal number (${parseInt(node.source, 8)}) for YAML 1.1 readers: quote it ("${node.source}") if you mean the text, or drop the leading zero`,
          offset,
        ),
      );
    }
  };
  walk(doc.contents, []);
  return { findings, placeholderMappings };
}

/**
 * `{{ X }}` unquoted is YAML for a flow mapping whose single key is the flow mapping `{ X }`,
 * both without values; that structure is never meant as data.
 */
function isPlaceholderMapping(node: YAMLMap): boolean {
  if (!node.flow || node.items.length !== 1) return false;
  const [pair] = node.items;
  const inner = pair?.key;
  return (
    isMap(inner) &&
    inner.flow === true &&
    inner.items.length === 1 &&
    isNullish(pair?.value) &&
    inner.items.every((p) => isNullish(p.value))
  );
}

function isNullish(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function placeholder(text: string, path: PathSegment[], offset: number): Finding {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return finding(
    'template-placeholder',
    path,
    `${shown} is an unrendered template placeholder: Margo files are read as written, so render the template (or write the real value) before packaging`,
    offset,
  );
}

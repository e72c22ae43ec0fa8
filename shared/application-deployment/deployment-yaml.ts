import { Document, parse, Scalar, visit, type ScalarTag } from 'yaml';

/**
 * Numbers in exponent form written with a fraction and a signed exponent (`1.0e-7`), the only
 * exponent form YAML 1.1 readers take for a number; YAML 1.2 reads it the same.
 */
const exponentNumber: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  identify: (v) => typeof v === 'number' && Number.isFinite(v) && JSON.stringify(v).includes('e'),
  test: /^(?!)/, // only for writing: reading is left to the standard tags
  resolve: (text) => Number(text),
  stringify: ({ value }) => {
    const text = JSON.stringify(value);
    return text.includes('.') ? text : text.replace('e', '.0e');
  },
};

/**
 * The YAML of a deployment, byte for byte the same for the same deployment: keys in the order
 * the object has them (the builder builds them in canonical order), no line folding, and
 * double quotes around every string that some YAML reader would take for something else —
 * YAML 1.1 readers (PyYAML, go-yaml v2, older device clients) read `yes`, `on`, `0123`, `1:20`,
 * `2026-01-01` as booleans, numbers and dates; YAML 1.2 readers read `1e3`, `0x1F`, `null`.
 * Numbers are written so that both read them as numbers.
 */
export function deploymentYaml(deployment: unknown): string {
  const doc = new Document(deployment, {
    version: '1.2',
    customTags: (tags) => [exponentNumber, ...tags],
  });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && misread(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0, indent: 2, indentSeq: true });
}

/** Whether a plain (unquoted) `text` would not read back as that very string. */
export function misread(text: string): boolean {
  // YAML 1.1's merge key and value indicator.
  if (text === '<<' || text === '=') return true;
  for (const version of ['1.1', '1.2'] as const) {
    try {
      const back: unknown = parse(text, { version, logLevel: 'silent' });
      if (back !== text) return true;
    } catch {
      return true;
    }
  }
  return false;
}

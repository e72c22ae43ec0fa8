import { parseQuantity } from '../../shared/units/quantity';

/**
 * A size as an engineer writes it on the command line: bytes (`1048576`) or binary units
 * (`500MiB`, `16GiB`, also Margo's `16Gi`). Decimal units (`16GB`) are refused rather than
 * guessed at.
 */
export function parseByteSize(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  return /^\d+(\.\d+)?\s?[KMGTPE]iB?$/.test(t) ? parseQuantity(t.replace(/B$/, '')) : undefined;
}

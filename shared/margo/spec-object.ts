import { z } from 'zod';
import { EXTENSION_KEY } from './patterns';
import type { RuleId } from '../validation/rules';

/** Tells the diagnostics mapper which rule a custom zod issue belongs to. */
export interface RuleParams {
  rule: RuleId;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object of the Margo specification. Unknown fields are kept (the spec grows, suppliers
 * extend it) and reported as warnings, never as errors; `x-<name>-extensions` are kept silently.
 * `label` names the object in messages ("not a field of a deployment profile").
 */
export function specObject<Shape extends z.core.$ZodLooseShape>(label: string, shape: Shape) {
  const known = new Set(Object.keys(shape));
  return z.looseObject(shape).check(
    z.superRefine(
      (value: Record<string, unknown>, ctx) => {
        for (const key of Object.keys(value)) {
          if (known.has(key)) continue;
          const add = (rule: RuleId, message: string) =>
            ctx.addIssue({
              code: 'custom',
              path: [key],
              message,
              params: { rule } satisfies RuleParams,
            });
          if (EXTENSION_KEY.test(key)) {
            if (!isRecord(value[key])) {
              add(
                'extension-not-object',
                `the extension \`${key}\` should be a mapping of fields; it is kept as is`,
              );
            }
          } else if (key.startsWith('x-')) {
            add(
              'extension-key',
              `\`${key}\` looks like an extension but is not named x-<name>-extensions (lower-case name): it is kept, but rename it to e.g. \`x-${slug(key.slice(2))}-extensions\``,
            );
          } else {
            const near = closestKey(key, known);
            add(
              'unknown-field',
              near
                ? `\`${key}\` is not a field of ${label} in Margo v1.0.0-rc.3 and is ignored: did you mean \`${near}\`?`
                : `\`${key}\` is not a field of ${label} in Margo v1.0.0-rc.3 and is ignored: check its spelling, or name a supplier field x-<name>-extensions`,
            );
          }
        }
      },
      { when: (payload) => isRecord(payload.value) },
    ),
  );
}

/** A known key the supplier probably meant: same letters in another case, or one or two typos. */
function closestKey(key: string, known: ReadonlySet<string>): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    if (candidate.toLowerCase() === lower) return candidate;
    if (Math.min(candidate.length, key.length) < 4) continue;
    const d = editDistance(lower, candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return previous[b.length] ?? limit;
}

function slug(s: string): string {
  const cleaned = s
    .toLowerCase()
    .replace(/-extensions?$/, '')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '');
  return cleaned || 'vendor';
}

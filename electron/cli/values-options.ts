import type { ValuesInput } from '../core/configuration/parameter-values';
import { resolveFromCaller } from './caller-directory';

/** `--values <file>` and `--set <parameter=value>`… as the use cases take them. */
export function valuesFromOptions(options: { values?: string; set?: string[] }): ValuesInput {
  return {
    ...(options.values !== undefined
      ? { file: { path: resolveFromCaller(options.values), shownAs: options.values } }
      : {}),
    assignments: options.set ?? [],
  };
}

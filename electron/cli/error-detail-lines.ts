import type { StatusError } from '../../shared/contract/deployments';

/**
 * `--verbose`: what the device or the system said behind a failure, as it said it (error codes
 * included), indented under the sentence people read. Nothing without `--verbose` or a detail.
 */
export function errorDetailLines(
  error: StatusError | null | undefined,
  verbose: boolean | undefined,
  indent = '  ',
): string[] {
  if (!verbose || !error?.detail) return [];
  return [
    `${indent}details (${error.code}${error.source ? `, from ${error.source}` : ''}):`,
    ...error.detail.split('\n').map((line) => `${indent}  ${line}`),
  ];
}

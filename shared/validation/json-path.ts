import type { PathSegment } from './diagnostic';

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * Formats a path the way engineers read it in the spec: `deploymentProfiles[0].components[1].name`.
 * Keys that are not plain identifiers (dots, spaces, leading digits) are bracket-quoted so
 * the path stays unambiguous: `parameters["idp.name"]`.
 */
export function formatJsonPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

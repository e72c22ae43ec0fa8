import type { ProfileType, Target } from '../../margo/components';
import { ENV_VAR_NAME, HELM_VALUE_PATH } from '../../margo/patterns';
import type { PathSegment } from '../diagnostic';
import type { Findings } from '../findings';

/** Which deployment types each component name appears under (a name may serve helm and compose). */
export type ComponentTypes = ReadonlyMap<string, ReadonlySet<ProfileType>>;

/** `ENV.NAME` (older drafts; some packages write `env.`): the variable is NAME. */
const LEGACY_ENV_PREFIX = /^env\./i;

/**
 * Targets must name existing components, and each pointer must be usable by the runtime of
 * the components it feeds: an environment variable name for compose, a `--set` path for Helm.
 */
export function checkTargets(
  targets: readonly Target[],
  path: readonly PathSegment[],
  components: ComponentTypes,
  scope: string,
  findings: Findings,
  profileIds: ReadonlySet<string> = new Set(),
): void {
  targets.forEach((target, t) => {
    const at = [...path, t];
    const types = new Set<ProfileType>();
    target.components.forEach((name, c) => {
      const known = components.get(name);
      if (!known) {
        findings.add(
          'target-component-unknown',
          [...at, 'components', c],
          profileIds.has(name)
            ? `"${name}" is the id of a deployment profile, not a component: name its components (${[...components.keys()].join(', ')}) instead`
            : `"${name}" is not a component of ${scope}${suggest(name, components)}: targets must name a component of a deployment profile`,
        );
      } else {
        for (const type of known) types.add(type);
      }
    });
    const pointer = target.pointer;
    if (types.has('compose')) {
      const legacy = LEGACY_ENV_PREFIX.test(pointer);
      const name = pointer.replace(LEGACY_ENV_PREFIX, '');
      if (legacy && ENV_VAR_NAME.test(name)) {
        findings.add(
          'legacy-env-pointer',
          [...at, 'pointer'],
          `compose pointer "${pointer}": rc.3 names the environment variable alone, write "${name}"; read as ${name}`,
        );
      } else if (!ENV_VAR_NAME.test(name)) {
        findings.add(
          'pointer-odd',
          [...at, 'pointer'],
          `"${pointer}" is not an environment variable name, which is what a compose pointer names (letters, digits and _, not starting with a digit): compose components cannot receive this value as is`,
        );
      }
    }
    if (types.has('helm') && !HELM_VALUE_PATH.test(pointer)) {
      findings.add(
        'pointer-odd',
        [...at, 'pointer'],
        `"${pointer}" is not a Helm value path as \`helm --set\` takes it (keys separated by single dots, [n] for list items, no spaces, = or commas)`,
      );
    }
  });
}

function suggest(name: string, components: ComponentTypes): string {
  const lower = name.toLowerCase();
  for (const known of components.keys()) {
    if (
      known.toLowerCase() === lower ||
      known.replace(/[-_]/g, '') === lower.replace(/[-_]/g, '')
    ) {
      return ` (did you mean "${known}"?)`;
    }
  }
  return '';
}

import type { ApplicationDescription, DeploymentProfile } from '../margo/application-description';
import type { Target } from '../margo/components';

/** Where one value lands in a profile: an environment variable or a Helm value of a component. */
export interface ValueTarget {
  component: string;
  kind: 'environment variable' | 'Helm value' | 'custom';
  /** As the runtime reads it: `IDP_URL` (legacy `ENV.IDP_URL` read as IDP_URL), `idp.providerUrl`. */
  pointer: string;
}

/** The targets of a parameter that belong to a profile (others are for other profiles). */
export function targetsInProfile(targets: readonly Target[], profile: DeploymentProfile): Target[] {
  const names = new Set(profile.components.map((c) => c.name));
  return targets
    .map((t) => ({ ...t, components: t.components.filter((c) => names.has(c)) }))
    .filter((t) => t.components.length > 0);
}

/**
 * For the UI and the CLI: where each parameter's value goes in the chosen profile, e.g.
 * "environment variable IDP_URL of database-services", "Helm value idp.providerUrl of
 * digitron-orchestrator".
 */
export function valueTargets(
  description: ApplicationDescription,
  profile: DeploymentProfile,
  parameter: string,
): ValueTarget[] {
  const p = description.parameters?.[parameter];
  if (!p) return [];
  const kind: ValueTarget['kind'] =
    profile.type === 'compose'
      ? 'environment variable'
      : profile.type === 'helm'
        ? 'Helm value'
        : 'custom';
  return targetsInProfile(p.targets, profile).flatMap((t) =>
    t.components.map((component) => ({
      component,
      kind,
      pointer: profile.type === 'compose' ? t.pointer.replace(/^env\./i, '') : t.pointer,
    })),
  );
}

export function describeTargets(targets: readonly ValueTarget[]): string {
  return targets.map((t) => `${t.kind} ${t.pointer} of ${t.component}`).join('; ');
}

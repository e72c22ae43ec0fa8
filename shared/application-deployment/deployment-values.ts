import { MASK } from '../configuration/secret-heuristic';
import { sameValue } from '../configuration/validate-configuration';
import { isEmptyValue } from '../configuration/value-rules';
import { valueTargets } from '../configuration/value-targets';
import type { PlanValueView } from '../contract/deploy';
import type { ApplicationDeployment } from '../margo/application-deployment';
import type { ApplicationDescription, DeploymentProfile } from '../margo/application-description';

/** A value as people read it: text as is, lists joined with commas; null when empty. */
export function valueWords(value: unknown): string | null {
  if (isEmptyValue(value)) return null;
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  return String(value);
}

/** The values a deployment carries, by parameter name (left-out empty values are absent). */
export function deployedValues(deployment: ApplicationDeployment): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(deployment.spec.parameters ?? {}).map(([name, p]) => [name, p.value]),
  );
}

/** One device's deployment, as the review lists its values. */
export interface DeviceValues {
  device: string;
  description: ApplicationDescription;
  profile: DeploymentProfile;
  deployment: ApplicationDeployment;
  secrets: readonly string[];
  /** Parameters given for this device alone. */
  own: ReadonlySet<string>;
}

/**
 * Per device, every parameter of its profile: the value it gets (a secret's masked, an empty
 * one null), where the value goes (the component and the variable or Helm value it fills), and
 * whether it is not the same on every device. Secrets are compared, never shown: "differs" is
 * all that is said of them.
 */
export function reviewValues(devices: readonly DeviceValues[]): Map<string, PlanValueView[]> {
  const valuesOf = new Map(devices.map((d) => [d.device, deployedValues(d.deployment)]));
  const out = new Map<string, PlanValueView[]>();
  for (const d of devices) {
    const mine = valuesOf.get(d.device) ?? {};
    const settings = new Map(
      (d.description.configuration?.sections ?? []).flatMap((s) =>
        s.settings.map((setting) => [setting.parameter, setting.name] as const),
      ),
    );
    const rows: PlanValueView[] = [];
    for (const parameter of Object.keys(d.description.parameters ?? {}).sort()) {
      const targets = valueTargets(d.description, d.profile, parameter);
      if (targets.length === 0) continue;
      const value = mine[parameter];
      const secret = d.secrets.includes(parameter);
      const differs = devices.some(
        (other) =>
          other.device !== d.device &&
          other.profile.id === d.profile.id &&
          !sameValue((valuesOf.get(other.device) ?? {})[parameter], value),
      );
      rows.push({
        parameter,
        setting: settings.get(parameter) ?? null,
        value: secret && !isEmptyValue(value) ? MASK : valueWords(value),
        secret,
        targets,
        own: d.own.has(parameter),
        differs,
      });
    }
    out.set(d.device, rows);
  }
  return out;
}

import type { ApplicationDescription } from '../margo/application-description';
import { DataType } from '../margo/configuration';
import type { MargoRule } from './form-model';

/**
 * The schema rule of each parameter that has a setting (the first setting, as the form shows
 * it), whatever the profile: how a value typed as text is to be read.
 */
export function parameterRules(description: ApplicationDescription): Map<string, MargoRule> {
  const rules = new Map((description.configuration?.schema ?? []).map((r) => [r.name, r]));
  const out = new Map<string, MargoRule>();
  for (const section of description.configuration?.sections ?? []) {
    for (const setting of section.settings) {
      const rule = rules.get(setting.schema);
      const dataType = DataType.safeParse(rule?.dataType);
      if (!rule || !dataType.success || out.has(setting.parameter)) continue;
      out.set(setting.parameter, { ...rule, dataType: dataType.data });
    }
  }
  return out;
}

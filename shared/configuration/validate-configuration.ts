import type { FormModel } from './form-model';
import { MASK } from './secret-heuristic';
import { checkValue, isEmptyValue } from './value-rules';

/** One refused value, named by its parameter and, when it has one, its setting's label. */
export interface ConfigurationError {
  parameter: string;
  /** The setting's label as the form shows it ("Poll Frequency"). */
  setting?: string;
  /** Plain words: "must be at most 45 characters (is 46)". */
  message: string;
}

/**
 * The one validator of configuration values. The form calls it on every change (through the
 * react-jsonschema-form adapter) and the Node side calls it, through the deployment builder,
 * before anything is saved or deployed; both therefore refuse exactly the same values.
 * `values` are the complete values of the form: defaults already filled in.
 */
export function validateConfiguration(
  model: FormModel,
  values: Readonly<Record<string, unknown>>,
): ConfigurationError[] {
  const errors: ConfigurationError[] = [];
  for (const field of model.fields) {
    const value = values[field.parameter];
    const at = { parameter: field.parameter, setting: field.setting.name };
    // A masked secret stands for its default or installed value, checked when it was set.
    if (field.secret && value === MASK) continue;
    if (field.locked && !sameValue(value, field.default)) {
      const was = field.secret ? MASK : JSON.stringify(field.default);
      errors.push({
        ...at,
        message: `cannot change after installation (immutable): it was installed as ${was}; to change it, remove the deployment and deploy again`,
      });
      continue;
    }
    for (const message of checkValue(field.rule, value)) errors.push({ ...at, message });
  }
  const shown = new Set(model.fields.map((f) => f.parameter));
  const hidden = new Set(model.hidden.map((h) => h.parameter));
  for (const [parameter, value] of Object.entries(values)) {
    if (shown.has(parameter)) continue;
    if (hidden.has(parameter)) {
      // Its default is deployed as is; a caller passing the very same value changes nothing.
      const fixed = model.hidden.find((h) => h.parameter === parameter)?.value;
      if (value === undefined || sameValue(value, fixed)) continue;
      errors.push({
        parameter,
        message:
          'is not configurable: the application has no setting for it, so it keeps the value the supplier gave it',
      });
    } else if (model.notApplicable.includes(parameter)) {
      errors.push({
        parameter,
        message: `feeds no component of profile ${model.profile.id}: it belongs to another deployment profile`,
      });
    } else if (value !== undefined) {
      errors.push({ parameter, message: 'is not a parameter of this application' });
    }
  }
  return errors;
}

/** Values compared as the deployment would carry them (lists item by item). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) && isEmptyValue(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  return a === b;
}

import type { FormModel } from '../../../../shared/configuration/form-model';
import { validateConfiguration } from '../../../../shared/configuration/validate-configuration';
import { isEmptyValue } from '../../../../shared/configuration/value-rules';
import type { DeployForm, DeployRequest, Values } from '../../../../shared/contract/deploy';

export type FormModelView = NonNullable<DeployForm['form']>;
export type FormFieldView = FormModelView['fields'][number];

/**
 * The contract carries shared/configuration's FormModel; only its optional keys differ in
 * spelling (absent vs. present and undefined), which is what the validator is given here.
 */
export function asFormModel(view: FormModelView): FormModel {
  return {
    ...view,
    fields: view.fields.map((f) => ({ ...f, default: f.default })),
    hidden: view.hidden.map((h) => ({ ...h, value: h.value })),
  };
}

/**
 * The wizard's configuration: the values every chosen device gets, and per device the values
 * that differ (its overrides). It lives in the wizard, outside React state, so typing in the
 * form does not redraw the wizard.
 */
export interface ConfigState {
  /** The profile these values were made for: another profile starts again. */
  profile: string;
  values: Values;
  overrides: Record<string, Values>;
}

/** Equal as values to deploy: the empty ones (undefined, null, '', []) are one and the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) && isEmptyValue(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => v === b[i]);
  }
  return a === b;
}

/**
 * Where the form starts: on an update the installed values of the first chosen device that has
 * some, else the defaults. Other updated devices whose installed values differ keep them, as
 * their overrides, so updating several devices at once changes none of them by surprise.
 * Locked fields are left to each device (see `deployRequest`).
 */
export function startingConfig(
  form: DeployForm,
  model: FormModelView,
  devices: readonly string[],
): ConfigState {
  const first = devices.find((d) => form.installedValues[d] !== undefined);
  const base = first ? form.installedValues[first] : undefined;
  const values: Values = {};
  for (const f of model.fields) {
    values[f.parameter] =
      base && base[f.parameter] !== undefined ? base[f.parameter] : (f.default ?? undefined);
  }
  const overrides: Record<string, Values> = {};
  for (const device of devices) {
    const installed = form.installedValues[device];
    if (!installed || device === first) continue;
    const own: Values = {};
    for (const f of model.fields) {
      const v = installed[f.parameter];
      if (!f.locked && v !== undefined && !sameValue(v, values[f.parameter])) own[f.parameter] = v;
    }
    if (Object.keys(own).length) overrides[device] = own;
  }
  return { profile: model.profile.id, values, overrides };
}

/** The same configuration for another set of devices: what was typed stays. */
export function configForDevices(
  config: ConfigState,
  form: DeployForm,
  model: FormModelView,
  devices: readonly string[],
): ConfigState {
  const fresh = startingConfig(form, model, devices);
  const overrides: Record<string, Values> = {};
  for (const device of devices) {
    const own = config.overrides[device] ?? fresh.overrides[device];
    if (own) overrides[device] = own;
  }
  // A field these devices lock shows what is installed, whatever was typed before.
  const values = { ...config.values };
  for (const f of model.fields) if (f.locked) values[f.parameter] = f.default;
  return { ...config, values, overrides };
}

/** The devices whose values (shared and own) the validator refuses. */
export function devicesWithErrors(
  model: FormModel,
  config: ConfigState,
  devices: readonly string[],
): string[] {
  return devices.filter((d) => validateConfiguration(model, deviceValues(config, d)).length > 0);
}

/** A device's values: the shared ones with its own on top. */
export function deviceValues(config: ConfigState, device: string): Values {
  return { ...config.values, ...config.overrides[device] };
}

/** The fields a device's form changed from the shared values (locked ones cannot change). */
export function overridesOf(model: FormModelView, data: Values, shared: Values): Values {
  const own: Values = {};
  for (const f of model.fields) {
    if (f.locked) continue;
    if (!sameValue(data[f.parameter], shared[f.parameter])) own[f.parameter] = data[f.parameter];
  }
  return own;
}

/**
 * The plan's and the deploy's request. A cleared field is sent as null ("empty"), because an
 * absent value means "keep the default or installed value" to the builder. Locked (immutable,
 * installed) fields are not sent at all, so each updated device keeps its own installed value.
 */
export function deployRequest(
  target: { id: string; version: string; profile: string; devices: readonly string[] },
  model: FormModelView,
  config: ConfigState,
): DeployRequest {
  const sendable = model.fields.filter((f) => !f.locked).map((f) => f.parameter);
  const values: Values = {};
  for (const p of sendable) values[p] = config.values[p] ?? null;
  const overrides: Record<string, Values> = {};
  for (const device of target.devices) {
    const own = config.overrides[device];
    if (!own) continue;
    const sent: Values = {};
    for (const p of sendable) if (p in own) sent[p] = own[p] ?? null;
    if (Object.keys(sent).length) overrides[device] = sent;
  }
  return {
    id: target.id,
    version: target.version,
    profile: target.profile,
    devices: [...target.devices],
    values,
    ...(Object.keys(overrides).length ? { overrides } : {}),
  };
}

/** "→ POLL_SECONDS in line-status" for each place a value goes. */
export function whereShort(field: FormFieldView): string {
  return field.targets.map((t) => `→ ${t.pointer} in ${t.component}`).join(', ');
}

import { CommissionerError } from '../contract/contract-error';
import type { ApplicationDescription, DeploymentProfile } from '../margo/application-description';
import type { ParameterValue } from '../margo/components';
import { DataType, type SchemaRule, type Setting } from '../margo/configuration';
import { isSecretParameter } from './secret-heuristic';
import { describeTargets, targetsInProfile, valueTargets, type ValueTarget } from './value-targets';
import { optionValue, splitDataType } from './value-rules';

export type MargoRule = SchemaRule & { dataType: DataType };

/** One field of the configuration form: a setting, its rule, where its value goes. */
export interface FormField {
  parameter: string;
  section: string;
  setting: Setting;
  rule: MargoRule;
  default: ParameterValue | undefined;
  secret: boolean;
  /** Immutable and already installed: shown, but it cannot change. */
  locked: boolean;
  targets: ValueTarget[];
}

/** JSON Schema as rjsf and the CLI read it (draft 2020-12 keywords, a few x-margo ones). */
export type JsonSchema = { [keyword: string]: unknown };

export interface FormModel {
  profile: DeploymentProfile;
  fields: FormField[];
  /** Parameters without a setting: not shown, deployed with their default value. */
  hidden: { parameter: string; value: ParameterValue | undefined; secret: boolean }[];
  /** Settings whose parameter feeds no component of this profile (they belong to another). */
  notApplicable: string[];
  schema: JsonSchema;
  uiSchema: Record<string, unknown>;
}

/** No profile named so, or several to choose from: the message lists them. */
export class ProfileChoiceError extends CommissionerError<'choose-profile'> {
  constructor(message: string, description: ApplicationDescription) {
    super('choose-profile', message, {
      profiles: description.deploymentProfiles.map((p) => p.id),
    });
  }
}

/** The profile to configure: the one named, or the only one there is. */
export function chooseProfile(
  description: ApplicationDescription,
  profileId?: string,
): DeploymentProfile {
  const profiles = description.deploymentProfiles;
  if (profileId !== undefined) {
    const found = profiles.find((p) => p.id === profileId);
    if (!found)
      throw new ProfileChoiceError(
        `${description.id} has no profile "${profileId}" (it has ${profiles.map((p) => `${p.id} (${p.type})`).join(', ')})`,
        description,
      );
    return found;
  }
  if (profiles.length === 1) return profiles[0] as DeploymentProfile;
  throw new ProfileChoiceError(
    `${description.id} has ${profiles.length} profiles: choose one (${profiles.map((p) => `${p.id} (${p.type})`).join(', ')})`,
    description,
  );
}

/**
 * The configuration form of one profile: Margo `configuration` sections and settings, their
 * schema rules as JSON Schema (types, lengths, patterns, ranges, options), defaults from the
 * parameters, and a uiSchema with the groups, help texts, where each value goes, secret
 * fields and immutable fields locked when `installed` values are given (an update).
 */
export function buildFormModel(
  description: ApplicationDescription,
  profile: DeploymentProfile,
  installed?: Readonly<Record<string, ParameterValue>>,
): FormModel {
  const parameters = description.parameters ?? {};
  const rules = new Map((description.configuration?.schema ?? []).map((r) => [r.name, r]));
  const fields: FormField[] = [];
  const notApplicable: string[] = [];
  const shown = new Set<string>();
  for (const section of description.configuration?.sections ?? []) {
    for (const setting of section.settings) {
      const parameter = parameters[setting.parameter];
      const rule = rules.get(setting.schema);
      const dataType = DataType.safeParse(rule?.dataType);
      if (!parameter || !rule || !dataType.success || shown.has(setting.parameter)) continue;
      if (targetsInProfile(parameter.targets, profile).length === 0) {
        notApplicable.push(setting.parameter);
        continue;
      }
      shown.add(setting.parameter);
      const locked =
        setting.immutable === true &&
        installed !== undefined &&
        installed[setting.parameter] !== undefined;
      fields.push({
        parameter: setting.parameter,
        section: section.name,
        setting,
        rule: { ...rule, dataType: dataType.data },
        default: locked ? installed[setting.parameter] : (parameter.value ?? undefined),
        secret: isSecretParameter(setting.parameter, parameter, setting),
        locked,
        targets: valueTargets(description, profile, setting.parameter),
      });
    }
  }
  const hidden = Object.entries(parameters)
    .filter(
      ([name, p]) =>
        !shown.has(name) &&
        !notApplicable.includes(name) &&
        targetsInProfile(p.targets, profile).length > 0,
    )
    .map(([name, p]) => ({
      parameter: name,
      value: p.value ?? undefined,
      secret: isSecretParameter(name, p),
    }));
  return {
    profile,
    fields,
    hidden,
    notApplicable,
    schema: jsonSchema(description, fields),
    uiSchema: uiSchema(fields),
  };
}

function jsonSchema(description: ApplicationDescription, fields: readonly FormField[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const f of fields) {
    properties[f.parameter] = fieldSchema(f);
    if (f.rule.allowEmpty !== true) required.push(f.parameter);
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `${description.metadata.name} ${description.metadata.version}`,
    type: 'object',
    properties,
    required,
    additionalProperties: false,
  };
}

const JSON_TYPE: Record<string, string> = {
  string: 'string',
  integer: 'integer',
  double: 'number',
  boolean: 'boolean',
};

function fieldSchema(f: FormField): JsonSchema {
  const { element, list } = splitDataType(f.rule.dataType);
  const r = f.rule;
  const scalar: JsonSchema = { type: JSON_TYPE[element] };
  if (element === 'string') {
    // allowEmpty false (or absent) means a value is required: for text, at least one character
    // (for a list, at least one item: see minItems; its items may be empty).
    const min = Math.max(r.minLength ?? 0, r.allowEmpty === true || list ? 0 : 1);
    if (min > 0) scalar.minLength = min;
    if (r.maxLength !== undefined) scalar.maxLength = r.maxLength;
    if (r.regexMatch !== undefined) scalar.pattern = r.regexMatch;
  }
  if (element === 'integer' || element === 'double') {
    if (r.minValue !== undefined) scalar.minimum = r.minValue;
    if (r.maxValue !== undefined) scalar.maximum = r.maxValue;
    // multipleOf would suffer float error (0.3 % 0.1): precision is checked by the Margo validator.
    if (r.minPrecision !== undefined) scalar['x-margo-minPrecision'] = r.minPrecision;
    if (r.maxPrecision !== undefined) scalar['x-margo-maxPrecision'] = r.maxPrecision;
  }
  const options = r.options?.map((o) => optionValue(o, element));
  let schema: JsonSchema;
  if (options && r.multiselect === true) {
    schema = { type: 'array', items: { ...scalar, enum: options }, uniqueItems: true };
  } else if (list) {
    schema = { type: 'array', items: options ? { ...scalar, enum: options } : scalar };
  } else {
    schema = options ? { ...scalar, enum: options } : scalar;
  }
  // allowEmpty false (or absent) means a value is required: for lists, at least one item.
  if (schema.type === 'array' && r.allowEmpty !== true) schema.minItems = 1;
  schema.title = f.setting.name;
  if (f.setting.description) schema.description = f.setting.description;
  if (f.default !== undefined) schema.default = f.default;
  if (f.locked) schema.readOnly = true;
  if (f.secret) schema.writeOnly = true;
  schema['x-margo-parameter'] = f.parameter;
  schema['x-margo-rule'] = r.name;
  return schema;
}

function uiSchema(fields: readonly FormField[]): Record<string, unknown> {
  const groups: { title: string; fields: string[] }[] = [];
  for (const f of fields) {
    const group = groups.find((g) => g.title === f.section);
    if (group) group.fields.push(f.parameter);
    else groups.push({ title: f.section, fields: [f.parameter] });
  }
  const ui: Record<string, unknown> = {
    'ui:order': fields.map((f) => f.parameter),
    'ui:options': { groups },
  };
  for (const f of fields) {
    // The setting's description is the field's help, followed by where the value goes.
    const help = [
      f.setting.description ? withStop(f.setting.description) : '',
      f.targets.length ? `Goes to ${describeTargets(f.targets)}.` : '',
      f.locked
        ? 'Set at installation; it cannot change (immutable).'
        : f.setting.immutable
          ? 'Cannot be changed after installation.'
          : '',
    ]
      .filter(Boolean)
      .join(' ');
    const { element } = splitDataType(f.rule.dataType);
    ui[f.parameter] = {
      ...(help ? { 'ui:help': help } : {}),
      ...(f.locked ? { 'ui:readonly': true } : {}),
      ...(f.secret
        ? { 'ui:widget': 'password' }
        : f.rule.options && f.rule.multiselect
          ? { 'ui:widget': 'checkboxes' }
          : element === 'boolean'
            ? { 'ui:widget': 'checkbox' }
            : {}),
    };
  }
  return ui;
}

function withStop(text: string): string {
  const trimmed = text.trim();
  return /[.!?)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

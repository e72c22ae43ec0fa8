// Type-only: @rjsf/utils describes the contract; nothing of it runs here, so shared/ stays pure.
import type {
  CustomValidator,
  ErrorSchema,
  FormValidation,
  RJSFSchema,
  RJSFValidationError,
  UiSchema,
  ValidationData,
  ValidatorType,
} from '@rjsf/utils';
import type { FormModel } from './form-model';
import { validateConfiguration } from './validate-configuration';
import { compileRegexMatch, decimalPlaces } from './value-rules';

type FormData = Record<string, unknown>;

/**
 * A react-jsonschema-form validator for one configuration form. It interprets the rules, it
 * compiles no code (the renderer's CSP forbids `unsafe-eval`, which AJV needs), and its verdict
 * on the whole form is `validateConfiguration`, the very function the Node side runs before
 * saving or deploying.
 */
export function margoFormValidator(model: FormModel): ValidatorType<FormData> {
  return {
    validateFormData(formData, _schema, customValidate, transformErrors, uiSchema) {
      const data = formData ?? {};
      let errors: RJSFValidationError[] = validateConfiguration(model, data).map((e) => ({
        name: 'margo',
        property: `.${e.parameter}`,
        message: e.message,
        params: { parameter: e.parameter },
        schemaPath: `#/properties/${e.parameter}`,
        stack: `${e.setting ?? e.parameter}: ${e.message}`,
        ...(e.setting !== undefined ? { title: e.setting } : {}),
      }));
      if (transformErrors) errors = transformErrors(errors, uiSchema);
      const result: ValidationData<FormData> = { errors, errorSchema: toErrorSchema(errors) };
      if (!customValidate) return result;
      const keys = new Set([...model.fields.map((f) => f.parameter), ...Object.keys(data)]);
      return withCustomErrors(result, data, [...keys], customValidate, uiSchema);
    },
    isValid(schema, formData) {
      return schemaProblems(schema, formData).length === 0;
    },
    rawValidation<Result = unknown>(schema: RJSFSchema, formData?: FormData) {
      return { errors: schemaProblems(schema, formData) as Result[] };
    },
  };
}

function toErrorSchema(errors: readonly RJSFValidationError[]): ErrorSchema<FormData> {
  const schema: Record<string, { __errors: string[] }> = {};
  for (const e of errors) {
    const key = e.property?.replace(/^\./, '') ?? '';
    if (key === '') continue;
    (schema[key] ??= { __errors: [] }).__errors.push(e.message ?? e.stack);
  }
  return schema as ErrorSchema<FormData>;
}

/** Runs the host's own checks (rjsf `customValidate`) and adds what they found. */
function withCustomErrors(
  result: ValidationData<FormData>,
  data: FormData,
  keys: readonly string[],
  customValidate: CustomValidator<FormData>,
  uiSchema: UiSchema<FormData> | undefined,
): ValidationData<FormData> {
  const handler = (): FormValidation => {
    const field = { __errors: [] as string[] };
    return { ...field, addError: (message: string) => field.__errors.push(message) } as never;
  };
  // One level is enough: configuration forms are flat (one property per parameter).
  const root = handler();
  const fields: Record<string, FormValidation> = {};
  for (const key of keys) fields[key] = handler();
  const validation = Object.assign(root, fields) as FormValidation<FormData>;
  customValidate(data, validation, uiSchema, result.errorSchema);
  const errors = [...result.errors];
  const errorSchema = { ...result.errorSchema } as { __errors?: string[] } & Record<
    string,
    { __errors?: string[] }
  >;
  const collect = (key: string, messages: readonly string[] | undefined) => {
    for (const message of messages ?? []) {
      errors.push({
        name: 'custom',
        property: key === '' ? '.' : `.${key}`,
        message,
        stack: key === '' ? message : `${key}: ${message}`,
      });
      const entry: { __errors?: string[] } = key === '' ? errorSchema : (errorSchema[key] ??= {});
      entry.__errors = [...(entry.__errors ?? []), message];
    }
  };
  collect('', (validation as { __errors?: string[] }).__errors);
  for (const [key, field] of Object.entries(fields)) collect(key, field.__errors);
  return { errors, errorSchema: errorSchema as ErrorSchema<FormData> };
}

/**
 * The keywords the form model emits, interpreted (rjsf asks `isValid` only to pick among
 * `oneOf`/`anyOf`/`if` branches, which configuration forms do not have; unknown keywords
 * are taken as satisfied). Margo's own reading, `checkValue`, is what the fields use.
 */
function schemaProblems(schema: unknown, value: unknown, path = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as Record<string, unknown>;
  const problems: string[] = [];
  const at = (message: string) => problems.push(`${path || '.'} ${message}`);
  if (s.const !== undefined && s.const !== value) at('must equal the constant');
  if (Array.isArray(s.enum) && !s.enum.some((o) => o === value)) at('must be one of the options');
  if (typeof s.type === 'string' && !hasType(s.type, value)) {
    at(`must be of type ${s.type}`);
    return problems;
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) at('is too short');
    if (typeof s.maxLength === 'number' && length > s.maxLength) at('is too long');
    if (typeof s.pattern === 'string' && !safeTest(s.pattern, value)) at('must match the pattern');
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) at('is too small');
    if (typeof s.maximum === 'number' && value > s.maximum) at('is too large');
    const places = decimalPlaces(value);
    const min = s['x-margo-minPrecision'];
    const max = s['x-margo-maxPrecision'];
    if (typeof max === 'number' && places > max) at('has too many decimal places');
    if (typeof min === 'number' && places < min) at('has too few decimal places');
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => problems.push(...schemaProblems(s.items, v, `${path}[${i}]`)));
    if (s.uniqueItems === true && new Set(value).size !== value.length) at('has duplicate items');
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const key of Array.isArray(s.required) ? (s.required as string[]) : []) {
      if (object[key] === undefined) at(`misses the required property ${key}`);
    }
    const properties = (s.properties ?? {}) as Record<string, unknown>;
    for (const [key, v] of Object.entries(object)) {
      if (key in properties) problems.push(...schemaProblems(properties[key], v, `${path}.${key}`));
      else if (s.additionalProperties === false) at(`has the unknown property ${key}`);
    }
  }
  return problems;
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return compileRegexMatch(pattern).test(value);
  } catch {
    return true; // an unreadable pattern is reported once, by the description validator
  }
}

import { createSchemaUtils, getDefaultFormState, type RJSFSchema } from '@rjsf/utils';
import Ajv2020 from 'ajv/dist/2020';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  buildFormModel,
  chooseProfile,
  type FormModel,
} from '../../shared/configuration/form-model';
import { margoFormValidator } from '../../shared/configuration/margo-form-validator';
import { MASK } from '../../shared/configuration/secret-heuristic';
import { validateConfiguration } from '../../shared/configuration/validate-configuration';
import type { DataType, SchemaRule } from '../../shared/margo/configuration';
import { BASE_DESCRIPTION } from '../support/base-documents';
import { descriptionFrom, specDescriptions } from '../support/descriptions';
import { needsSpec, whenSpec } from '../support/spec-examples';

const DIGITRON = whenSpec(
  () =>
    specDescriptions().find((d) =>
      d.name.endsWith(
        'rc.3/src/specification/applications/resources/examples/valid/ApplicationDescription-002.yaml',
      ),
    )!.description,
);
const HELM = 'com-northstartida-digitron-orchestrator-helm-a';

/** A one-setting form for a rule, built through a real (validated) description. */
function formFor(
  rule: Omit<SchemaRule, 'name'> & { dataType: DataType },
  value?: unknown,
): FormModel {
  const description = descriptionFrom(`id: com-example-one
metadata:
  name: One
  version: 1.0.0
  catalog: { organization: [{ name: Example }] }
deploymentProfiles:
  - type: compose
    id: one
    components: [{ name: app, properties: { repository: oci://r.example.com/one, revision: 1.0.0 } }]
parameters:
  v:
    ${value === undefined ? '' : `value: ${JSON.stringify(value)}`}
    targets: [{ pointer: V, components: [app] }]
configuration:
  sections: [{ name: S, settings: [{ parameter: v, name: Value, schema: r }] }]
  schema: [${JSON.stringify({ name: 'r', ...rule })}]
`);
  return buildFormModel(description, chooseProfile(description));
}

function messages(model: FormModel, value: unknown): string[] {
  const result = margoFormValidator(model).validateFormData(
    { v: value },
    model.schema as RJSFSchema,
  );
  return result.errors.map((e) => e.message ?? '');
}

describe('the react-jsonschema-form validator', () => {
  it('reports plain-words errors per field, as errors and as an errorSchema', (context) => {
    needsSpec(context);
    const model = buildFormModel(DIGITRON, chooseProfile(DIGITRON, HELM));
    const validator = margoFormValidator(model);
    const formData = getDefaultFormState<Record<string, unknown>>(
      validator,
      model.schema as RJSFSchema,
      {
        idpName: 'x'.repeat(46),
        idpProvider: 'aad',
        idpClientId: '123-ABC',
        idpUrl: 'ftp://idp',
        adminName: 'Some One',
        adminPrincipalName: 'someone@somewhere.com',
        pollFrequency: 29,
      },
    );
    expect(formData).toMatchObject({ cpuLimit: 1, memoryLimit: 16384 }); // defaults filled by rjsf
    const result = validator.validateFormData(
      formData as Record<string, unknown>,
      model.schema as RJSFSchema,
    );
    expect(result.errors).toEqual([
      expect.objectContaining({
        property: '.pollFrequency',
        message: 'must be at least 30',
        stack: 'Poll Frequency: must be at least 30',
      }),
      expect.objectContaining({
        property: '.idpName',
        message: 'must be at most 45 characters (is 46)',
        title: 'Name',
      }),
      expect.objectContaining({
        property: '.idpUrl',
        message: expect.stringMatching(/^must match the pattern \^\(http/),
      }),
    ]);
    expect(result.errorSchema).toEqual({
      pollFrequency: { __errors: ['must be at least 30'] },
      idpName: { __errors: ['must be at most 45 characters (is 46)'] },
      idpUrl: { __errors: [expect.stringMatching(/^must match the pattern/)] },
    });
  });

  it('honours rjsf customValidate and transformErrors', () => {
    const model = buildFormModel(
      descriptionFrom(BASE_DESCRIPTION),
      chooseProfile(descriptionFrom(BASE_DESCRIPTION), 'line-monitor-compose'),
    );
    const validator = margoFormValidator(model);
    const result = validator.validateFormData(
      { pollSeconds: 4, siteName: 'Plant 1' },
      model.schema as RJSFSchema,
      (data, errors) => {
        if (data?.siteName === 'Plant 1') errors.siteName?.addError('plant 1 is retired');
        return errors;
      },
      (errors) => errors.map((e) => ({ ...e, message: `(!) ${e.message}` })),
    );
    expect(result.errors.map((e) => e.message)).toEqual([
      '(!) must be at least 5',
      'plant 1 is retired',
    ]);
    expect(result.errorSchema).toEqual({
      pollSeconds: { __errors: ['(!) must be at least 5'] },
      siteName: { __errors: ['plant 1 is retired'] },
    });
  });

  it('answers rjsf isValid and rawValidation, which rjsf uses to resolve conditional schemas', (context) => {
    needsSpec(context);
    const model = buildFormModel(DIGITRON, chooseProfile(DIGITRON, HELM));
    const validator = margoFormValidator(model);
    const root = model.schema as RJSFSchema;
    const props = model.schema.properties as Record<string, RJSFSchema>;
    expect(validator.isValid(props.pollFrequency!, 30 as never, root)).toBe(true);
    expect(validator.isValid(props.pollFrequency!, 361 as never, root)).toBe(false);
    expect(validator.isValid(props.cpuLimit!, 0.55 as never, root)).toBe(false);
    expect(validator.isValid(props.idpName!, 'x'.repeat(46) as never, root)).toBe(false);
    expect(validator.rawValidation(root, { nope: 1 }).errors).toEqual(
      expect.arrayContaining([expect.stringContaining('unknown property nope')]),
    );
    // rjsf itself asks the validator to pick the branch of an `if`.
    const conditional: RJSFSchema = {
      type: 'object',
      properties: { mode: { type: 'string' } },
      if: { properties: { mode: { enum: ['expert'] } } },
      then: { properties: { depth: { type: 'integer' } } },
      else: { properties: { preset: { type: 'string' } } },
    };
    const utils = createSchemaUtils(validator, conditional);
    expect(
      Object.keys(utils.retrieveSchema(conditional, { mode: 'expert' }).properties ?? {}),
    ).toEqual(['mode', 'depth']);
    expect(
      Object.keys(utils.retrieveSchema(conditional, { mode: 'basic' }).properties ?? {}),
    ).toEqual(['mode', 'preset']);
  });

  it('compiles no code: it works where eval and new Function are forbidden (CSP without unsafe-eval)', (context) => {
    needsSpec(context);
    const forbid = () => {
      throw new EvalError('Refused to evaluate a string as JavaScript (CSP)');
    };
    vi.stubGlobal('eval', forbid);
    vi.stubGlobal('Function', new Proxy(Function, { construct: forbid, apply: forbid }));
    const model = buildFormModel(DIGITRON, chooseProfile(DIGITRON, HELM));
    const validator = margoFormValidator(model);
    expect(
      validator.validateFormData({ pollFrequency: 10 }, model.schema as RJSFSchema).errors.length,
    ).toBeGreaterThan(0);
    // The control: AJV, rjsf's default validator, compiles its checks and is refused here.
    expect(() => new Ajv2020({ strict: false, logger: false }).compile(model.schema)).toThrow();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('is the function the Node side runs: the same verdicts, field by field', (context) => {
    needsSpec(context);
    const model = buildFormModel(DIGITRON, chooseProfile(DIGITRON, HELM));
    const data = { pollFrequency: 400, siteId: 'abc', cpuLimit: 0.75, memoryLimit: 1 };
    const form = margoFormValidator(model).validateFormData(data, model.schema as RJSFSchema);
    expect(form.errors.map((e) => `${e.property} ${e.message}`)).toEqual(
      validateConfiguration(model, data).map((e) => `.${e.parameter} ${e.message}`),
    );
  });
});

describe('every Margo rule at its boundaries, through the form', () => {
  it('string lengths, counted in characters', () => {
    const model = formFor({ dataType: 'string', minLength: 3, maxLength: 5 });
    expect(messages(model, 'abc')).toEqual([]);
    expect(messages(model, 'abcde')).toEqual([]);
    expect(messages(model, 'ab')).toEqual(['must be at least 3 characters (is 2)']);
    expect(messages(model, 'abcdef')).toEqual(['must be at most 5 characters (is 6)']);
    expect(messages(model, 'äöü')).toEqual([]);
  });

  it('allowEmpty: true may be empty, false or absent may not', () => {
    for (const allowEmpty of [false, undefined]) {
      const model = formFor({
        dataType: 'string',
        ...(allowEmpty === false ? { allowEmpty } : {}),
      });
      expect(messages(model, undefined)).toEqual(['a value is required']);
      expect(messages(model, '')).toEqual(['a value is required']);
    }
    const optional = formFor({ dataType: 'string', allowEmpty: true, minLength: 5 });
    expect(messages(optional, undefined)).toEqual([]);
    expect(messages(optional, '')).toEqual([]);
    expect(messages(optional, 'abcd')).toEqual(['must be at least 5 characters (is 4)']);
  });

  it('regexMatch', () => {
    const model = formFor({ dataType: 'string', regexMatch: '^[A-Z]{2}-\\d{3}$' });
    expect(messages(model, 'AB-123')).toEqual([]);
    expect(messages(model, 'AB-1234')).toEqual(['must match the pattern ^[A-Z]{2}-\\d{3}$']);
  });

  it('integer and double ranges, inclusive', () => {
    const int = formFor({ dataType: 'integer', minValue: -5, maxValue: 5 });
    expect(messages(int, -5)).toEqual([]);
    expect(messages(int, 5)).toEqual([]);
    expect(messages(int, -6)).toEqual(['must be at least -5']);
    expect(messages(int, 6)).toEqual(['must be at most 5']);
    expect(messages(int, 1.5)).toEqual(['must be a whole number']);
    expect(messages(int, '1')).toEqual(['must be a whole number']);
    const dbl = formFor({ dataType: 'double', minValue: 0.5, maxValue: 2.5 });
    expect(messages(dbl, 0.5)).toEqual([]);
    expect(messages(dbl, 2.5)).toEqual([]);
    expect(messages(dbl, 0.49)).toEqual(['must be at least 0.5']);
    expect(messages(dbl, 2.51)).toEqual(['must be at most 2.5']);
  });

  it('minPrecision and maxPrecision, in decimal places', () => {
    const model = formFor({ dataType: 'double', minPrecision: 1, maxPrecision: 2 });
    expect(messages(model, 1.5)).toEqual([]);
    expect(messages(model, 1.25)).toEqual([]);
    expect(messages(model, 1.255)).toEqual(['must have at most 2 decimal places (has 3)']);
    expect(messages(model, 2)).toEqual(['must have at least 1 decimal place (has 0)']);
  });

  it('booleans', () => {
    const model = formFor({ dataType: 'boolean' });
    expect(messages(model, false)).toEqual([]);
    expect(messages(model, 'false')).toEqual(['must be true or false']);
  });

  it('options, single and multiselect', () => {
    const one = formFor({ dataType: 'string', options: ['fast', 'safe'] });
    expect(messages(one, 'safe')).toEqual([]);
    expect(messages(one, 'slow')).toEqual(['must be one of "fast", "safe"']);
    const many = formFor({ dataType: 'string', options: ['a', 'b', 'c'], multiselect: true });
    expect(messages(many, ['a', 'c'])).toEqual([]);
    expect(messages(many, [])).toEqual(['a value is required']);
    expect(messages(many, ['a', 'd'])).toEqual(['"d" is not among the options']);
    expect(messages(many, ['a', 'a'])).toEqual(['must not choose "a" twice']);
    const numbers = formFor({ dataType: 'integer', options: ['1', '2'] });
    expect(messages(numbers, 2)).toEqual([]);
    expect(messages(numbers, 3)).toEqual(['must be one of "1", "2"']);
  });

  it('lists check every item', () => {
    const model = formFor({ dataType: 'array[integer]', minValue: 1, maxValue: 10 });
    expect(messages(model, [1, 10])).toEqual([]);
    expect(messages(model, [0, 5, 11])).toEqual([
      'item 1: must be at least 1',
      'item 3: must be at most 10',
    ]);
    expect(messages(model, 5)).toEqual(['must be a list of whole-number values']);
    expect(messages(model, [])).toEqual(['a value is required']);
  });

  it('a masked secret stands for the value it hides', () => {
    const description = descriptionFrom(
      BASE_DESCRIPTION.replace(
        '  siteName:\n',
        '  apiToken:\n    value: abcdefgh\n    targets: [{ pointer: API_TOKEN, components: [monitor] }]\n  siteName:\n',
      ).replace(
        '          schema: siteText\n',
        '          schema: siteText\n        - parameter: apiToken\n          name: API token\n          schema: siteText\n',
      ),
    );
    const model = buildFormModel(description, chooseProfile(description, 'line-monitor-compose'));
    expect(
      validateConfiguration(model, { pollSeconds: 30, siteName: 'x', apiToken: MASK }),
    ).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { getDefaultFormState, type RJSFSchema } from '@rjsf/utils';
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  buildFormModel,
  chooseProfile,
  type FormField,
  type FormModel,
} from '../../shared/configuration/form-model';
import { margoFormValidator } from '../../shared/configuration/margo-form-validator';
import { validateConfiguration } from '../../shared/configuration/validate-configuration';
import { splitDataType } from '../../shared/configuration/value-rules';
import { buildDeployment, valuesOf } from '../../shared/application-deployment/build-deployment';
import { checkDeploymentValues } from '../../shared/application-deployment/check-deployment-values';
import { deploymentYaml } from '../../shared/application-deployment/deployment-yaml';
import { ApplicationDeployment } from '../../shared/margo/application-deployment';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import { DEVICE_ID_WITH_ASTERISK } from '../../shared/margo/patterns';
import { renderDeployment } from '../../electron/core/deployments/render-deployment';
import { BASE_DESCRIPTION } from '../support/base-documents';
import {
  anyValue,
  appArbitrary,
  likelyValid,
  type GeneratedApp,
} from '../support/configuration-arbitraries';
import { descriptionFrom, specDescriptions } from '../support/descriptions';
import { describeWithSpec, specPath } from '../support/spec-examples';

const RUNS = Number(process.env.FAST_CHECK_RUNS ?? 300);
/**
 * 300 generated apps per property take 8–12 s on an idle 2-core machine and over 30 s when it
 * is loaded: CPU-bound, so the limit is for a hang, not for speed (speed is `npm run bench`'s).
 */
const PROPERTY_TIMEOUT = 180_000;
const ID = '7f8e2a49-3c1d-4b6a-9e0f-5d2c8b1a4e37';

/** The form's data as rjsf makes it: defaults filled in (and its own clean-ups applied). */
function formDataOf(description: ApplicationDescription, values: Record<string, unknown>) {
  const model = buildFormModel(description, chooseProfile(description));
  const validator = margoFormValidator(model);
  const formData = getDefaultFormState<Record<string, unknown>>(
    validator,
    model.schema as RJSFSchema,
    values,
  ) as Record<string, unknown>;
  return { model, validator, formData };
}

/** What the form validator says about the data it is given. */
function formAccepts(description: ApplicationDescription, data: Record<string, unknown>): boolean {
  const { model, validator } = formDataOf(description, {});
  return validator.validateFormData(data, model.schema as RJSFSchema).errors.length === 0;
}

/** Values as the CLI gives them: defaults for what is not given (undefined), the rest as is. */
function withDefaults(description: ApplicationDescription, values: Record<string, unknown>) {
  const model = buildFormModel(description, chooseProfile(description));
  const data: Record<string, unknown> = Object.fromEntries(
    model.fields.map((f) => [f.parameter, f.default]),
  );
  for (const [k, v] of Object.entries(values)) if (v !== undefined) data[k] = v;
  return data;
}

/**
 * What the deployment side says: it builds the deployment, writes it, and reads it back as
 * YAML 1.1 and 1.2 readers would; the read-back deployment must pass the deployment
 * validator with exactly the values that were built.
 */
function deploymentAccepts(
  description: ApplicationDescription,
  values: Record<string, unknown>,
): boolean {
  const built = buildDeployment({ description, deviceId: 'press-42', id: ID, values });
  if (!built.ok) return false;
  const yaml = deploymentYaml(built.deployment);
  for (const version of ['1.1', '1.2'] as const) {
    const back = ApplicationDeployment.parse(parse(yaml, { version }));
    expect(checkDeploymentValues(description, back), `${version}\n${yaml}`).toEqual([]);
    expect(sameValues(valuesOf(back), valuesOf(built.deployment)), `${version}\n${yaml}`).toBe(
      true,
    );
  }
  return true;
}

function sameValues(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A value the field's rule accepts, from a few plausible ones (supplier regexes can be exotic). */
function acceptedSample(model: FormModel, field: FormField): unknown {
  const { element, list } = splitDataType(field.rule.dataType);
  const scalars: unknown[] = field.rule.options
    ? [...field.rule.options]
    : {
        string: ['https://idp.example.com', 'admin@example.com', 'Line 3 value'],
        integer: [field.rule.minValue ?? 1],
        double: [field.rule.minValue ?? 1.5],
        boolean: [true],
      }[element];
  const candidates = list || field.rule.multiselect ? scalars.map((v) => [v]) : scalars;
  const only = { ...model, fields: [field] };
  const found = candidates.find(
    (v) => validateConfiguration(only, { [field.parameter]: v }).length === 0,
  );
  if (found === undefined) throw new Error(`no sample value fits ${field.parameter}`);
  return found;
}

/** Values for some of the parameters: mostly plausible, sometimes anything at all. */
function valuesArbitrary(app: GeneratedApp): fc.Arbitrary<Record<string, unknown>> {
  const entries = app.parameters.map((_, i) =>
    fc.option(
      fc.oneof(
        { weight: 3, arbitrary: likelyValid(app.rules[i]!) },
        { weight: 2, arbitrary: anyValue },
      ),
      {
        nil: undefined,
      },
    ),
  );
  return fc
    .tuple(
      fc.tuple(...entries),
      fc.option(fc.constantFrom('hidden', 'nope'), { nil: undefined }),
      anyValue,
    )
    .map(([values, extra, extraValue]) => {
      const out: Record<string, unknown> = {};
      app.parameters.forEach((name, i) => {
        if (values[i] !== undefined) out[name] = values[i];
      });
      if (extra !== undefined) out[extra] = extraValue;
      return out;
    });
}

describe('the form and the deployment agree', () => {
  it(
    'whatever the form validator accepts the deployment validator accepts, and the reverse',
    () => {
      let accepted = 0;
      let refused = 0;
      fc.assert(
        fc.property(
          appArbitrary.chain((app) => fc.tuple(fc.constant(app), valuesArbitrary(app))),
          ([app, values]) => {
            // From the form: rjsf's form data goes to the Node side as the values.
            const { formData } = formDataOf(app.description, values);
            const form = formAccepts(app.description, formData);
            expect(deploymentAccepts(app.description, formData)).toBe(form);
            // From the CLI: the values as given; the builder fills the defaults.
            const cli = formAccepts(app.description, withDefaults(app.description, values));
            expect(deploymentAccepts(app.description, values)).toBe(cli);
            if (cli) accepted++;
            else refused++;
          },
        ),
        { numRuns: RUNS },
      );
      // Both outcomes must actually occur, or the property proves nothing.
      expect(accepted).toBeGreaterThan(RUNS / 10);
      expect(refused).toBeGreaterThan(RUNS / 10);
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'the JSON Schema says what the Margo rules say, for a standard validator (non-empty values, no precision rules)',
    () => {
      const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
      fc.assert(
        fc.property(
          appArbitrary
            .filter((app) =>
              app.rules.every((r) => r.minPrecision === undefined && r.maxPrecision === undefined),
            )
            .chain((app) => fc.tuple(fc.constant(app), valuesArbitrary(app))),
          ([app, values]) => {
            const model = buildFormModel(app.description, chooseProfile(app.description));
            const data = Object.fromEntries(
              app.parameters.map((p) => [
                p,
                values[p] ?? model.fields.find((f) => f.parameter === p)?.default,
              ]),
            );
            // JSON Schema has no "empty" and no undefined: compare where both speak.
            fc.pre(
              Object.values(data).every(
                (v) =>
                  v !== undefined &&
                  v !== null &&
                  v !== '' &&
                  !(Array.isArray(v) && v.length === 0),
              ),
            );
            const margo = validateConfiguration(model, data).length === 0;
            const standard = ajv.validate(model.schema, data);
            expect(standard, JSON.stringify(ajv.errors)).toBe(margo);
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describeWithSpec('rendered deployments satisfy the spec’s own OpenAPI schema', () => {
  const api = parse(
    readFileSync(
      specPath(
        'pre-draft_v1.0.0-rc.3/system-design/specification/margo-management-interface/workload-management-api-1.0.0-rc.3.yaml',
      ),
      'utf8',
    ),
  ) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  ajv.addSchema(api, 'workload-management-api');
  const validate = ajv.compile({
    $ref: 'workload-management-api#/components/schemas/appDeploymentManifest',
  });

  it('the schema is the real one and refuses what it should', () => {
    expect(validate({ metadata: { name: 'n', namespace: 'ns', deviceId: 'd' }, spec: {} })).toBe(
      false,
    );
  });

  it(
    'accepts every deployment rendered from a description in the current shape',
    () => {
      let rendered = 0;
      fc.assert(
        fc.property(
          appArbitrary.chain((app) =>
            fc.tuple(
              fc.constant(app),
              fc.tuple(...app.rules.map((r) => likelyValid(r))),
              fc.stringMatching(DEVICE_ID_WITH_ASTERISK),
            ),
          ),
          ([app, picked, deviceId]) => {
            const values = Object.fromEntries(app.parameters.map((p, i) => [p, picked[i]]));
            const result = renderDeployment({ description: app.description, deviceId, values });
            fc.pre(result.ok);
            if (!result.ok) return;
            rendered++;
            const document = parse(result.yaml) as unknown;
            expect(validate(document), `${JSON.stringify(validate.errors)}\n${result.yaml}`).toBe(
              true,
            );
          },
        ),
        { numRuns: RUNS },
      );
      expect(rendered).toBeGreaterThan(RUNS / 4);
    },
    PROPERTY_TIMEOUT,
  );

  it('accepts the deployments of the spec examples and of a current package, warns about legacy ones', () => {
    const descriptions = [
      ...specDescriptions(),
      { name: 'base', description: descriptionFrom(BASE_DESCRIPTION) },
    ];
    let current = 0;
    for (const { name, description } of descriptions) {
      for (const profile of description.deploymentProfiles) {
        const model = buildFormModel(description, profile);
        // Required settings without a default get a value their rule accepts.
        const values = Object.fromEntries(
          model.fields
            .filter((f) => f.default === undefined && f.rule.allowEmpty !== true)
            .map((f) => [f.parameter, acceptedSample(model, f)]),
        );
        const result = renderDeployment({
          description,
          profileId: profile.id,
          deviceId: 'press-42',
          values,
        });
        if (!result.ok) throw new Error(`${name} ${profile.id}: ${JSON.stringify(result.errors)}`);
        const legacy = profile.components.some((c) => c.properties.repository === undefined);
        if (legacy) {
          expect(result.warnings.join('\n'), `${name} ${profile.id}`).toMatch(
            /legacy packageLocation/,
          );
          expect(validate(parse(result.yaml))).toBe(false);
        } else {
          current++;
          expect(
            validate(parse(result.yaml)),
            `${name} ${profile.id}: ${JSON.stringify(validate.errors)}`,
          ).toBe(true);
        }
      }
    }
    expect(current).toBeGreaterThanOrEqual(5);
  });
});

import fc from 'fast-check';
import { stringify } from 'yaml';
import { checkValue, optionValue, splitDataType } from '../../shared/configuration/value-rules';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import type { DataType, SchemaRule } from '../../shared/margo/configuration';
import { validateDocumentText } from '../../shared/validation/validate-document';

export type Rule = SchemaRule & { dataType: DataType };

const PATTERNS = ['^[a-z]+$', '^\\d{3}-[A-Z]{2}$', '@', '^(on|off|auto)$', '^[^\\s]*$', 'x'];
const OPTION_TEXTS = ['fast', 'safe', 'yes', 'on', '0123', '1e3', 'null', 'a b'];

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const sortedPair = (arb: fc.Arbitrary<number>) =>
  fc
    .tuple(optional(arb), optional(arb))
    .map(([a, b]) => (a !== undefined && b !== undefined && a > b ? [b, a] : [a, b]));

/** Margo schema rules of every data type, with the rules that fit that type. */
export function ruleArbitrary(name: string): fc.Arbitrary<Rule> {
  const allowEmpty = optional(fc.boolean());
  // A pattern and lengths together are rarely both satisfiable: a rule has one or the other.
  const stringRule = fc
    .record({
      lengths: sortedPair(fc.integer({ min: 0, max: 12 })),
      regexMatch: optional(fc.constantFrom(...PATTERNS)),
      allowEmpty,
      list: fc.boolean(),
    })
    .map(({ lengths: [minLength, maxLength], regexMatch, allowEmpty, list }) =>
      clean({
        name,
        dataType: (list ? 'array[string]' : 'string') as DataType,
        ...(regexMatch === undefined ? { minLength, maxLength } : { regexMatch }),
        allowEmpty,
      }),
    );
  const numberRule = fc
    .record({
      double: fc.boolean(),
      range: sortedPair(fc.integer({ min: -1000, max: 1000 })),
      precision: sortedPair(fc.integer({ min: 0, max: 4 })),
      allowEmpty,
      list: fc.boolean(),
    })
    .map(
      ({
        double,
        range: [minValue, maxValue],
        precision: [minPrecision, maxPrecision],
        allowEmpty,
        list,
      }) => {
        const element = double ? 'double' : 'integer';
        return clean({
          name,
          dataType: (list ? `array[${element}]` : element) as DataType,
          minValue,
          maxValue,
          ...(double ? { minPrecision, maxPrecision } : {}),
          allowEmpty,
        });
      },
    );
  const booleanRule = fc
    .record({ allowEmpty, list: fc.boolean() })
    .map(({ allowEmpty, list }) =>
      clean({ name, dataType: (list ? 'array[boolean]' : 'boolean') as DataType, allowEmpty }),
    );
  const optionRule = fc
    .record({
      options: fc.uniqueArray(fc.constantFrom(...OPTION_TEXTS), { minLength: 1, maxLength: 5 }),
      multiselect: optional(fc.boolean()),
      allowEmpty,
    })
    .map((r) => clean({ name, dataType: 'string' as DataType, ...r }));
  const numberOptionRule = fc
    .record({
      options: fc.uniqueArray(fc.integer({ min: -5, max: 50 }).map(String), {
        minLength: 1,
        maxLength: 4,
      }),
      allowEmpty,
    })
    .map((r) => clean({ name, dataType: 'integer' as DataType, ...r }));
  return fc.oneof(stringRule, numberRule, booleanRule, optionRule, numberOptionRule);
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Values meant to satisfy `rule`; most do (the validator, not this, has the last word). */
export function likelyValid(rule: Rule): fc.Arbitrary<unknown> {
  const { element, list } = splitDataType(rule.dataType);
  const one = elementArbitrary(rule, element);
  if (rule.options && rule.multiselect === true) {
    return fc.subarray(
      rule.options.map((o) => optionValue(o, element)),
      { minLength: 1 },
    );
  }
  return list ? fc.array(one, { minLength: 1, maxLength: 4 }) : one;
}

function elementArbitrary(rule: Rule, element: string): fc.Arbitrary<unknown> {
  if (rule.options) return fc.constantFrom(...rule.options.map((o) => optionValue(o, element)));
  switch (element) {
    case 'string':
      return rule.regexMatch !== undefined
        ? fc.stringMatching(new RegExp(rule.regexMatch), { maxLength: 16 })
        : fc.string({
            minLength: Math.max(rule.minLength ?? 0, 1),
            maxLength: Math.max(rule.maxLength ?? 12, rule.minLength ?? 0, 1),
            unit: 'binary',
          });
    case 'integer':
      return fc.integer({ min: rule.minValue ?? -1_000_000, max: rule.maxValue ?? 1_000_000 });
    case 'double': {
      const places = fc.integer({ min: rule.minPrecision ?? 0, max: rule.maxPrecision ?? 4 });
      return fc
        .tuple(
          fc.integer({
            min: (rule.minValue ?? -1000) * 10_000,
            max: (rule.maxValue ?? 1000) * 10_000,
          }),
          places,
        )
        .map(([n, p]) => Number((n / 10_000).toFixed(p)));
    }
    default:
      return fc.boolean();
  }
}

/** Anything an engineer, a script or a bug might send: wrong types, YAML traps, empties. */
export const anyValue: fc.Arbitrary<unknown> = (() => {
  const scalar = fc.oneof(
    fc.string({ maxLength: 14 }),
    fc.constantFrom('yes', 'on', '0123', '1e3', '~', 'null', '', ' ', '2026-01-01', 'true'),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
  );
  return fc.oneof(
    scalar,
    fc.array(scalar, { maxLength: 4 }),
    fc.constant(undefined),
    fc.constant(null),
  );
})();

export interface GeneratedApp {
  description: ApplicationDescription;
  rules: Rule[];
  /** Parameters p0…pn, each with a setting; `hidden` has none. */
  parameters: string[];
}

const COMPONENT = fc.constantFrom('app', 'db', 'edge-agent');
const SEMVER = fc
  .tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.constantFrom('', '-rc.1', '_build.7'))
  .map(([a, b, c, s]) => `${a}.${b}.${c}${s}`);

/**
 * Application descriptions in the current (rc.3) shape with 1–4 configurable parameters, an
 * unconfigurable one, device-supplier extensions and device constraints now and then — only
 * those the real description validator accepts.
 */
export const appArbitrary: fc.Arbitrary<GeneratedApp> = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => {
    const names = Array.from({ length: n }, (_, i) => `p${i}`);
    return fc.record({
      type: fc.constantFrom('helm', 'compose'),
      components: fc.uniqueArray(COMPONENT, { minLength: 1, maxLength: 3 }),
      revision: SEMVER,
      names: fc.constant(names),
      rules: fc.tuple(...names.map((_, i) => ruleArbitrary(`r${i}`))),
      immutable: fc.tuple(...names.map(() => fc.boolean())),
      hiddenValue: optional(fc.constantFrom('internal', 7, 'yes')),
      extensions: fc.boolean(),
      constraints: fc.boolean(),
      timeout: optional(fc.constantFrom('5m0s', '8m30s')),
      wait: optional(fc.boolean()),
    });
  })
  .chain((g) =>
    fc
      .tuple(...g.rules.map((rule) => optional(likelyValid(rule))))
      .map((defaults) => ({ ...g, defaults })),
  )
  .map((g) => {
    const { names, rules } = g;
    const parameters: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const rule = rules[i]!;
      const value = g.defaults[i];
      // A default the rules refuse makes the description invalid: keep only those that pass.
      const usable = value !== undefined && checkValue(rule, value).length === 0;
      parameters[name] = {
        ...(usable ? { value } : {}),
        targets: [{ pointer: `settings.${name}`, components: [g.components[0]] }],
      };
    });
    parameters.hidden = {
      ...(g.hiddenValue !== undefined ? { value: g.hiddenValue } : {}),
      targets: [{ pointer: 'HIDDEN', components: g.components }],
    };
    const doc = {
      id: 'com-example-generated',
      metadata: {
        name: 'Generated',
        version: '1.0.0',
        catalog: { organization: [{ name: 'Example' }] },
      },
      deploymentProfiles: [
        {
          type: g.type,
          id: `generated-${g.type}`,
          ...(g.extensions ? { 'x-acme-extensions': { zone: 'b', replicas: 2 } } : {}),
          components: g.components.map((name, i) => ({
            name,
            properties: {
              repository: `oci://registry.example.com/${name}`,
              revision: g.revision,
              ...(g.wait !== undefined ? { wait: g.wait } : {}),
              ...(g.timeout !== undefined ? { timeout: g.timeout } : {}),
            },
            ...(g.extensions && i === 0 ? { 'x-acme-extensions': { gpu: true } } : {}),
          })),
          ...(g.constraints
            ? {
                deviceConstraints: {
                  capacityRequirements: {
                    cpu: { cores: 0.5, architectures: ['amd64'] },
                    memory: '256Mi',
                  },
                },
              }
            : {}),
        },
      ],
      parameters,
      configuration: {
        sections: [
          {
            name: 'Settings',
            settings: names.map((name, i) => ({
              parameter: name,
              name: `Setting ${name}`,
              schema: `r${i}`,
              ...(g.immutable[i] ? { immutable: true } : {}),
            })),
          },
        ],
        schema: rules,
      },
    };
    const checked = validateDocumentText(stringify(doc), { file: 'generated.yaml' });
    return {
      description: (checked.valid ? checked.value : undefined) as ApplicationDescription,
      rules,
      parameters: names,
    };
  })
  .filter((app) => app.description !== undefined);

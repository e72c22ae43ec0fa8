import type { FormField } from '../../../shared/configuration/form-model';
import { describeTargets } from '../../../shared/configuration/value-targets';
import type { Store } from '../../core/store/store';
import { configurationForm } from '../../core/use-cases/configuration-form';
import { profileHint, reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import { plural, type Output } from '../output';
/**
 * `config schema <appId>[@version] [--profile <id>] [--json]`: the configuration form of an
 * application's profile as JSON Schema + uiSchema (`--json`: `{schema, uiSchema, …}`), or,
 * for people, its sections and settings with their rules, defaults and where each value goes.
 * Secret defaults are masked. Exit 1 when the application is not in the catalog, 2 when the
 * profile is unknown or must be chosen.
 */
export function runConfigSchema(
  store: Store,
  ref: string,
  options: { profile?: string; json?: boolean },
  output: Output,
): ExitCode {
  let form;
  try {
    form = configurationForm(store, ref, options.profile);
  } catch (e) {
    return reportFailure(output, 'config schema', e, profileHint(output));
  }
  const { description, model } = form;
  if (options.json) {
    output.out(
      JSON.stringify({
        schema: model.schema,
        uiSchema: model.uiSchema,
        application: { id: description.id, version: description.metadata.version },
        profile: { id: model.profile.id, type: model.profile.type },
        hidden: model.hidden,
        notApplicable: model.notApplicable,
      }),
    );
    return EXIT.ok;
  }
  output.out(
    `${description.metadata.name} ${description.metadata.version} (${description.id}), profile ${model.profile.id} (${model.profile.type})`,
  );
  if (model.fields.length === 0)
    output.out('\nno settings: the supplier offers nothing to configure');
  let section: string | undefined;
  for (const field of model.fields) {
    if (field.section !== section) {
      section = field.section;
      output.out(`\n${section}`);
    }
    output.out(fieldLines(field));
  }
  if (model.hidden.length > 0) {
    output.out('\nnot configurable (deployed with the supplier’s value):');
    for (const h of model.hidden) {
      output.out(
        `  ${h.parameter} = ${h.value === undefined ? '(none: left out)' : JSON.stringify(h.value)}`,
      );
    }
  }
  if (model.notApplicable.length > 0) {
    output.out(`\nfor other profiles only: ${model.notApplicable.join(', ')}`);
  }
  return EXIT.ok;
}

function fieldLines(f: FormField): string {
  const r = f.rule;
  const rules = [
    r.options
      ? `${r.multiselect ? 'any of' : 'one of'} ${r.options.map((o) => JSON.stringify(o)).join(', ')}`
      : '',
    r.minLength !== undefined ? `at least ${r.minLength} characters` : '',
    r.maxLength !== undefined ? `at most ${r.maxLength} characters` : '',
    r.regexMatch !== undefined ? `matches ${r.regexMatch}` : '',
    r.minValue !== undefined ? `≥ ${r.minValue}` : '',
    r.maxValue !== undefined ? `≤ ${r.maxValue}` : '',
    r.minPrecision !== undefined ? `at least ${plural(r.minPrecision, 'decimal place')}` : '',
    r.maxPrecision !== undefined ? `at most ${plural(r.maxPrecision, 'decimal place')}` : '',
    r.allowEmpty === true ? 'optional' : 'required',
    f.setting.immutable ? 'immutable' : '',
    f.secret ? 'secret' : '',
  ].filter(Boolean);
  const lines = [
    `  ${f.setting.name} [${f.parameter}]: ${r.dataType}, ${rules.join(', ')}`,
    f.default !== undefined ? `    default ${JSON.stringify(f.default)}` : '',
    f.setting.description ? `    ${f.setting.description}` : '',
    f.targets.length > 0 ? `    goes to ${describeTargets(f.targets)}` : '',
  ];
  return lines.filter(Boolean).join('\n');
}

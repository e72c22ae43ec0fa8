import type { Parameter } from '../../margo/application-description';
import {
  DATA_TYPES,
  DataType,
  type Configuration,
  type SchemaRule,
} from '../../margo/configuration';
import {
  checkValue,
  compileRegexMatch,
  optionValue,
  sameOption,
  splitDataType,
} from '../../configuration/value-rules';
import type { PathSegment } from '../diagnostic';
import type { Findings } from '../findings';

type RuleKey = Exclude<keyof SchemaRule, 'name' | 'dataType'>;

const TEXT_RULES: readonly RuleKey[] = ['minLength', 'maxLength', 'regexMatch'];
const NUMBER_RULES: readonly RuleKey[] = ['minValue', 'maxValue'];
const PRECISION_RULES: readonly RuleKey[] = ['minPrecision', 'maxPrecision'];
const COMMON_RULES: readonly RuleKey[] = ['allowEmpty', 'options', 'multiselect'];

/** Which rules of the spec's per-type schema classes apply to each element type. */
const RULES_BY_ELEMENT: Record<string, readonly RuleKey[]> = {
  string: [...COMMON_RULES, ...TEXT_RULES],
  integer: [...COMMON_RULES, ...NUMBER_RULES],
  double: [...COMMON_RULES, ...NUMBER_RULES, ...PRECISION_RULES],
  boolean: COMMON_RULES,
};

const DATA_TYPE_HINTS: Record<string, DataType> = {
  int: 'integer',
  number: 'double',
  float: 'double',
  decimal: 'double',
  bool: 'boolean',
  text: 'string',
  str: 'string',
};

const PCRE_ONLY_ESCAPES: Record<string, string> = {
  A: 'start of text: use ^',
  Z: 'end of text: use $',
  z: 'end of text: use $',
  h: 'horizontal space: use [ \\t]',
  R: 'line break: use \\r?\\n',
  Q: 'quoting: escape each character instead',
  E: 'end of quoting: escape each character instead',
  K: 'match reset: not available',
  G: 'match start: not available',
};

/**
 * Configuration rules: settings must reference existing parameters and schema rules, and each
 * schema rule must be one a form can enforce (rules that fit its data type, sane ranges,
 * compilable patterns). Defaults that break their own rule are warnings: the user can fix them.
 */
export function checkConfiguration(
  config: Configuration,
  parameters: Readonly<Record<string, Parameter>>,
  findings: Findings,
): void {
  const rules = new Map<
    string,
    { rule: SchemaRule; dataType: DataType | undefined; index: number }
  >();
  (config.schema ?? []).forEach((rule, i) => {
    const path = ['configuration', 'schema', i];
    if (rules.has(rule.name)) {
      findings.add(
        'schema-name-unique',
        [...path, 'name'],
        `schema rule "${rule.name}" is defined twice (also item ${(rules.get(rule.name)?.index ?? 0) + 1}): settings could not tell which one applies; rename one`,
      );
      return;
    }
    const dataType = checkSchemaRule(rule, path, findings);
    rules.set(rule.name, { rule, dataType, index: i });
  });

  const edited = new Map<string, string>();
  config.sections.forEach((section, s) => {
    section.settings.forEach((setting, k) => {
      const path = ['configuration', 'sections', s, 'settings', k];
      const parameter = parameters[setting.parameter];
      if (!parameter) {
        findings.add(
          'setting-parameter-unknown',
          [...path, 'parameter'],
          `setting "${setting.name}" edits parameter "${setting.parameter}", which \`parameters\` does not define${closest(setting.parameter, Object.keys(parameters))}`,
        );
      }
      const previous = edited.get(setting.parameter);
      if (previous !== undefined && parameter) {
        findings.add(
          'setting-parameter-duplicate',
          [...path, 'parameter'],
          `parameter "${setting.parameter}" is already edited by setting "${previous}": two fields for one value confuse users; keep one`,
        );
      }
      edited.set(setting.parameter, setting.name);
      const entry = rules.get(setting.schema);
      if (!entry) {
        findings.add(
          'setting-schema-unknown',
          [...path, 'schema'],
          `setting "${setting.name}" uses schema rule "${setting.schema}", which \`configuration.schema\` does not define${closest(setting.schema, [...rules.keys()])}`,
        );
        return;
      }
      const dataType = entry.dataType;
      const value = parameter?.value;
      if (dataType && value !== undefined && value !== null) {
        const problems = checkValue({ ...entry.rule, dataType }, value);
        if (problems.length > 0) {
          findings.add(
            'parameter-default-invalid',
            ['parameters', setting.parameter, 'value'],
            `the default ${JSON.stringify(value)} of "${setting.parameter}" breaks schema rule "${entry.rule.name}": it ${problems.join('; ')}. Users must change it before deploying`,
          );
        }
      }
    });
  });
}

/** Returns the rule's data type when it is a known one. */
function checkSchemaRule(
  rule: SchemaRule,
  path: readonly PathSegment[],
  findings: Findings,
): DataType | undefined {
  const parsed = DataType.safeParse(rule.dataType);
  if (!parsed.success) {
    const hint = DATA_TYPE_HINTS[rule.dataType.toLowerCase()];
    findings.add(
      'schema-datatype',
      [...path, 'dataType'],
      `dataType "${rule.dataType}" is not a Margo data type${hint ? ` (did you mean "${hint}"?)` : ''}: use one of ${DATA_TYPES.join(', ')}`,
    );
    return undefined;
  }
  const dataType = parsed.data;
  const { element } = splitDataType(dataType);
  const allowed = RULES_BY_ELEMENT[element] ?? COMMON_RULES;
  for (const key of Object.keys(rule) as (keyof SchemaRule)[]) {
    if (key === 'name' || key === 'dataType' || !(key in RULE_KEYS) || rule[key] === undefined)
      continue;
    if (!allowed.includes(key)) {
      findings.add(
        'schema-rule-datatype',
        [...path, key],
        `\`${key}\` does not apply to dataType ${dataType} (it is a rule for ${ruleOwner(key)}): remove it or change the dataType`,
        { atKey: true },
      );
    }
  }
  if (element === 'integer') {
    for (const key of ['minValue', 'maxValue'] as const) {
      const v = rule[key];
      if (v !== undefined && !Number.isInteger(v)) {
        findings.add(
          'schema-rule-datatype',
          [...path, key],
          `\`${key}\` ${v} is not a whole number, but dataType is ${dataType}`,
        );
      }
    }
  }
  const range = (min: keyof SchemaRule, max: keyof SchemaRule) => {
    const lo = rule[min];
    const hi = rule[max];
    if (typeof lo === 'number' && typeof hi === 'number' && lo > hi) {
      findings.add(
        'schema-range',
        [...path, min],
        `\`${min}\` ${lo} is above \`${max}\` ${hi}: no value could be valid`,
      );
    }
  };
  range('minLength', 'maxLength');
  range('minValue', 'maxValue');
  range('minPrecision', 'maxPrecision');

  if (rule.regexMatch !== undefined && allowed.includes('regexMatch')) {
    try {
      compileRegexMatch(rule.regexMatch);
      for (const m of rule.regexMatch.matchAll(/(?<!\\)(?:\\\\)*\\([AZzhRQEKG])/g)) {
        const letter = m[1] as string;
        findings.add(
          'schema-regex-pcre',
          [...path, 'regexMatch'],
          `\\${letter} in regexMatch means a literal "${letter}" in the JavaScript engine forms use, not PCRE's ${PCRE_ONLY_ESCAPES[letter]}`,
        );
      }
    } catch (e) {
      findings.add(
        'schema-regex-invalid',
        [...path, 'regexMatch'],
        `regexMatch is not a valid regular expression (${e instanceof Error ? e.message : String(e)}): forms could not check values against it`,
      );
    }
  }
  if (rule.options !== undefined) {
    if (rule.options.length === 0) {
      findings.add(
        'schema-options',
        [...path, 'options'],
        'options is empty: a select list needs at least one option',
      );
    } else {
      rule.options.forEach((option, i) => {
        const asValue = optionValue(option, element);
        if (checkValue({ name: rule.name, dataType: element }, asValue).length > 0) {
          findings.add(
            'schema-options',
            [...path, 'options', i],
            `option ${JSON.stringify(option)} is not a ${element} value, but dataType is ${dataType}`,
          );
        }
      });
      const seen: unknown[] = [];
      rule.options.forEach((option, i) => {
        if (seen.some((o) => sameOption(o, option))) {
          findings.add(
            'schema-options',
            [...path, 'options', i],
            `option ${JSON.stringify(option)} is listed twice`,
          );
        }
        seen.push(option);
      });
    }
  }
  return dataType;
}

const RULE_KEYS: Record<RuleKey, true> = {
  allowEmpty: true,
  minLength: true,
  maxLength: true,
  regexMatch: true,
  minValue: true,
  maxValue: true,
  minPrecision: true,
  maxPrecision: true,
  multiselect: true,
  options: true,
};

function ruleOwner(key: keyof SchemaRule): string {
  if (TEXT_RULES.includes(key as RuleKey)) return 'text';
  if (PRECISION_RULES.includes(key as RuleKey)) return 'double';
  return 'numbers';
}

function closest(name: string, candidates: readonly string[]): string {
  const lower = name.toLowerCase();
  const match = candidates.find((c) => c.toLowerCase() === lower);
  return match ? ` (did you mean "${match}"?)` : '';
}

import { describe, expect, it } from 'vitest';
import { checkValue, decimalPlaces } from '../../shared/configuration/value-rules';
import type { DataType, SchemaRule } from '../../shared/margo/configuration';

type Rules = Omit<Partial<SchemaRule>, 'dataType' | 'name'>;
const rule = (dataType: DataType, rules: Rules = {}): SchemaRule & { dataType: DataType } => ({
  ...rules,
  name: 'r',
  dataType,
});

describe('Margo schema rules applied to one value', () => {
  it('string length at its boundaries, counted in characters', () => {
    const r = rule('string', { minLength: 2, maxLength: 4 });
    expect(checkValue(r, 'ab')).toEqual([]);
    expect(checkValue(r, 'abcd')).toEqual([]);
    expect(checkValue(r, 'a')).toEqual(['must be at least 2 characters (is 1)']);
    expect(checkValue(r, 'abcde')).toEqual(['must be at most 4 characters (is 5)']);
    expect(checkValue(r, '監視監視')).toEqual([]);
    expect(checkValue(r, '😀😀')).toEqual([]);
  });

  it('regexMatch searches like JSON Schema `pattern`, with the PCRE-style escapes suppliers write', () => {
    const url = rule('string', {
      regexMatch:
        '^(http(s):\\/\\/.)[-a-zA-Z0-9@:%._\\+~#=]{2,256}\\.[a-z]{2,6}\\b([-a-zA-Z0-9@:%_\\+.~#?&//=]*)$',
    });
    expect(checkValue(url, 'https://idp.example.com/x')).toEqual([]);
    expect(checkValue(url, 'ftp://x')).toEqual([expect.stringContaining('must match the pattern')]);
    expect(checkValue(rule('string', { regexMatch: '@' }), 'a@b')).toEqual([]);
  });

  it('integer and double ranges are inclusive', () => {
    const r = rule('integer', { minValue: 30, maxValue: 360 });
    expect(checkValue(r, 30)).toEqual([]);
    expect(checkValue(r, 360)).toEqual([]);
    expect(checkValue(r, 29)).toEqual(['must be at least 30']);
    expect(checkValue(r, 361)).toEqual(['must be at most 360']);
    expect(checkValue(r, 30.5)).toEqual(['must be a whole number']);
    expect(checkValue(r, '30')).toEqual(['must be a whole number']);
  });

  it('precision counts decimal places without float error', () => {
    expect(decimalPlaces(0.1 + 0.2)).toBe(17); // what the float is; forms hold what the user typed
    expect(decimalPlaces(1.5)).toBe(1);
    expect(decimalPlaces(1e-7)).toBe(7);
    expect(decimalPlaces(100)).toBe(0);
    const r = rule('double', { minValue: 0.5, maxPrecision: 1, minPrecision: 1 });
    expect(checkValue(r, 0.5)).toEqual([]);
    expect(checkValue(r, 2.5)).toEqual([]);
    expect(checkValue(r, 0.55)).toEqual(['must have at most 1 decimal place (has 2)']);
    expect(checkValue(r, 2)).toEqual(['must have at least 1 decimal place (has 0)']);
    expect(checkValue(r, 0.4)).toEqual(['must be at least 0.5']);
  });

  it('allowEmpty means what its name says (the spec text is inverted; see docs)', () => {
    expect(checkValue(rule('string', { allowEmpty: true, minLength: 5 }), '')).toEqual([]);
    expect(checkValue(rule('string', { allowEmpty: false }), '')).toEqual(['a value is required']);
    expect(checkValue(rule('string'), undefined)).toEqual(['a value is required']);
  });

  it('booleans are true or false, not words', () => {
    expect(checkValue(rule('boolean'), true)).toEqual([]);
    expect(checkValue(rule('boolean'), 'yes')).toEqual(['must be true or false']);
  });

  it('options and multiselect', () => {
    const single = rule('string', { options: ['low', 'high'] });
    expect(checkValue(single, 'low')).toEqual([]);
    expect(checkValue(single, 'mid')).toEqual(['must be one of "low", "high"']);
    const numeric = rule('integer', { options: ['8080', '9090'] });
    expect(checkValue(numeric, 8080)).toEqual([]);
    const multi = rule('array[string]', { options: ['a', 'b', 'c'], multiselect: true });
    expect(checkValue(multi, ['a', 'c'])).toEqual([]);
    expect(checkValue(multi, ['a', 'x', 'y'])).toEqual(['"x", "y" are not among the options']);
    expect(checkValue(multi, 'a')).toEqual(['must be a list of the offered options']);
  });

  it('array types apply the element rules to each item', () => {
    const r = rule('array[integer]', { minValue: 1 });
    expect(checkValue(r, [1, 2, 3])).toEqual([]);
    expect(checkValue(r, [1, 0, 'x'])).toEqual([
      'item 2: must be at least 1',
      'item 3: must be a whole number',
    ]);
    expect(checkValue(r, 5)).toEqual(['must be a list of whole-number values']);
  });
});

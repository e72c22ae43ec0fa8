import { z } from 'zod';
import { specObject } from './spec-object';

export const DATA_TYPES = [
  'string',
  'integer',
  'double',
  'boolean',
  'array[string]',
  'array[integer]',
  'array[double]',
  'array[boolean]',
] as const;
export const DataType = z.enum(DATA_TYPES);
export type DataType = z.infer<typeof DataType>;

/**
 * One validation rule set. The spec models these as subclasses per data type with no
 * discriminator in YAML, so every rule is optional here and `checkSchemaRules` decides
 * which ones fit the `dataType`.
 */
export const SchemaRule = specObject('a schema rule', {
  name: z.string().min(1),
  dataType: z.string(),
  allowEmpty: z.boolean().optional(),
  minLength: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().nonnegative().optional(),
  regexMatch: z.string().optional(),
  minValue: z.number().optional(),
  maxValue: z.number().optional(),
  minPrecision: z.number().int().nonnegative().optional(),
  maxPrecision: z.number().int().nonnegative().optional(),
  multiselect: z.boolean().optional(),
  options: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type SchemaRule = z.infer<typeof SchemaRule>;

export const Setting = specObject('a setting', {
  parameter: z.string().min(1),
  name: z.string(),
  description: z.string().optional(),
  immutable: z.boolean().optional(),
  schema: z.string().min(1),
});
export type Setting = z.infer<typeof Setting>;

export const Section = specObject('a section', {
  name: z.string(),
  settings: z.array(Setting),
});
export type Section = z.infer<typeof Section>;

export const Configuration = specObject('configuration', {
  sections: z.array(Section),
  schema: z.array(SchemaRule).optional(),
});
export type Configuration = z.infer<typeof Configuration>;

import { z } from 'zod';
import { CpuRequirement } from './resources';
import { specObject } from './spec-object';

export const MatchOperator = z.enum([
  'In',
  'NotIn',
  'Exists',
  'DoesNotExist',
  'Gt',
  'Lt',
  'ContainsAll',
  'ContainsAny',
]);
export type MatchOperator = z.infer<typeof MatchOperator>;

export const MatchExpression = specObject('a match expression', {
  key: z.string().min(1),
  operator: MatchOperator,
  values: z.array(z.unknown()).optional(),
  // A getter lets the recursive type be inferred (itemSelector holds match expressions).
  get itemSelector() {
    return Selector.optional();
  },
});
export type MatchExpression = z.infer<typeof MatchExpression>;

export const Selector = specObject('a selector', {
  matchExpressions: z.array(MatchExpression),
});
export type Selector = z.infer<typeof Selector>;

export const EligibilityRule = specObject('an eligibility rule', {
  propertySelector: Selector.optional(),
  labelSelector: Selector.optional(),
});
export type EligibilityRule = z.infer<typeof EligibilityRule>;

export const CapacityRequirements = specObject('capacityRequirements', {
  cpu: CpuRequirement.optional(),
  memory: z.string().optional(),
  storage: z.string().optional(),
});

/** rc.3 requirement model (custom-runtime SUP): capacity first, then eligibility rules (OR). */
export const DeviceConstraints = specObject('deviceConstraints', {
  capacityRequirements: CapacityRequirements.optional(),
  eligibilityRules: z.array(EligibilityRule).optional(),
});
export type DeviceConstraints = z.infer<typeof DeviceConstraints>;

import { z } from 'zod';
import { specObject } from './spec-object';

/** Deployment types a profile may have (legacy `helm.v3`/`docker-compose` are upgraded first). */
export const ProfileType = z.enum(['helm', 'compose', 'custom']);
export type ProfileType = z.infer<typeof ProfileType>;

export const ComponentProperties = specObject('component properties', {
  repository: z.string().optional(),
  revision: z.string().optional(),
  wait: z.boolean().optional(),
  timeout: z.string().optional(),
  /** Legacy compose location (never in a released spec, still in packages). */
  packageLocation: z.string().optional(),
  keyLocation: z.string().optional(),
});
export type ComponentProperties = z.infer<typeof ComponentProperties>;

export const Component = specObject('a component', {
  name: z.string().min(1),
  properties: ComponentProperties,
});
export type Component = z.infer<typeof Component>;

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
/** Parameter values: scalars, or lists of scalars for the `array[…]` data types. */
export const ParameterValue = z.union([Scalar, z.array(Scalar)], {
  error: 'must be text, a number, true/false, or a list of those',
});
export type ParameterValue = z.infer<typeof ParameterValue>;

export const Target = specObject('a parameter target', {
  pointer: z.string().min(1),
  components: z.array(z.string()).min(1),
});
export type Target = z.infer<typeof Target>;

import { z } from 'zod';
import { specObject } from './spec-object';

export const DEPLOYMENT_STATES = [
  'pending',
  'installing',
  'installed',
  'failed',
  'removing',
  'removed',
] as const;
export const DeploymentState = z.enum(DEPLOYMENT_STATES);
export type DeploymentState = z.infer<typeof DeploymentState>;

/** Most severe first: the overall state must be the most severe component state. */
export const STATE_SEVERITY: readonly DeploymentState[] = [
  'failed',
  'removing',
  'installing',
  'pending',
  'removed',
  'installed',
];

export const StatusError = specObject('a status error', {
  code: z.string().optional(),
  source: z.string().optional(),
  message: z.string().optional(),
});

export const ComponentStatus = specObject('a component status', {
  name: z.string().min(1),
  state: DeploymentState,
  error: StatusError.optional(),
});

export const DeploymentStatusManifest = specObject('a deployment status manifest', {
  apiVersion: z.string().optional(),
  kind: z.enum(['DeploymentStatusManifest', 'DeploymentStatus']).optional(),
  deploymentId: z.string().min(1),
  deviceId: z.string().optional(),
  adoptedManifestVersion: z.number().int().min(1).optional(),
  status: specObject('an overall status', {
    state: DeploymentState,
    error: StatusError.optional(),
  }),
  components: z.array(ComponentStatus),
});
export type DeploymentStatusManifest = z.infer<typeof DeploymentStatusManifest>;

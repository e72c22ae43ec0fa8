import { z } from 'zod';
import { Component, ParameterValue, ProfileType, Target } from './components';
import { DeviceConstraints } from './device-constraints';
import { specObject } from './spec-object';

export const DeploymentMetadata = specObject('deployment metadata', {
  name: z.string().min(1),
  namespace: z.string().min(1),
  deviceId: z.string().optional(),
  /** rc.3 requires it without defining it; older device clients read `id`/`applicationId` here. */
  annotations: z.record(z.string(), z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

/** The profile inside a deployment: what rc.3 allows there (no `id`, no requiredResources). */
export const DeployedProfile = specObject('a deployment profile of a deployment', {
  type: ProfileType,
  components: z.array(Component).min(1),
  deviceConstraints: DeviceConstraints.optional(),
});
export type DeployedProfile = z.infer<typeof DeployedProfile>;

export const DeploymentParameter = specObject('a deployment parameter', {
  value: ParameterValue,
  targets: z.array(Target).min(1),
});

export const DeploymentSpec = specObject('a deployment spec', {
  applicationId: z.string(),
  deploymentProfile: DeployedProfile,
  parameters: z.record(z.string(), DeploymentParameter).optional(),
});

/** The desired state of one workload on one device, in its v1.0.0-rc.3 shape. */
export const ApplicationDeployment = specObject('an application deployment', {
  apiVersion: z.string().optional(),
  kind: z.literal('ApplicationDeployment').optional(),
  id: z.string(),
  metadata: DeploymentMetadata,
  spec: DeploymentSpec,
});
export type ApplicationDeployment = z.infer<typeof ApplicationDeployment>;

import { z } from 'zod';
import { Component, ParameterValue, ProfileType, Target } from './components';
import { Configuration } from './configuration';
import { DeviceConstraints } from './device-constraints';
import { RequiredResources } from './resources';
import { specObject } from './spec-object';

export const ApplicationMetadataCatalog = specObject('catalog.application', {
  descriptionFile: z.string().optional(),
  icon: z.string().optional(),
  licenseFile: z.string().optional(),
  releaseNotes: z.string().optional(),
  site: z.string().optional(),
  tagline: z.string().optional(),
  tags: z.array(z.string()).optional(),
});

/** Fields of `metadata.catalog.application` that name files inside the package. */
export const CATALOG_FILE_FIELDS = [
  'icon',
  'descriptionFile',
  'releaseNotes',
  'licenseFile',
] as const;

export const Author = specObject('an author', {
  name: z.string().optional(),
  email: z.string().optional(),
});

export const Organization = specObject('an organization', {
  name: z.string(),
  site: z.string().optional(),
});

export const Catalog = specObject('catalog', {
  application: ApplicationMetadataCatalog.optional(),
  author: z.array(Author).optional(),
  organization: z.array(Organization).min(1),
});

export const Metadata = specObject('metadata', {
  name: z.string().min(1),
  description: z.string().optional(),
  version: z.string().min(1),
  catalog: Catalog,
});

export const DeploymentProfile = specObject('a deployment profile', {
  type: ProfileType,
  id: z.string().min(1),
  description: z.string().optional(),
  components: z.array(Component).min(1),
  requiredResources: RequiredResources.optional(),
  deviceConstraints: DeviceConstraints.optional(),
});
export type DeploymentProfile = z.infer<typeof DeploymentProfile>;

export const Parameter = specObject('a parameter', {
  value: ParameterValue.nullable().optional(),
  targets: z.array(Target).min(1),
});
export type Parameter = z.infer<typeof Parameter>;

/**
 * The application description (`margo.yaml`) in its v1.0.0-rc.3 shape. Legacy shapes are
 * upgraded to this one before validation (see `upgradeApplicationDescription`), so everything
 * downstream sees one model.
 */
export const ApplicationDescription = specObject('an application description', {
  apiVersion: z.string().optional(),
  kind: z.literal('ApplicationDescription').optional(),
  id: z.string({
    error: (issue) =>
      issue.input === undefined
        ? 'the application has no `id`: add a top-level `id` of lower-case letters, digits and dashes (older packages put it in `metadata.id`)'
        : undefined,
  }),
  metadata: Metadata,
  deploymentProfiles: z.array(DeploymentProfile).min(1),
  parameters: z.record(z.string(), Parameter).optional(),
  configuration: Configuration.optional(),
});
export type ApplicationDescription = z.infer<typeof ApplicationDescription>;

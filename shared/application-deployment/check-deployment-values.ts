import { buildFormModel, chooseProfile } from '../configuration/form-model';
import {
  validateConfiguration,
  type ConfigurationError,
} from '../configuration/validate-configuration';
import type { ApplicationDeployment } from '../margo/application-deployment';
import type { ApplicationDescription } from '../margo/application-description';
import { ANNOTATION, valuesOf } from './build-deployment';

/**
 * The values of an existing deployment (read from a file, a device or the WFM's store) checked
 * against its application's configuration rules, by the same validator as the form: a value
 * left out counts as empty, a parameter the supplier made unconfigurable must keep its default.
 */
export function checkDeploymentValues(
  description: ApplicationDescription,
  deployment: ApplicationDeployment,
): ConfigurationError[] {
  const profileId = deployment.metadata.annotations?.[ANNOTATION.profileId];
  const sameType = description.deploymentProfiles.filter(
    (p) => p.type === deployment.spec.deploymentProfile.type,
  );
  const profile =
    profileId === undefined && sameType.length === 1
      ? sameType[0]!
      : chooseProfile(description, profileId);
  return validateConfiguration(buildFormModel(description, profile), valuesOf(deployment));
}

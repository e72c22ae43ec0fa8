import {
  buildFormModel,
  chooseProfile,
  type FormModel,
} from '../../../shared/configuration/form-model';
import { maskFormSecrets } from '../../../shared/configuration/mask-form-secrets';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import type { Store } from '../store/store';
import { describedApplication, type AppRefText } from './show-application';

/**
 * The configuration form of an application's profile (the one named, or its only one): its
 * settings with their rules, defaults and where each value goes, as JSON Schema + uiSchema.
 * Secret defaults are masked.
 */
export function configurationForm(
  store: Store,
  ref: AppRefText,
  profileId?: string,
): { description: ApplicationDescription; model: FormModel } {
  const { description } = describedApplication(store, ref);
  return {
    description,
    model: maskFormSecrets(buildFormModel(description, chooseProfile(description, profileId))),
  };
}

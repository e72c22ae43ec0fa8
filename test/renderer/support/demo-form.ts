import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildFormModel } from '../../../shared/configuration/form-model';
import type { ParameterValue } from '../../../shared/margo/components';
import { DeployForm, type DeployDeviceChoice } from '../../../shared/contract/deploy';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { validateDocumentText } from '../../../shared/validation/validate-document';

// A path, not a URL: the DOM environment's URL is not Node's, which readFileSync wants.
const DEMO = fileURLToPath(import.meta.resolve('../../../resources/demo/package/margo.yaml'));

/** A device as the wizard's first step lists it; `disabled` gives it a reason it cannot be chosen. */
export function deviceChoice(
  name: string,
  more: { disabled?: string; installed?: boolean } = {},
): DeployDeviceChoice {
  return {
    name,
    verdict: more.disabled ? 'incompatible' : 'compatible',
    profiles: [],
    disabledReason: more.disabled ?? null,
    installed: more.installed
      ? {
          deploymentId: `dep-${name}`,
          version: '1.0.0',
          profile: 'line-status-compose',
          revision: 1,
          state: 'installed',
        }
      : null,
  };
}

/**
 * `deploy.form` for the demo app (the package Commissioner ships), built by the real form
 * model builder and checked against the contract, as the renderer receives it. `installed`
 * values make it an update (the immutable port is then locked).
 */
export function demoDeployForm(options: {
  devices: DeployDeviceChoice[];
  withForm?: boolean;
  installed?: Record<string, Record<string, ParameterValue>>;
}): DeployForm {
  const checked = validateDocumentText(readFileSync(DEMO, 'utf8'), { file: 'margo.yaml' });
  if (checked.kind !== 'ApplicationDescription' || !checked.valid) {
    throw new Error(`the demo package is not valid: ${JSON.stringify(checked.diagnostics)}`);
  }
  const description = checked.value as ApplicationDescription;
  const profile = description.deploymentProfiles[0];
  if (!profile) throw new Error('the demo package has no profile');
  const installed = Object.values(options.installed ?? {})[0];
  const form = options.withForm === false ? null : buildFormModel(description, profile, installed);
  return DeployForm.parse({
    app: {
      id: description.id,
      version: description.metadata.version,
      name: description.metadata.name,
    },
    profiles: [{ id: profile.id, type: profile.type, description: null, deployable: true }],
    profile: profile.id,
    devices: options.devices,
    form: form && JSON.parse(JSON.stringify(form)),
    installedValues: options.installed ?? {},
  });
}

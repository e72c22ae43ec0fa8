import { CommissionerError } from '../contract/contract-error';
import { buildFormModel, chooseProfile, type FormModel } from '../configuration/form-model';
import { MASK } from '../configuration/secret-heuristic';
import { isEmptyValue } from '../configuration/value-rules';
import {
  validateConfiguration,
  type ConfigurationError,
} from '../configuration/validate-configuration';
import { targetsInProfile } from '../configuration/value-targets';
import { ApplicationDeployment } from '../margo/application-deployment';
import type { ApplicationDescription, DeploymentProfile } from '../margo/application-description';
import type { Component, ParameterValue } from '../margo/components';
import { DEVICE_ID_WITH_ASTERISK, EXTENSION_KEY } from '../margo/patterns';
import { deploymentNames } from './deployment-names';

/** What to deploy where, with which values. */
export interface DeploymentRequest {
  description: ApplicationDescription;
  /** The profile to deploy; optional when there is one, or when updating (the installed one). */
  profileId?: string;
  /** Any device id, written verbatim into `metadata.deviceId`. */
  deviceId: string;
  /** The deployment's UUID, chosen by the caller; an update keeps the installed one instead. */
  id: string;
  /** Values given by the engineer, by parameter name; the rest keep their default. */
  values?: Readonly<Record<string, unknown>>;
  /** The deployment installed now, when this is an update of it. */
  installed?: ApplicationDeployment;
}

export type DeploymentBuild =
  | {
      ok: true;
      deployment: ApplicationDeployment;
      model: FormModel;
      /** Parameters whose values are secret: mask them everywhere but in what goes to the device. */
      secrets: string[];
      warnings: string[];
    }
  | { ok: false; errors: ConfigurationError[]; warnings: string[]; model: FormModel };

/** A request that cannot be built at all (wrong application, device or profile for an update). */
export class DeploymentRequestError extends CommissionerError<'refused'> {
  constructor(message: string) {
    super('refused', message, { reasons: [message] });
  }
}

/** Annotation keys: `id` and `applicationId` are what older device clients read. */
export const ANNOTATION = {
  id: 'id',
  applicationId: 'applicationId',
  applicationVersion: 'applicationVersion',
  profileId: 'profileId',
} as const;

/**
 * The ApplicationDeployment (rc.3 shape) of one application on one device: the chosen profile
 * copied as rc.3 allows it, every parameter with its value and the targets of that profile,
 * values checked by `validateConfiguration` (the form's validator). Pure and deterministic:
 * the same request gives the same object, keys in canonical order, ready for `deploymentYaml`.
 */
export function buildDeployment(request: DeploymentRequest): DeploymentBuild {
  const { description, installed } = request;
  const profile = deploymentProfileFor(request);
  const installedValues = installed ? valuesOf(installed) : undefined;
  const model = buildFormModel(description, profile, installedValues);
  const warnings: string[] = [];

  const values: Record<string, unknown> = {};
  for (const field of model.fields) {
    const kept = installedValues?.[field.parameter];
    values[field.parameter] = kept !== undefined ? kept : field.default;
  }
  for (const hidden of model.hidden) values[hidden.parameter] = hidden.value;
  const secrets = model.fields.filter((f) => f.secret).map((f) => f.parameter);
  for (const [parameter, value] of Object.entries(request.values ?? {})) {
    // The mask shown in place of a secret means "unchanged": keep the default or installed value.
    if (value === MASK && secrets.includes(parameter)) continue;
    // Not given (as a form leaves untouched fields): keep the default; null or '' empties it.
    if (value === undefined) continue;
    values[parameter] = value;
  }

  const errors = validateConfiguration(model, values);
  if (errors.length > 0) return { ok: false, errors, warnings, model };

  if (installedValues) {
    for (const name of Object.keys(installedValues)) {
      if (description.parameters?.[name] === undefined) {
        warnings.push(
          `parameter ${name} is no longer in ${description.id} ${description.metadata.version}: dropped`,
        );
      }
    }
  }
  const parameters: Record<string, { value: ParameterValue; targets: unknown[] }> = {};
  for (const name of Object.keys(description.parameters ?? {}).sort(byCodePoint)) {
    const parameter = description.parameters?.[name];
    const targets = parameter ? targetsInProfile(parameter.targets, profile) : [];
    if (targets.length === 0) continue;
    const value = values[name];
    if (isEmptyValue(value)) {
      const field = model.fields.find((f) => f.parameter === name);
      warnings.push(
        field
          ? `${name} (${field.setting.name}) is empty: left out of the deployment, so the component's own default applies`
          : `${name} has neither a default value nor a setting: left out of the deployment (the supplier gave no way to set it)`,
      );
      continue;
    }
    parameters[name] = {
      value: value as ParameterValue,
      targets: targets.map((t) => ({ pointer: t.pointer, components: [...t.components] })),
    };
  }

  warnings.push(...profileWarnings(profile, request.deviceId));
  const id = installed?.id ?? request.id;
  const names = installed
    ? { name: installed.metadata.name, namespace: installed.metadata.namespace }
    : deploymentNames(description.id, request.deviceId);
  const deployment = {
    id,
    metadata: {
      name: names.name,
      namespace: names.namespace,
      deviceId: request.deviceId,
      annotations: {
        [ANNOTATION.applicationId]: description.id,
        [ANNOTATION.applicationVersion]: description.metadata.version,
        [ANNOTATION.id]: id,
        [ANNOTATION.profileId]: profile.id,
      },
    },
    spec: {
      applicationId: description.id,
      deploymentProfile: deployedProfile(profile),
      ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    },
  };
  // The model is the last word on the shape; a failure here is a bug in this builder.
  const checked = ApplicationDeployment.safeParse(deployment);
  if (!checked.success) {
    throw new Error(`built an invalid deployment: ${checked.error.message}`);
  }
  return {
    ok: true,
    deployment: deployment as unknown as ApplicationDeployment,
    model,
    secrets,
    warnings,
  };
}

/** The profile a request deploys: the one named, the only one, or the installed one (updates). */
export function deploymentProfileFor(
  request: Pick<DeploymentRequest, 'description' | 'installed' | 'profileId' | 'deviceId'>,
): DeploymentProfile {
  const { description, installed } = request;
  if (!installed) return chooseProfile(description, request.profileId);
  if (installed.spec.applicationId !== description.id) {
    throw new DeploymentRequestError(
      `the installed deployment ${installed.id} is of ${installed.spec.applicationId}, not ${description.id}`,
    );
  }
  if (
    installed.metadata.deviceId !== undefined &&
    installed.metadata.deviceId !== request.deviceId
  ) {
    throw new DeploymentRequestError(
      `the installed deployment ${installed.id} is on device ${installed.metadata.deviceId}, not ${request.deviceId}`,
    );
  }
  const installedProfile = installed.metadata.annotations?.[ANNOTATION.profileId];
  if (
    request.profileId !== undefined &&
    installedProfile !== undefined &&
    request.profileId !== installedProfile
  ) {
    throw new DeploymentRequestError(
      `the installed deployment ${installed.id} uses profile ${installedProfile}: an update keeps its profile (remove it and deploy again to switch to ${request.profileId})`,
    );
  }
  const wanted = request.profileId ?? installedProfile;
  if (wanted !== undefined) return chooseProfile(description, wanted);
  const sameType = description.deploymentProfiles.filter(
    (p) => p.type === installed.spec.deploymentProfile.type,
  );
  return sameType.length === 1 ? (sameType[0] as DeploymentProfile) : chooseProfile(description);
}

/** Parameter values of a deployment, by name. */
export function valuesOf(deployment: ApplicationDeployment): Record<string, ParameterValue> {
  return Object.fromEntries(
    Object.entries(deployment.spec.parameters ?? {}).map(([name, p]) => [name, p.value]),
  );
}

/** What rc.3 allows in `spec.deploymentProfile`, copied from the description. */
function deployedProfile(profile: DeploymentProfile): Record<string, unknown> {
  return {
    type: profile.type,
    components: profile.components.map(deployedComponent),
    ...(profile.deviceConstraints !== undefined
      ? { deviceConstraints: canonical(profile.deviceConstraints) }
      : {}),
    ...extensionsOf(profile),
  };
}

const PROPERTY_ORDER = ['repository', 'revision', 'wait', 'timeout'];

function deployedComponent(component: Component): Record<string, unknown> {
  const props = component.properties as Record<string, unknown>;
  const keys = [
    ...PROPERTY_ORDER.filter((k) => props[k] !== undefined),
    ...Object.keys(props)
      .filter((k) => !PROPERTY_ORDER.includes(k) && props[k] !== undefined)
      .sort(byCodePoint),
  ];
  return {
    name: component.name,
    properties: Object.fromEntries(keys.map((k) => [k, canonical(props[k])])),
    ...extensionsOf(component),
  };
}

/** Device-supplier extensions of a profile or component, copied exactly (keys sorted). */
function extensionsOf(object: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object)
      .filter(([k]) => EXTENSION_KEY.test(k))
      .sort(([a], [b]) => byCodePoint(a, b))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

/** The same value with every mapping's keys sorted, so the YAML does not depend on input order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort(byCodePoint)
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function profileWarnings(profile: DeploymentProfile, deviceId: string): string[] {
  const warnings: string[] = [];
  if (profile.type === 'custom') {
    warnings.push(
      `profile ${profile.id} is of type custom, which the rc.3 Workload Management API does not list (helm, compose): devices that follow rc.3 may refuse it`,
    );
  }
  for (const c of profile.components) {
    if (c.properties.repository === undefined && c.properties.packageLocation !== undefined) {
      warnings.push(
        `component ${c.name} has only the legacy packageLocation: rc.3 requires properties.repository (oci://…) and properties.revision, so devices that follow rc.3 will refuse this deployment; ask the supplier for a current package`,
      );
    }
  }
  if (!DEVICE_ID_WITH_ASTERISK.test(deviceId)) {
    warnings.push(
      `device id "${deviceId}" is not a Margo device id (letters, digits, . _ ~ -, parts separated by /): written as given`,
    );
  }
  return warnings;
}

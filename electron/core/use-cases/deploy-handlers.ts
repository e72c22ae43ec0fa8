import { parse } from 'yaml';
import { verdictOf, type Verdict } from '../../../shared/compatibility/verdict';
import { buildFormModel } from '../../../shared/configuration/form-model';
import type { ConfigurationError } from '../../../shared/configuration/validate-configuration';
import { maskFormSecrets } from '../../../shared/configuration/mask-form-secrets';
import type {
  DeployDeviceChoice,
  DeployForm,
  DeployFormQuery,
  DeployPlan,
  DeployRequest,
  DevicePlanView,
  Values,
} from '../../../shared/contract/deploy';
import { valuesOf } from '../../../shared/application-deployment/build-deployment';
import { maskSecrets } from '../../../shared/application-deployment/mask-secrets';
import type { ApplicationDeployment } from '../../../shared/margo/application-deployment';
import type {
  ApplicationDescription,
  DeploymentProfile,
} from '../../../shared/margo/application-description';
import { secretParameters } from '../deployments/deployment-detail';
import { deploymentOf, storedRevision } from '../deployments/deployment-records';
import { inParallel } from '../deployments/in-parallel';
import {
  isUpToDate,
  maskedDeployment,
  planDeviceDeployment,
  type DevicePlan,
} from '../deployments/docker/docker-plan';
import {
  maskedMargoDeployment,
  planMargoDeployment,
  type MargoPlan,
} from '../deployments/margo/margo-placement';
import { compatibilityMatrix } from '../devices/device-compatibility';
import { getDevice, listDevices, type DeviceRecord } from '../devices/device-inventory';
import { readImageManifest } from '../images/docker-save-stream';
import { imageForDevice } from '../images/image-for-device';
import { showApplication } from '../store/catalog-reader';
import type { Store } from '../store/store';
import { NotInCatalogError } from './app-view';

const RANK: Record<Verdict, number> = { compatible: 2, unknown: 1, incompatible: 0 };

export function describedApp(store: Store, id: string, version?: string) {
  const detail = showApplication(store.db, id, version);
  if (!detail) {
    throw new NotInCatalogError(
      `${version ? `${id}@${version}` : id} is not in the catalog: import its kit first`,
    );
  }
  return { detail, description: detail.document as ApplicationDescription };
}

/** The values the app runs with on a device now, secrets masked; undefined when not there. */
function installedValues(store: Store, appId: string, device: string): Values | undefined {
  const existing = deploymentOf(store, appId, device);
  if (!existing || existing.state === 'removed') return undefined;
  const stored = storedRevision(store, existing.id, existing.revision);
  if (!stored) return undefined;
  const parsed = parse(stored.deployment) as ApplicationDeployment;
  const masked = maskSecrets(parsed, secretParameters(store, existing, parsed));
  return valuesOf(masked);
}

function deviceChoices(
  store: Store,
  description: ApplicationDescription,
  composeProfiles: readonly DeploymentProfile[],
): DeployDeviceChoice[] {
  const devices = listDevices(store);
  const rows = compatibilityMatrix(description, devices);
  const compose = new Set(composeProfiles.map((p) => p.id));
  return devices.map((device) => {
    // Docker devices run compose profiles; a Margo device what its client says it supports.
    const runs = (profile: string) =>
      device.kind === 'margo'
        ? (device.reported?.properties.supportedDeploymentTypes ?? []).includes(
            description.deploymentProfiles.find((p) => p.id === profile)?.type ?? 'custom',
          )
        : compose.has(profile);
    const profiles = rows
      .filter((r) => r.device === device.name && runs(r.profile))
      .map((r) => ({
        profile: r.profile,
        verdict: verdictOf(r.checks),
        checks: r.checks.filter((c) => c.status !== 'passed'),
      }));
    const verdict = profiles.reduce<Verdict>(
      (best, p) => (RANK[p.verdict] > RANK[best] ? p.verdict : best),
      'incompatible',
    );
    const failed = profiles.flatMap((p) => p.checks.filter((c) => c.status === 'failed'));
    const existing = deploymentOf(store, description.id, device.name);
    return {
      name: device.name,
      verdict: profiles.length === 0 ? 'incompatible' : verdict,
      profiles,
      disabledReason:
        device.kind === 'docker' && composeProfiles.length === 0
          ? `${description.id} has no compose profile: Docker devices run compose profiles`
          : verdict === 'incompatible'
            ? `cannot run ${description.metadata.name}: ${[...new Set(failed.map((c) => c.reason))].join('; ') || 'no profile fits'}`
            : null,
      installed: existing
        ? {
            deploymentId: existing.id,
            version: existing.version,
            profile: existing.profile,
            revision: existing.revision,
            state: existing.state,
          }
        : null,
    };
  });
}

/**
 * The wizard's data: every device with its verdict (incompatible ones say why), the
 * profiles, the profile to configure (asked, installed, or the only one that fits the chosen
 * devices) and its form — on an update, started from the installed values with immutable
 * settings locked. Secrets leave masked.
 */
export function deployForm(store: Store, query: DeployFormQuery): DeployForm {
  const { detail, description } = describedApp(store, query.id, query.version);
  const composeProfiles = description.deploymentProfiles.filter((p) => p.type === 'compose');
  const devices = deviceChoices(store, description, composeProfiles);
  const chosen = (query.devices ?? []).filter((name) => devices.some((d) => d.name === name));
  const installed: Record<string, Values> = {};
  for (const name of chosen) {
    const values = installedValues(store, description.id, name);
    if (values) installed[name] = values;
  }
  const installedProfile = chosen
    .map((name) => devices.find((d) => d.name === name)?.installed)
    .find((i) => i && i.state !== 'removed')?.profile;
  // The profiles every chosen device can run (a device's rows hold only the profile types it
  // runs: compose for Docker devices, what a Margo client reports for its devices).
  const fitting =
    chosen.length === 0
      ? []
      : description.deploymentProfiles.filter((p) =>
          chosen.every((name) => {
            const row = devices
              .find((d) => d.name === name)
              ?.profiles.find((r) => r.profile === p.id);
            return row !== undefined && row.verdict !== 'incompatible';
          }),
        );
  const onlyDocker = chosen.every((name) => !name.includes('/'));
  const profileId =
    query.profile ??
    installedProfile ??
    (fitting.length === 1
      ? fitting[0]?.id
      : fitting.length === 0 && onlyDocker && composeProfiles.length === 1
        ? composeProfiles[0]?.id
        : undefined);
  const profile = description.deploymentProfiles.find((p) => p.id === profileId);
  if (query.profile !== undefined && !profile) {
    throw new DeployInputError(
      `${description.id} has no profile "${query.profile}" (it has ${description.deploymentProfiles.map((p) => p.id).join(', ')})`,
    );
  }
  // Locking immutables needs the unmasked installed values only to know they exist.
  const base = Object.values(installed)[0];
  const form = profile
    ? maskFormSecrets(
        buildFormModel(
          description,
          profile,
          base as Parameters<typeof buildFormModel>[2] | undefined,
        ),
      )
    : null;
  return {
    app: { id: description.id, version: detail.version, name: description.metadata.name },
    profiles: description.deploymentProfiles.map((p) => ({
      id: p.id,
      type: p.type,
      description: p.description ?? null,
      // Compose runs on Docker devices and Margo devices; Helm only on Margo devices.
      deployable: p.type === 'compose' || p.type === 'helm',
    })),
    profile: profile?.id ?? null,
    devices,
    form: form as DeployForm['form'],
    installedValues: installed,
  };
}

/** A request the engineer can fix in the wizard. */
export class DeployInputError extends Error {
  override name = 'DeployInputError';
}

/** Each device's plan for a request (probe, compatibility, values, sources, changes). */
export async function planRequest(
  store: Store,
  request: DeployRequest,
): Promise<{ device: string; plan?: DevicePlan; margo?: MargoPlan; view: DevicePlanView }[]> {
  const { description } = describedApp(store, request.id, request.version);
  return inParallel(request.devices, async (name) => {
    const device = getDevice(store, name);
    if (!device) {
      return refusedView(name, {
        refusal: {
          code: 'request',
          message: `no device named ${name}: it was removed; go back and choose the devices again`,
        },
        warnings: [],
      });
    }
    if (device.kind === 'margo') return planMargo(store, description, device, request);
    const result = await planDeviceDeployment(store, {
      description,
      device,
      profileId: request.profile,
      values: { ...request.values, ...(request.overrides?.[name] ?? {}) },
    });
    if (!result.ok) {
      return refusedView(name, result);
    }
    const plan = result.plan;
    return {
      device: name,
      plan,
      view: {
        ok: true as const,
        device: name,
        deploymentId: plan.deployment.id,
        update: plan.installed?.revision ?? null,
        upToDate: isUpToDate(store, plan),
        items: plan.plans.flatMap((p) =>
          p.items.map((i) => ({
            component: p.component,
            service: i.service,
            action: i.action,
            reasons: i.reasons,
          })),
        ),
        images: plan.images.map((name) => ({ name, bytes: imageBytes(store, plan, name) })),
        yaml: maskedDeployment(plan),
        digest: plan.digest,
        warnings: plan.warnings,
      },
    };
  });
}

/** Why a device will not get the deployment, as the review shows it (Docker or Margo alike). */
function refusedView(
  device: string,
  result: {
    refusal: { code: string; message: string; errors?: ConfigurationError[] };
    warnings: string[];
  },
): { device: string; view: DevicePlanView } {
  return {
    device,
    view: {
      ok: false,
      device,
      code: result.refusal.code,
      message: result.refusal.message,
      errors: (result.refusal.errors ?? []).map((e) => ({
        parameter: e.parameter,
        ...(e.setting !== undefined ? { setting: e.setting } : {}),
        message: e.message,
      })),
      warnings: result.warnings,
    },
  };
}

function planMargo(
  store: Store,
  description: ApplicationDescription,
  device: DeviceRecord,
  request: DeployRequest,
): { device: string; margo?: MargoPlan; view: DevicePlanView } {
  const result = planMargoDeployment(store, {
    description,
    device,
    profileId: request.profile,
    values: { ...request.values, ...(request.overrides?.[device.name] ?? {}) },
  });
  if (!result.ok) {
    return refusedView(device.name, result);
  }
  const plan = result.plan;
  return {
    device: device.name,
    margo: plan,
    view: {
      ok: true,
      device: device.name,
      deploymentId: plan.deployment.id,
      update: plan.installed?.revision ?? null,
      upToDate: plan.upToDate,
      items: plan.items,
      // The device pulls its images from the laptop's registry itself: nothing is side-loaded.
      images: [],
      yaml: maskedMargoDeployment(plan),
      digest: plan.digest,
      warnings: plan.warnings,
    },
  };
}

export async function deployPlan(store: Store, request: DeployRequest): Promise<DeployPlan> {
  return { devices: (await planRequest(store, request)).map((p) => p.view) };
}

/** What side-loading an image to this device sends: its layers and config, as stored. */
function imageBytes(store: Store, plan: DevicePlan, image: string): number | null {
  const service = plan.rendered.components
    .flatMap((c) => c.services)
    .find((s) => s.image === image && s.imageRef !== null);
  if (!service?.imageRef) return null;
  try {
    const chosen = imageForDevice(store, service.imageRef, image, plan.platform);
    const manifest = readImageManifest(store.blobs, chosen.manifestDigest);
    return manifest.config.size + manifest.layers.reduce((sum, l) => sum + l.size, 0);
  } catch {
    return null;
  }
}

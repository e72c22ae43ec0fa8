import { parse } from 'yaml';
import { verdictOf, type Verdict } from '../../../shared/compatibility/verdict';
import { buildFormModel } from '../../../shared/configuration/form-model';
import { maskFormSecrets } from '../../../shared/configuration/mask-form-secrets';
import type {
  DeployDeviceChoice,
  DeployForm,
  DeployFormQuery,
  Values,
} from '../../../shared/contract/deploy';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { valuesOf } from '../../../shared/application-deployment/build-deployment';
import { maskSecrets } from '../../../shared/application-deployment/mask-secrets';
import type { ApplicationDeployment } from '../../../shared/margo/application-deployment';
import type { ApplicationDescription } from '../../../shared/margo/application-description';
import { secretParameters } from '../deployments/deployment-detail';
import { deploymentOf, storedRevision } from '../store/deployment-journal';
import { targetForDevice } from '../deployments/deployment-targets';
import { compatibilityMatrix } from '../devices/device-compatibility';
import { withHostAccessChecks } from '../host-access/host-access-checks';
import { listDevices } from '../store/device-inventory';
import type { Store } from '../store/store';
import { describedApplication } from './show-application';

const RANK: Record<Verdict, number> = { compatible: 2, unknown: 1, incompatible: 0 };

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

/** Every device with the profiles of the app it can run, their verdicts, and what it runs now. */
async function deviceChoices(
  store: Store,
  description: ApplicationDescription,
): Promise<DeployDeviceChoice[]> {
  const devices = listDevices(store);
  const rows = await withHostAccessChecks(
    store,
    description,
    devices,
    compatibilityMatrix(description, devices),
  );
  return devices.map((device) => {
    const types = targetForDevice(device).profileTypes(device);
    const runs = (profile: string) =>
      types.includes(description.deploymentProfiles.find((p) => p.id === profile)?.type ?? '');
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
        profiles.length === 0
          ? `${description.metadata.name} has no ${types.join(' or ') || 'runnable'} profile: ${device.name} runs ${types.join(' and ') || 'no'} profiles`
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
export async function deployForm(store: Store, query: DeployFormQuery): Promise<DeployForm> {
  const { detail, description } = describedApplication(store, {
    id: query.id,
    version: query.version,
  });
  const devices = await deviceChoices(store, description);
  const chosen = (query.devices ?? []).filter((name) => devices.some((d) => d.name === name));
  const installed: Record<string, Values> = {};
  for (const name of chosen) {
    const values = installedValues(store, description.id, name);
    if (values) installed[name] = values;
  }
  const installedProfile = chosen
    .map((name) => devices.find((d) => d.name === name)?.installed)
    .find((i) => i && i.state !== 'removed')?.profile;
  // The profiles every chosen device can run, with a verdict that allows it.
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
  // None fits (the devices cannot run the app as they are): still show the form of the only
  // profile every chosen device could run (with none chosen yet, Docker's compose), so the
  // engineer sees what the app asks for.
  const chosenTypes =
    chosen.length === 0
      ? [['compose']]
      : listDevices(store)
          .filter((d) => chosen.includes(d.name))
          .map((d) => targetForDevice(d).profileTypes(d));
  const runnable = description.deploymentProfiles.filter((p) =>
    chosenTypes.every((types) => types.includes(p.type)),
  );
  const profileId =
    query.profile ??
    installedProfile ??
    (fitting.length === 1
      ? fitting[0]?.id
      : fitting.length === 0 && runnable.length === 1
        ? runnable[0]?.id
        : undefined);
  const profile = description.deploymentProfiles.find((p) => p.id === profileId);
  if (query.profile !== undefined && !profile) {
    throw new CommissionerError(
      'choose-profile',
      `${description.metadata.name} has no profile "${query.profile}": choose one of ${description.deploymentProfiles.map((p) => p.id).join(', ')}`,
      { profiles: description.deploymentProfiles.map((p) => p.id) },
    );
  }
  // Locking immutables needs the installed values only to know they exist.
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

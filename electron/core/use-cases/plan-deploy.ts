import type { AuditInputs } from '../../../shared/audit/audit-entry';
import { CommissionerError } from '../../../shared/contract/contract-error';
import type { DevicePlanView } from '../../../shared/contract/deploy';
import type { ArtifactTrust } from '../../../shared/contract/trust';
import {
  refusedByPolicy,
  signatureRefusalMessage,
} from '../../../shared/trust/artifact-trust-words';
import {
  readParameterValues,
  valueProblem,
  type ValuesInput,
} from '../configuration/parameter-values';
import type { ApplyOptions, DeviceOutcome } from '../deployments/deployment-target';
import { targetForDevice } from '../deployments/deployment-targets';
import { inParallel } from '../deployments/in-parallel';
import { reviewValues } from '../../../shared/application-deployment/deployment-values';
import { secretNames, valuesSummary } from '../audit/deploy-inputs';
import { recoverInterruptedOperations } from '../deployments/recover-operations';
import { getDevice, type DeviceRecord } from '../store/device-inventory';
import type { Store } from '../store/store';
import { artifactTrustFor } from '../trust/artifact-trust';
import { describedApplication, type AppRefText } from './show-application';
import { noDevice } from './update-device';

export interface DeployInput {
  app: AppRefText;
  /** Devices of the inventory, Docker or Margo alike. */
  devices: readonly string[];
  profile?: string;
  /** The same values for every device… */
  values: ValuesInput;
  /** …and, per device, values that differ (typed, as the form holds them). */
  overrides?: Record<string, Record<string, unknown>>;
}

/** One device's plan as the engineer reviews it, and what carries it out. */
export interface PlannedDevice {
  device: string;
  view: DevicePlanView;
  /** Absent when the device was refused. */
  apply?: (options: ApplyOptions) => Promise<DeviceOutcome>;
}

export interface DeployPlanning {
  app: { id: string; version: string; name: string };
  devices: PlannedDevice[];
  /** The verdicts of everything the deployment would send, with the policy over each. */
  signatures: ArtifactTrust[];
  /** Where applying it records its audit entries, and what they say of the request. */
  audit: { store: Store; inputs: AuditInputs };
}

/**
 * What deploying an application would do on each device, computed without changing anything:
 * every device is probed (Docker) or read from its client's report (Margo), checked with the
 * compatibility report, given the values (refused ones name their parameter and where they
 * came from), and planned. Each planned device lists its values, where they go and which
 * differ between the devices (secrets masked). The same planning backs the review in the app, `deploy --dry-run`,
 * and the deploy itself. When a strict trust policy refuses one of the artifacts it would
 * send, no device is asked anything: each is refused (`signature`), naming the artifacts.
 */
export async function planDeploy(store: Store, input: DeployInput): Promise<DeployPlanning> {
  recoverInterruptedOperations(store);
  const { detail, description } = describedApplication(store, input.app);
  const names = [...new Set(input.devices.map((d) => d.trim()).filter(Boolean))];
  if (names.length === 0) {
    throw new CommissionerError('invalid-input', 'name at least one device to deploy to', {
      field: 'devices',
    });
  }
  const devices = names.map((name) => getDevice(store, name) ?? name);
  const unknown = devices.filter((d): d is string => typeof d === 'string');
  if (unknown.length > 0) throw noDevice(unknown.join(', '));
  const { values, origins } = readParameterValues(description, input.values);
  const app = { id: description.id, version: detail.version, name: description.metadata.name };
  const signatures = artifactTrustFor(store, description.id, detail.version);
  const secrets = secretNames(description);
  const audit = {
    store,
    inputs: {
      app: app.id,
      version: app.version,
      profile: input.profile ?? null,
      devices: names,
      ...valuesSummary(values, secrets),
      ...Object.fromEntries(
        Object.entries(input.overrides ?? {}).flatMap(([device, overrides]) =>
          Object.entries(valuesSummary(overrides, secrets, `${device}:`)),
        ),
      ),
    },
  };
  const refused = refusedByPolicy(signatures);
  if (refused.length > 0) {
    const devices = names.map((device) => ({
      device,
      view: {
        ok: false as const,
        device,
        code: 'signature' as const,
        message: signatureRefusalMessage(device, refused),
        errors: [],
        warnings: [],
      },
    }));
    return { app, devices, signatures, audit };
  }
  const planned = await inParallel(devices as DeviceRecord[], async (device) => {
    const plan = await targetForDevice(device).plan(store, {
      description,
      device,
      ...(input.profile !== undefined ? { profileId: input.profile } : {}),
      values: { ...values, ...(input.overrides?.[device.name] ?? {}) },
    });
    if (plan.ok) {
      return { device: device.name, view: plan.view, apply: plan.apply, deploys: plan.deploys };
    }
    return {
      device: device.name,
      view: {
        ok: false as const,
        device: device.name,
        code: plan.refusal.code,
        message: plan.refusal.message,
        errors: (plan.refusal.errors ?? []).map((e) => valueProblem(e, origins)),
        warnings: plan.warnings,
      },
    };
  });
  const reviewed = reviewValues(
    planned.flatMap((p) =>
      p.deploys
        ? [
            {
              device: p.device,
              description,
              ...p.deploys,
              own: new Set(Object.keys(input.overrides?.[p.device] ?? {})),
            },
          ]
        : [],
    ),
  );
  const devicePlans = planned.map(({ deploys: _, ...p }): PlannedDevice => {
    const rows = reviewed.get(p.device);
    return rows && p.view.ok ? { ...p, view: { ...p.view, values: rows } } : p;
  });
  return { app, devices: devicePlans, signatures, audit };
}

import type { Actor } from '../../../shared/audit/audit-entry';
import type { DeviceOutcomeView } from '../../../shared/contract/deploy';
import type { ArtifactTrust } from '../../../shared/contract/trust';
import { CommissionerError } from '../../../shared/contract/contract-error';
import {
  refusedByPolicy,
  signatureRefusalMessage,
} from '../../../shared/trust/artifact-trust-words';
import type { DeviceOutcome, TargetProgress } from '../deployments/deployment-target';
import { currentActor } from '../audit/actor-context';
import { inParallel } from '../deployments/in-parallel';
import { appendAudit } from '../store/audit-trail';
import { toContractError } from '../errors/to-contract-error';
import { unacknowledgedMessage } from '../host-access/acknowledgement';
import type { DeployPlanning, PlannedDevice } from './plan-deploy';

/** What a device is doing, for whoever watches: its state in words, or an image's bytes. */
export type DeployProgress =
  TargetProgress | { kind: 'state'; state: 'running' | 'succeeded' | 'failed'; message: string };

export interface ApplyDeployOptions {
  /**
   * The digest each device's plan had when the engineer reviewed it: a device whose plan has
   * another one now is not touched (something changed since: review again). Absent: the plans
   * applied are the ones just shown.
   */
  reviewed?: Record<string, string>;
  /**
   * Per device, the host-access digest of the plan whose host access the engineer allowed
   * (the UI's checkbox; the CLI's --allow-host-access for the plans it just showed). A plan
   * that needs host access is applied only where this matches: otherwise it is refused
   * (`host-access`) and nothing on the device changes.
   */
  hostAccessAllowed?: Record<string, string>;
  /**
   * Per device, the installation whose deployment the engineer confirmed taking over (the
   * UI's confirmation; the CLI's --take-over for the plans it just showed). A plan over
   * another installation's deployment is applied only where this matches: otherwise it is
   * refused (`take-over`) and nothing on the device changes.
   */
  takeOver?: Record<string, string>;
  /** Restore the known-good revision when the new one fails (default true). */
  autoRollback?: boolean;
  onProgress?: (device: string, progress: DeployProgress) => void;
}

/**
 * Carries out a planning, device by device in parallel: refused devices stay untouched, an
 * up-to-date one records nothing, the others get the plan that was reviewed. Returns how each
 * device ended; the deployments' own records follow live.
 */
export async function applyDeploy(
  planning: DeployPlanning,
  options: ApplyDeployOptions = {},
): Promise<DeviceOutcome[]> {
  // The planning refuses every device already; checked again here so that no way of building
  // or narrowing a planning sends what a strict trust policy refuses.
  const untrusted = refusedByPolicy(planning.signatures);
  const actor = currentActor(planning.audit.store);
  return inParallel(planning.devices, async (planned) => {
    const outcome = await applyOne(planned, options, untrusted);
    recordDeploy(planning, planned, outcome, options, actor);
    return outcome;
  });
}

/** One audit entry per device: what was asked, how it ended, the digests sent. */
function recordDeploy(
  planning: DeployPlanning,
  { device, view }: PlannedDevice,
  outcome: DeviceOutcome,
  options: ApplyDeployOptions,
  actor: Actor,
): void {
  const ok =
    outcome.state !== 'failed' && outcome.state !== 'refused' && outcome.state !== 'rolled-back';
  const pkg = planning.signatures.find((s) => s.kind === 'package');
  appendAudit(planning.audit.store, {
    actor,
    operation: 'deploy',
    target: device,
    inputs: {
      ...planning.audit.inputs,
      deploymentId: outcome.deploymentId,
      revision: outcome.revision,
      state: outcome.state,
      rolledBackTo: outcome.rolledBackTo,
      takeOver: options.takeOver?.[device] !== undefined,
      hostAccessAllowed: options.hostAccessAllowed?.[device] !== undefined,
    },
    outcome: ok
      ? { result: 'ok' }
      : {
          result: outcome.state === 'refused' ? 'refused' : 'failed',
          reason: outcome.error?.message ?? outcome.state,
          error: outcome.error?.code ?? outcome.state,
        },
    digests: {
      ...(pkg ? { package: pkg.artifact } : {}),
      ...(view.ok ? { applicationDeployment: [view.digest] } : {}),
      images: planning.signatures.filter((s) => s.kind === 'image').map((s) => s.artifact),
    },
  });
}

function refused(
  device: string,
  code: string,
  message: string,
  deploymentId: string | null = null,
): DeviceOutcomeView {
  return {
    device,
    deploymentId,
    revision: null,
    state: 'refused',
    rolledBackTo: null,
    error: { code, message, source: device },
  };
}

async function applyOne(
  { device, view, apply }: PlannedDevice,
  options: ApplyDeployOptions,
  untrusted: readonly ArtifactTrust[],
): Promise<DeviceOutcome> {
  const say = (progress: DeployProgress) => options.onProgress?.(device, progress);
  const ended = (outcome: DeviceOutcome) => {
    const ok =
      outcome.state !== 'failed' && outcome.state !== 'refused' && outcome.state !== 'rolled-back';
    say({
      kind: 'state',
      state: ok ? 'succeeded' : 'failed',
      message: ok ? describeSuccess(outcome) : (outcome.error?.message ?? outcome.state),
    });
    return outcome;
  };
  if (untrusted.length > 0) {
    return ended(
      refused(
        device,
        'signature',
        signatureRefusalMessage(device, untrusted),
        view.ok ? view.deploymentId : null,
      ),
    );
  }
  if (!view.ok || !apply) {
    return ended(refused(device, view.ok ? 'request' : view.code, view.ok ? '' : view.message));
  }
  const reviewed = options.reviewed?.[device];
  if (options.reviewed && reviewed !== view.digest) {
    return ended(
      refused(
        device,
        'changed',
        `what would be deployed to ${device} changed since the review (${view.digest.slice(0, 19)}…): review again`,
        view.deploymentId,
      ),
    );
  }
  if (view.upToDate) {
    // Nothing is applied: the device already runs exactly this.
    return ended({
      device,
      deploymentId: view.deploymentId,
      revision: view.update,
      state: 'unchanged',
      rolledBackTo: null,
      error: null,
    });
  }
  if (view.takeOver) {
    const confirmed = options.takeOver?.[device];
    if (confirmed !== view.takeOver.owner.installation) {
      return ended(
        refused(
          device,
          'take-over',
          `${view.takeOver.message}; not applied, since taking it over was not confirmed`,
          view.deploymentId,
        ),
      );
    }
  }
  if (view.hostAccessDigest !== null) {
    const allowed = options.hostAccessAllowed?.[device];
    if (allowed !== view.hostAccessDigest) {
      return ended(
        refused(
          device,
          'host-access',
          unacknowledgedMessage(device, view.hostAccess, allowed !== undefined),
          view.deploymentId,
        ),
      );
    }
  }
  say({ kind: 'state', state: 'running', message: 'applying' });
  try {
    return ended(await apply({ autoRollback: options.autoRollback !== false, onProgress: say }));
  } catch (e) {
    if (e instanceof CommissionerError && e.name === 'device-busy') {
      return ended(refused(device, 'busy', e.message, view.deploymentId));
    }
    const error = toContractError(e, `deploying to ${device}`);
    return ended({
      ...refused(device, 'failed', error.message, view.deploymentId),
      state: 'failed',
    });
  }
}

function describeSuccess(o: DeviceOutcome): string {
  switch (o.state) {
    case 'unchanged':
      return 'up to date: nothing to do';
    case 'placed':
      return `placed as revision ${o.revision}: the device pulls it and reports back`;
    default:
      return `installed, revision ${o.revision}`;
  }
}

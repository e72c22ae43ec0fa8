import { describeHostAccess, hostAccessSummary } from '../../../shared/compose/host-access';
import { describeTargets } from '../../../shared/configuration/value-targets';
import type { DevicePlanView, PlanItemView, PlanValueView } from '../../../shared/contract/deploy';
import { auditWarning, auditedUnverified } from '../../../shared/trust/artifact-trust-words';
import type { DeviceOutcome } from '../../core/deployments/deployment-target';
import type { Store } from '../../core/store/store';
import { wasAudited } from '../../core/audit/audited';
import { recordRefusedRequest } from '../../core/audit/refused-request';
import { toContractError } from '../../core/errors/to-contract-error';
import { applyDeploy } from '../../core/use-cases/apply-deploy';
import { planDeploy } from '../../core/use-cases/plan-deploy';
import { describeValueProblem, profileHint, reportFailure } from '../cli-failure';
import { confirmed } from '../confirm';
import { errorDetailLines } from '../error-detail-lines';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { signatureJson, signatureLines } from '../signature-text';
import { valuesFromOptions } from '../values-options';

export interface DeployOptions {
  device: string[];
  profile?: string;
  set?: string[];
  values?: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  /** commander's `--no-rollback` */
  rollback?: boolean;
  /** Acknowledges the host access the plans shown need. */
  allowHostAccess?: boolean;
  /** Shows what the device or the system said behind a failure. */
  verbose?: boolean;
  /** Takes over deployments the plans shown say another installation made. */
  takeOver?: boolean;
}

/**
 * `deploy <appId>[@version] --device <name>[,<name>…] [--profile <id>] [--set p=v]…
 * [--values f.yaml] [--dry-run] [--allow-host-access] [--yes] [--json]`: plans every device
 * first, shows the plan (what it may do to the device itself first), asks on a terminal unless
 * --yes, then applies what was shown, device by device in parallel. A plan that needs host
 * access is applied only with --allow-host-access. The signature verdicts of what would be
 * sent come first; a strict trust policy that one of them fails refuses every device.
 * Exit 0 when every device runs (or was given) the new revision, 1 when any was refused,
 * failed or rolled back, 2 for usage errors.
 */
export async function runDeploy(
  store: Store,
  ref: string,
  options: DeployOptions,
  output: Output,
): Promise<ExitCode> {
  const say = (line: string) => (options.json ? output.err(line) : output.out(line));
  let planning;
  try {
    planning = await planDeploy(store, {
      app: ref,
      devices: options.device.flatMap((d) => d.split(',')),
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      values: valuesFromOptions(options),
    });
  } catch (e) {
    if (!options.dryRun) recordRefusedDeploy(store, ref, options, e);
    return reportFailure(output, 'deploy', e, (error) =>
      error.name === 'not-found' && error.details.thing === 'device'
        ? EXIT.usage
        : profileHint(output)(error),
    );
  }
  const signatures = planning.signatures.map(signatureJson);
  if (planning.signatures.length > 0) {
    say('signatures of what would be sent:');
    for (const line of signatureLines(planning.signatures)) say(`  ${line}`);
  }
  for (const artifact of auditedUnverified(planning.signatures)) {
    output.err(`warning: ${auditWarning(artifact)}`);
  }
  const report = new Map<string, Record<string, unknown>>();
  for (const { device, view } of planning.devices) {
    for (const w of view.warnings) output.err(`warning: ${w}`);
    if (!view.ok) {
      say(`${device}: refused: ${view.message}`);
      for (const e of view.errors) say(`  ${describeValueProblem(e)}`);
      report.set(device, { ...refusalJson(view), signatures });
      continue;
    }
    if (view.takeOver) {
      say(
        `${device}: ${view.takeOver.message}${options.takeOver ? ' (--take-over given)' : ' (not without --take-over)'}`,
      );
    }
    say(
      `${device}: ${view.appId} ${view.version}, profile ${view.profile}${view.update !== null ? ` (update of revision ${view.update})` : ' (new)'}${view.upToDate ? ': up to date, nothing to do' : ''}`,
    );
    if (view.hostAccess.length > 0) {
      say(
        `  needs access to the device itself (${hostAccessSummary(view.hostAccess)})${options.allowHostAccess ? ', allowed' : ''}:`,
      );
      for (const line of describeHostAccess(view.hostAccess)) say(`    ${line}`);
    }
    if (!view.upToDate) {
      for (const item of view.items) say(`  ${planLine(item)}`);
      const values = view.values ?? [];
      if (values.length > 0) say('  values:');
      for (const value of values) say(`    ${valueLine(value)}`);
      if (view.images.length > 0) say(`  side-load ${view.images.map((i) => i.name).join(', ')}`);
    }
    report.set(device, { ...planJson(view), signatures });
  }
  const refused = planning.devices.some((d) => !d.view.ok);
  const ready = planning.devices.filter((d) => d.view.ok && !d.view.upToDate);
  const done = (failed: boolean) => {
    if (options.json) output.out(JSON.stringify([...report.values()]));
    return failed ? EXIT.findings : EXIT.ok;
  };
  const notReady = planning.devices.filter((d) => !ready.includes(d));
  // Refused and up-to-date devices get their audit entries as the app's deploy gives them:
  // applying changes nothing on them, it only records how they ended.
  if (!options.dryRun && notReady.length > 0) await applyDeploy({ ...planning, devices: notReady });
  if (options.dryRun || ready.length === 0) return done(refused);
  const owned = ready.filter((d) => d.view.ok && d.view.takeOver);
  if (owned.length > 0 && !options.takeOver) {
    say(
      `${owned.map((d) => d.device).join(', ')}: not applied without --take-over (another installation deployed it, as said above)`,
    );
  }
  const needing = ready.filter((d) => d.view.ok && d.view.hostAccess.length > 0);
  if (needing.length > 0 && !options.allowHostAccess) {
    say(
      `${needing.map((d) => d.device).join(', ')}: not applied without --allow-host-access (the access listed above)`,
    );
  }
  const names = ready.map((d) => d.device);
  if (
    !(await confirmed(
      `Apply to ${names.length} device${names.length === 1 ? '' : 's'} (${names.join(', ')})?`,
      options.yes,
    ))
  ) {
    output.err('nothing changed');
    return EXIT.findings;
  }
  const allowed: Record<string, string> = {};
  const takeOver: Record<string, string> = {};
  for (const { device, view } of ready) {
    if (options.allowHostAccess && view.ok && view.hostAccessDigest !== null)
      allowed[device] = view.hostAccessDigest;
    if (options.takeOver && view.ok && view.takeOver)
      takeOver[device] = view.takeOver.owner.installation;
  }
  const outcomes = await applyDeploy(
    { ...planning, devices: ready },
    {
      hostAccessAllowed: allowed,
      takeOver,
      autoRollback: options.rollback !== false,
      onProgress: (device, p) => {
        if (p.kind === 'message') output.err(`${device}: ${p.message}`);
      },
    },
  );
  let failed = refused;
  for (const outcome of outcomes) {
    if (!['installed', 'placed', 'unchanged'].includes(outcome.state)) failed = true;
    say(outcomeLine(outcome));
    for (const line of errorDetailLines(outcome.error, options.verbose)) say(line);
    if (outcome.error?.code === 'host-access') {
      say(`  (after reviewing it, deploy again with --allow-host-access to allow it)`);
    }
    if (outcome.error?.code === 'take-over') {
      say(`  (to take it over, deploy again with --take-over)`);
    }
    Object.assign(report.get(outcome.device) ?? {}, outcomeJson(outcome));
  }
  return done(failed);
}

function planLine(item: PlanItemView): string {
  const reasons = item.reasons.length > 0 ? ` (${item.reasons.join('; ')})` : '';
  return `${item.action.padEnd(9)} ${item.component}/${item.service}${reasons}`;
}

/** `LINE_NAME = Press Hall A → environment variable LINE_NAME of board (differs between devices)` */
function valueLine(value: PlanValueView): string {
  const notes = [
    value.own ? 'for this device only' : '',
    value.differs ? 'differs between devices' : '',
  ].filter(Boolean);
  const shown = value.value ?? "(empty: the component's own default)";
  const noted = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  return `${value.parameter} = ${shown} → ${describeTargets(value.targets)}${noted}`;
}

function outcomeLine(o: DeviceOutcome): string {
  switch (o.state) {
    case 'rolled-back':
      return `${o.device}: FAILED and rolled back: ${o.error?.message ?? ''}`;
    case 'installed': {
      const loaded = (o.sideLoaded ?? []).filter((s) => s.action === 'loaded').length;
      return `${o.device}: installed, revision ${o.revision} (deployment ${o.deploymentId})${loaded > 0 ? `; side-loaded ${loaded} image${loaded === 1 ? '' : 's'}` : ''}`;
    }
    case 'placed':
      return `${o.device}: placed as revision ${o.revision} in its client's desired state; the device pulls it and reports back`;
    case 'refused':
      return `${o.device}: not applied: ${o.error?.message ?? ''}`;
    default:
      return `${o.device}: FAILED (revision ${o.revision}): ${o.error?.message ?? ''}`;
  }
}

/** One device of `deploy --json`; its shape is relied on by scripts outside the repo. */
function planJson(view: Extract<DevicePlanView, { ok: true }>): Record<string, unknown> {
  return {
    device: view.device,
    id: view.deploymentId,
    appId: view.appId,
    version: view.version,
    profile: view.profile,
    digest: view.digest,
    update: view.update,
    upToDate: view.upToDate,
    hostAccess: view.hostAccess.map((f) => ({
      component: f.component,
      service: f.service,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
    })),
    plan: view.items,
    values: view.values ?? [],
    images: view.images.map((i) => i.name),
    ...(view.takeOver
      ? {
          takeOver: {
            owner: view.takeOver.owner,
            deployedAt: view.takeOver.deployedAt,
            revision: view.takeOver.revision,
            message: view.takeOver.message,
          },
        }
      : {}),
    warnings: view.warnings,
  };
}

function refusalJson(view: Extract<DevicePlanView, { ok: false }>) {
  return {
    device: view.device,
    state: 'refused',
    error: {
      code: view.code,
      message: view.message,
      ...(view.errors.length > 0 ? { errors: view.errors } : {}),
    },
    warnings: view.warnings,
  };
}

function outcomeJson(o: DeviceOutcome): Record<string, unknown> {
  if (o.state === 'refused')
    return { state: 'refused', error: { code: o.error?.code, message: o.error?.message } };
  if (o.state === 'placed') return { state: 'placed', revision: o.revision };
  return {
    id: o.deploymentId,
    revision: o.revision,
    // A failed revision that was rolled back leaves the deployment installed (as before).
    state: o.state === 'rolled-back' ? 'installed' : o.state,
    rolledBackTo: o.rolledBackTo,
    components: (o.components ?? []).map((c) => ({
      name: c.name,
      state: c.state,
      ...(c.error ? { error: { code: c.error.code, message: c.error.message } } : {}),
    })),
    sideLoaded: o.sideLoaded ?? [],
    error: o.error,
  };
}

/** A deploy refused while planning (values, profile, the catalog): one entry per device named. */
function recordRefusedDeploy(store: Store, ref: string, options: DeployOptions, e: unknown): void {
  if (wasAudited(e)) return;
  const error = toContractError(e, 'commissioner deploy');
  for (const device of options.device.flatMap((d) => d.split(','))) {
    recordRefusedRequest(store, 'deploy', { device, id: ref }, error);
  }
}

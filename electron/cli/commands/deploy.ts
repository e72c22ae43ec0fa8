import { createInterface } from 'node:readline/promises';
import {
  applyDevicePlan,
  describePlan,
  isUpToDate,
  planDeviceDeployment,
  type DeviceOutcome,
  type DevicePlan,
  type PlanResult,
} from '../../core/deployments/docker/docker-plan';
import { getDevice, type DeviceRecord } from '../../core/devices/device-inventory';
import { inParallel } from '../../core/deployments/in-parallel';
import { placeMargoPlan, planMargoDeployment } from '../../core/deployments/margo/margo-placement';
import { recoverInterruptedOperations } from '../../core/deployments/recover-operations';
import { DeviceBusyError } from '../../core/deployments/device-operation';
import type { Store } from '../../core/store/store';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { describeValueError, readParameterValues, valueErrorJson } from '../parameter-values';
import { loadDescription } from './config';

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
}

/**
 * `deploy <appId>[@version] --device <name>[,<name>…] [--profile <id>] [--set p=v]…
 * [--values f.yaml] [--dry-run] [--yes] [--json]`: plans every device first (probe,
 * compatibility, values, sources, what changes), shows the plan, asks on a terminal unless
 * --yes, then applies device by device in parallel. Exit 0 when every device runs the new
 * revision, 1 when any was refused, failed or rolled back, 2 for usage errors.
 */
export async function runDeploy(
  store: Store,
  ref: string,
  options: DeployOptions,
  output: Output,
): Promise<ExitCode> {
  recoverInterruptedOperations(store);
  const description = loadDescription(store, ref, 'deploy', output);
  if (!description) return EXIT.findings;
  const names = [
    ...new Set(
      options.device
        .flatMap((d) => d.split(','))
        .map((d) => d.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) {
    output.err('commissioner deploy: name the devices with --device <name>[,<name>…]');
    return EXIT.usage;
  }
  const devices: DeviceRecord[] = [];
  for (const name of names) {
    const device = getDevice(store, name);
    if (!device) {
      output.err(
        `commissioner deploy: no device named ${name} (commissioner devices list shows them)`,
      );
      return EXIT.usage;
    }
    devices.push(device);
  }
  const given = readParameterValues(description, options, 'deploy', output);
  if (typeof given === 'number') return given;
  const { values, origins } = given;
  const say = (line: string) => (options.json ? output.err(line) : output.out(line));
  const progress = (device: string) => (message: string) => output.err(`${device}: ${message}`);

  // Margo devices are not driven: the deployment is placed in their client's desired state.
  const margoReport: Record<string, unknown>[] = [];
  let margoRefused = false;
  for (const device of devices.filter((d) => d.kind === 'margo')) {
    const result = planMargoDeployment(store, {
      description,
      device,
      values,
      ...(options.profile !== undefined ? { profileId: options.profile } : {}),
    });
    for (const w of result.ok ? result.plan.warnings : result.warnings) output.err(`warning: ${w}`);
    if (!result.ok) {
      margoRefused = true;
      say(`${device.name}: refused: ${result.refusal.message}`);
      for (const e of result.refusal.errors ?? []) say(`  ${describeValueError(e, origins)}`);
      margoReport.push({
        device: device.name,
        state: 'refused',
        error: { code: result.refusal.code, message: result.refusal.message },
        warnings: result.warnings,
      });
      continue;
    }
    const plan = result.plan;
    say(
      `${device.name}: ${description.id} ${description.metadata.version}, profile ${plan.profile.id}${plan.installed ? ` (update of revision ${plan.installed.revision})` : ' (new)'}${plan.upToDate ? ': up to date, nothing to do' : ''}`,
    );
    const entry: Record<string, unknown> = {
      device: device.name,
      id: plan.deployment.id,
      appId: description.id,
      version: description.metadata.version,
      profile: plan.profile.id,
      digest: plan.digest,
      update: plan.installed?.revision ?? null,
      upToDate: plan.upToDate,
      plan: plan.items,
      images: [],
      warnings: plan.warnings,
    };
    if (!options.dryRun && !plan.upToDate) {
      const placed = placeMargoPlan(store, plan);
      say(
        `${device.name}: placed as revision ${placed.revision} in the desired state of client ${plan.clientId}; the device pulls it and reports back`,
      );
      Object.assign(entry, { state: 'placed', revision: placed.revision });
    }
    margoReport.push(entry);
  }
  devices.splice(0, devices.length, ...devices.filter((d) => d.kind !== 'margo'));
  if (devices.length === 0) {
    if (options.json) output.out(JSON.stringify(margoReport));
    return margoRefused ? EXIT.findings : EXIT.ok;
  }

  const planned = await inParallel(devices, (device) =>
    planDeviceDeployment(store, {
      description,
      device,
      values,
      ...(options.profile !== undefined ? { profileId: options.profile } : {}),
    }),
  );
  const ready: DevicePlan[] = [];
  const report: Record<string, unknown>[] = [...margoReport];
  for (const [i, result] of planned.entries()) {
    const device = (devices[i] as DeviceRecord).name;
    for (const w of result.ok ? result.plan.warnings : result.warnings) output.err(`warning: ${w}`);
    if (!result.ok) {
      say(`${device}: refused: ${result.refusal.message}`);
      for (const e of result.refusal.errors ?? []) say(`  ${describeValueError(e, origins)}`);
      report.push(refusalJson(device, result, origins));
      continue;
    }
    const plan = result.plan;
    const upToDate = isUpToDate(store, plan);
    say(
      `${device}: ${description.id} ${description.metadata.version}, profile ${plan.profile}${plan.installed ? ` (update of revision ${plan.installed.revision})` : ' (new)'}${upToDate ? ': up to date, nothing to do' : ''}`,
    );
    if (!upToDate) {
      for (const line of describePlan(plan)) say(`  ${line}`);
      if (plan.images.length > 0) say(`  side-load ${plan.images.join(', ')}`);
      ready.push(plan);
    }
    report.push(planJson(device, plan, upToDate));
  }
  const refused = margoRefused || planned.some((p) => !p.ok);
  if (options.dryRun || ready.length === 0) {
    if (options.json) output.out(JSON.stringify(report));
    return refused ? EXIT.findings : EXIT.ok;
  }
  if (!options.yes && process.stdin.isTTY && process.stderr.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(
      `Apply to ${ready.length} device${ready.length === 1 ? '' : 's'} (${ready.map((p) => p.device.name).join(', ')})? [y/N] `,
    );
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      output.err('nothing changed');
      return EXIT.findings;
    }
  }

  const outcomes = await inParallel(ready, async (plan) => {
    try {
      return await applyDevicePlan(store, plan, {
        autoRollback: options.rollback !== false,
        onProgress: progress(plan.device.name),
      });
    } catch (e) {
      if (e instanceof DeviceBusyError) return e;
      throw e;
    }
  });
  let failed = refused;
  for (const [i, outcome] of outcomes.entries()) {
    const plan = ready[i] as DevicePlan;
    const entry = report.find((r) => r.device === plan.device.name) as Record<string, unknown>;
    if (outcome instanceof DeviceBusyError) {
      failed = true;
      say(`${plan.device.name}: not applied: ${outcome.message}`);
      Object.assign(entry, { state: 'refused', error: { code: 'busy', message: outcome.message } });
      continue;
    }
    if (outcome.state !== 'installed' || outcome.rolledBackTo !== undefined) failed = true;
    say(outcomeLine(outcome));
    Object.assign(entry, outcomeJson(outcome));
  }
  if (options.json) output.out(JSON.stringify(report));
  return failed ? EXIT.findings : EXIT.ok;
}

function outcomeLine(o: DeviceOutcome): string {
  if (o.rolledBackTo !== undefined)
    return `${o.device}: FAILED and rolled back: ${o.error?.message ?? ''}`;
  if (o.state === 'installed') {
    const loaded = o.sideLoaded.filter((s) => s.action === 'loaded');
    return `${o.device}: installed, revision ${o.revision} (deployment ${o.deploymentId})${loaded.length > 0 ? `; side-loaded ${loaded.length} image${loaded.length === 1 ? '' : 's'}` : ''}`;
  }
  return `${o.device}: FAILED (revision ${o.revision}): ${o.error?.message ?? ''}`;
}

function planJson(device: string, plan: DevicePlan, upToDate: boolean): Record<string, unknown> {
  return {
    device,
    id: plan.deployment.id,
    appId: plan.description.id,
    version: plan.description.metadata.version,
    profile: plan.profile,
    digest: plan.digest,
    update: plan.installed ? plan.installed.revision : null,
    upToDate,
    plan: plan.plans.flatMap((p) =>
      p.items.map((i) => ({
        component: p.component,
        service: i.service,
        action: i.action,
        reasons: i.reasons,
      })),
    ),
    images: plan.images,
    warnings: plan.warnings,
  };
}

function refusalJson(
  device: string,
  result: Extract<PlanResult, { ok: false }>,
  origins: Record<string, string>,
) {
  return {
    device,
    state: 'refused',
    error: {
      code: result.refusal.code,
      message: result.refusal.message,
      ...(result.refusal.errors
        ? { errors: result.refusal.errors.map((e) => valueErrorJson(e, origins)) }
        : {}),
    },
    warnings: result.warnings,
  };
}

function outcomeJson(o: DeviceOutcome): Record<string, unknown> {
  return {
    id: o.deploymentId,
    revision: o.revision,
    state: o.state,
    rolledBackTo: o.rolledBackTo ?? null,
    components: o.components,
    sideLoaded: o.sideLoaded,
    error: o.error ?? null,
  };
}

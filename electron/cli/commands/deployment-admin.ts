import { createInterface } from 'node:readline/promises';
import { deploymentDetail } from '../../core/deployments/deployment-detail';
import { deploymentLogs } from '../../core/deployments/docker/deployment-logs';
import {
  findDeployment,
  listDeployments,
  type DeploymentRecord,
} from '../../core/deployments/deployment-records';
import { DeviceUnavailableError } from '../../core/deployments/docker/device-docker';
import { DeviceBusyError } from '../../core/deployments/device-operation';
import {
  isMargoDeployment,
  removeMargoDeployment,
  rollbackMargoDeployment,
} from '../../core/deployments/margo/margo-placement';
import {
  rollbackDeployment,
  RollbackError,
  rollbackTarget,
} from '../../core/deployments/docker/docker-rollback';
import { recoverInterruptedOperations } from '../../core/deployments/recover-operations';
import { refreshStatus } from '../../core/deployments/docker/refresh-status';
import { removeDeployment } from '../../core/deployments/docker/docker-remove';
import type { Store } from '../../core/store/store';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';

/** `deployments list [--json]`: every deployment, one line each. */
export function runDeploymentsList(
  store: Store,
  options: { json?: boolean },
  output: Output,
): ExitCode {
  recoverInterruptedOperations(store);
  const rows = listDeployments(store);
  if (options.json) {
    output.out(JSON.stringify(rows));
    return EXIT.ok;
  }
  if (rows.length === 0) {
    output.out('no deployments yet: commissioner deploy <app> --device <name>');
    return EXIT.ok;
  }
  output.out(
    textTable([
      ['ID', 'APP', 'VERSION', 'DEVICE', 'PROFILE', 'STATE', 'REV', 'UPDATED'],
      ...rows.map((r) => [
        r.id.slice(0, 8),
        r.appId,
        r.version,
        r.device,
        r.profile,
        r.state === 'failed' ? 'FAILED' : r.state,
        String(r.revision),
        r.updatedAt.replace('T', ' ').slice(0, 19),
      ]),
    ]),
  );
  return EXIT.ok;
}

function lookup(
  store: Store,
  id: string,
  command: string,
  output: Output,
): DeploymentRecord | undefined {
  const found = findDeployment(store, id);
  if (!found) {
    output.err(
      `commissioner deployments ${command}: no deployment ${id} (commissioner deployments list shows them; a unique prefix of 4+ characters will do)`,
    );
  }
  return found;
}

/** `deployments show <id> [--json]`: state per component, revisions, timeline, the deployment YAML. */
export async function runDeploymentsShow(
  store: Store,
  id: string,
  options: { json?: boolean; refresh?: boolean },
  output: Output,
): Promise<ExitCode> {
  recoverInterruptedOperations(store);
  let deployment = lookup(store, id, 'show', output);
  if (!deployment) return EXIT.findings;
  if (options.refresh) {
    try {
      if (!isMargoDeployment(store, deployment) && (await refreshStatus(store, deployment)))
        deployment = findDeployment(store, deployment.id) ?? deployment;
    } catch (e) {
      output.err(
        `warning: the device was not asked: ${(e as Error).message}; showing what was recorded`,
      );
    }
  }
  const detail = deploymentDetail(store, deployment);
  if (options.json) {
    output.out(JSON.stringify(detail));
    return EXIT.ok;
  }
  output.out(`deployment ${detail.id}`);
  output.out(`  ${detail.appId} ${detail.version} on ${detail.device}, profile ${detail.profile}`);
  output.out(
    `  state ${detail.state}, revision ${detail.revision}${detail.knownGood !== null ? ` (known good: ${detail.knownGood})` : ''}, updated ${detail.updatedAt}`,
  );
  if (detail.error) output.out(`  ${detail.error.code}: ${detail.error.message}`);
  output.out('\ncomponents');
  for (const c of detail.components) {
    output.out(`  ${c.name}: ${c.state}${c.error ? ` — ${c.error.code}: ${c.error.message}` : ''}`);
  }
  output.out('\nrevisions');
  output.out(
    textTable([
      ['REV', 'VERSION', 'OUTCOME', 'CREATED', 'DIGEST'],
      ...detail.revisions.map((r) => [
        String(r.revision),
        r.version,
        r.outcome,
        r.createdAt.replace('T', ' ').slice(0, 19),
        r.digest.slice(0, 19),
      ]),
    ])
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
  output.out('\ntimeline');
  for (const e of detail.events.slice(-30)) {
    output.out(
      `  ${e.at.replace('T', ' ').slice(0, 19)} ${e.level === 'info' ? '' : `${e.level.toUpperCase()} `}${e.component ? `[${e.component}] ` : ''}${e.message}`,
    );
  }
  output.out('\nApplicationDeployment (secrets masked)');
  output.out(detail.deployment.trimEnd());
  return EXIT.ok;
}

/** `deployments logs <id> [--component c] [--service s] [--tail n]`. */
export async function runDeploymentsLogs(
  store: Store,
  id: string,
  options: { component?: string; service?: string; tail?: string },
  output: Output,
): Promise<ExitCode> {
  const deployment = lookup(store, id, 'logs', output);
  if (!deployment) return EXIT.findings;
  const tail = options.tail === undefined ? 200 : Number(options.tail);
  if (!Number.isInteger(tail) || tail <= 0) {
    output.err(
      `commissioner deployments logs: --tail ${options.tail} is not a positive whole number`,
    );
    return EXIT.usage;
  }
  if (isMargoDeployment(store, deployment)) {
    output.err(
      `commissioner deployments logs: ${deployment.device} is a Margo device: its client reports states, not container logs`,
    );
    return EXIT.findings;
  }
  try {
    const logs = await deploymentLogs(store, deployment, {
      tail,
      ...(options.component !== undefined ? { component: options.component } : {}),
      ...(options.service !== undefined ? { service: options.service } : {}),
    });
    for (const l of logs) {
      output.out(`==> ${l.component}/${l.service} (${l.container})`);
      output.out(l.text.trimEnd() || '(no output)');
    }
    return EXIT.ok;
  } catch (e) {
    output.err(`commissioner deployments logs: ${(e as Error).message}`);
    return EXIT.findings;
  }
}

async function confirmed(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes || !process.stdin.isTTY || !process.stderr.isTTY) return true;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

/** `deployments rollback <id>`: the previous known-good revision runs again. */
export async function runDeploymentsRollback(
  store: Store,
  id: string,
  options: { yes?: boolean; json?: boolean },
  output: Output,
): Promise<ExitCode> {
  recoverInterruptedOperations(store);
  const deployment = lookup(store, id, 'rollback', output);
  if (!deployment) return EXIT.findings;
  if (!(await confirmed(`Roll ${deployment.appId} on ${deployment.device} back?`, options.yes))) {
    output.err('nothing changed');
    return EXIT.findings;
  }
  if (isMargoDeployment(store, deployment)) {
    const target = rollbackTarget(store, deployment);
    rollbackMargoDeployment(store, deployment, target);
    if (options.json)
      output.out(
        JSON.stringify({
          id: deployment.id,
          from: deployment.revision,
          to: target,
          ok: true,
          placed: true,
        }),
      );
    else output.out(`revision ${target} placed again: the device pulls it and reports back`);
    return EXIT.ok;
  }
  try {
    const { target, outcome } = await rollbackDeployment(store, deployment, {
      onProgress: (m) => output.err(`${deployment.device}: ${m}`),
    });
    const result = {
      id: deployment.id,
      from: deployment.revision,
      to: target,
      ok: outcome.ok,
      error: outcome.failure?.diagnosis ?? null,
    };
    if (options.json) output.out(JSON.stringify(result));
    else
      output.out(
        outcome.ok
          ? `rolled back to revision ${target}`
          : `the rollback to revision ${target} failed: ${outcome.failure?.diagnosis.message ?? ''}`,
      );
    return outcome.ok ? EXIT.ok : EXIT.findings;
  } catch (e) {
    if (
      e instanceof RollbackError ||
      e instanceof DeviceUnavailableError ||
      e instanceof DeviceBusyError
    ) {
      output.err(`commissioner deployments rollback: ${e.message}`);
      return EXIT.findings;
    }
    throw e;
  }
}

/** `deployments remove <id> [--purge-volumes]`. */
export async function runDeploymentsRemove(
  store: Store,
  id: string,
  options: { purgeVolumes?: boolean; yes?: boolean; json?: boolean },
  output: Output,
): Promise<ExitCode> {
  recoverInterruptedOperations(store);
  const deployment = lookup(store, id, 'remove', output);
  if (!deployment) return EXIT.findings;
  const what = options.purgeVolumes ? ' and delete its data volumes' : '';
  if (
    !(await confirmed(`Remove ${deployment.appId} from ${deployment.device}${what}?`, options.yes))
  ) {
    output.err('nothing changed');
    return EXIT.findings;
  }
  if (isMargoDeployment(store, deployment)) {
    removeMargoDeployment(store, deployment);
    if (options.json) output.out(JSON.stringify({ id: deployment.id, removed: [], placed: true }));
    else output.out(`taken out of the device's desired state: it reports when it has removed it`);
    return EXIT.ok;
  }
  try {
    const removed = await removeDeployment(store, deployment, {
      purgeVolumes: options.purgeVolumes === true,
    });
    if (options.json) {
      output.out(JSON.stringify({ id: deployment.id, removed }));
    } else {
      const kept = removed.flatMap((r) => r.keptVolumes);
      output.out(
        `removed ${deployment.appId} from ${deployment.device}: ${removed.reduce((n, r) => n + r.containers.length, 0)} containers${kept.length > 0 ? `; data volumes kept (--purge-volumes deletes them): ${kept.join(', ')}` : ''}`,
      );
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof DeviceUnavailableError || e instanceof DeviceBusyError) {
      output.err(`commissioner deployments remove: ${e.message}`);
      return EXIT.findings;
    }
    throw e;
  }
}

/**
 * The recorded deployment with its secrets masked: the parameters the application's
 * description marks secret (or, when that version left the catalog, whose names say so).
 */

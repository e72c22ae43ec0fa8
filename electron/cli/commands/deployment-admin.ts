import type { ContractError } from '../../../shared/contract/contract-error';
import type { Store } from '../../core/store/store';
import {
  deploymentLogs,
  followDeploymentLogs,
  saveDeploymentLogs,
} from '../../core/use-cases/deployment-logs';
import {
  deploymentLines,
  deploymentRows,
  listDeployments,
  refreshAllDeployments,
} from '../../core/use-cases/list-deployments';
import { removeDeployment } from '../../core/use-cases/remove-deployment';
import { rollbackDeployment, rollbackPreview } from '../../core/use-cases/rollback-deployment';
import { recordedDeployment, showDeployment } from '../../core/use-cases/show-deployment';
import { reportFailure } from '../cli-failure';
import { confirmed } from '../confirm';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { deploymentText } from '../deployment-text';
import { errorDetailLines } from '../error-detail-lines';
import { textTable } from '../text-table';

/**
 * `deployments list [--all] [--refresh] [--json]`: the deployments on their devices (removed ones
 * too with --all), one line each. With `--refresh` every device with deployments is asked first
 * (states and drift recorded); its JSON lines add `drift` (what was changed on the device outside
 * Commissioner) and `checkedAt`.
 */
export async function runDeploymentsList(
  store: Store,
  options: { json?: boolean; all?: boolean; refresh?: boolean },
  output: Output,
): Promise<ExitCode> {
  if (options.refresh) {
    let checks;
    try {
      checks = await refreshAllDeployments(store);
    } catch (e) {
      return reportFailure(output, 'deployments list', e);
    }
    for (const c of checks.filter((c) => c.error !== null)) {
      output.err(`warning: ${c.device} was not asked: ${c.error ?? ''}; showing what was recorded`);
    }
  }
  const which = { includeRemoved: options.all === true };
  if (options.json) {
    output.out(
      JSON.stringify(
        options.refresh ? deploymentLines(store, which) : listDeployments(store, which),
      ),
    );
    return EXIT.ok;
  }
  // One read gives the table, who took a deployment over, and the drift the watcher recorded.
  const rows = deploymentRows(store, which);
  if (rows.length === 0) {
    const removed = options.all ? 0 : listDeployments(store, { includeRemoved: true }).length;
    output.out(
      removed > 0
        ? `no deployments on devices (${removed} removed: deployments list --all shows them)`
        : 'no deployments yet: commissioner deploy <app> --device <name>',
    );
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
        r.state === 'failed' ? 'FAILED' : r.takenOver ? `${r.state} (taken over)` : r.state,
        String(r.revision),
        r.updatedAt.replace('T', ' ').slice(0, 19),
      ]),
    ]),
  );
  for (const r of rows) {
    const drift = r.components.flatMap((c) => c.drift ?? []);
    if (drift.length === 0) continue;
    output.out(
      `\n${r.id.slice(0, 8)} ${r.appId} on ${r.device} drifted (changed outside Commissioner):`,
    );
    for (const d of drift) output.out(`  ${d.component}: ${d.message}`);
  }
  return EXIT.ok;
}

/** `deployments show <id> [--json]`: state per component, revisions, timeline, the deployment YAML. */
export async function runDeploymentsShow(
  store: Store,
  id: string,
  options: { json?: boolean; refresh?: boolean; verbose?: boolean },
  output: Output,
): Promise<ExitCode> {
  let shown;
  try {
    shown = await showDeployment(store, id, { refresh: options.refresh === true });
  } catch (e) {
    return reportFailure(output, 'deployments show', e);
  }
  const { detail, refreshError } = shown;
  if (refreshError) {
    output.err(
      `warning: the device was not asked: ${refreshError.message}; showing what was recorded`,
    );
  }
  if (options.json) {
    output.out(JSON.stringify(detail));
    return EXIT.ok;
  }
  output.out(deploymentText(detail, { verbose: options.verbose === true }));
  return EXIT.ok;
}

/**
 * `deployments logs <id> [--component c] [--service s] [--tail n] [--follow] [--output f]`:
 * the last lines; with --follow then what comes, each line prefixed with its service, until
 * Ctrl-C or the containers stop; with --output every line of every container, to a file.
 */
export async function runDeploymentsLogs(
  store: Store,
  id: string,
  options: {
    component?: string;
    service?: string;
    tail?: string;
    follow?: boolean;
    output?: string;
  },
  output: Output,
): Promise<ExitCode> {
  try {
    if (options.output !== undefined) {
      const saved = await saveDeploymentLogs(store, id, options.output);
      output.out(
        `${saved.containers} container${saved.containers === 1 ? '' : 's'}, ${saved.bytes} bytes written to ${options.output}`,
      );
      return EXIT.ok;
    }
    const logs = await deploymentLogs(store, id, {
      ...(options.tail !== undefined ? { tail: Number(options.tail) } : {}),
      ...(options.component !== undefined ? { component: options.component } : {}),
      ...(options.service !== undefined ? { service: options.service } : {}),
    });
    for (const l of logs) {
      output.out(`==> ${l.component}/${l.service} (${l.container})`);
      output.out(l.text.trimEnd() || `(no output: ${l.quiet ?? 'nothing written'})`);
    }
    if (options.follow) await followUntilInterrupted(store, id, output);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'deployments logs', e);
  }
}

/** Prints new output, `service | line`, until Ctrl-C or every container's stream ended. */
async function followUntilInterrupted(store: Store, id: string, output: Output): Promise<void> {
  const partial = new Map<string, string>();
  let finish: (why?: string) => void = () => undefined;
  const done = new Promise<string | undefined>((resolve) => (finish = resolve));
  const stop = await followDeploymentLogs(
    store,
    id,
    {},
    {
      onText: (source, text) => {
        const lines = ((partial.get(source.container) ?? '') + text).split('\n');
        partial.set(source.container, lines.pop() ?? '');
        for (const line of lines) output.out(`${source.service} | ${line}`);
      },
      onEnd: (reason) => finish(reason),
    },
  );
  const interrupted = () => finish();
  process.once('SIGINT', interrupted);
  try {
    const why = await done;
    if (why !== undefined) output.err(`no longer following: ${why}`);
  } finally {
    process.off('SIGINT', interrupted);
    stop();
    for (const [container, line] of partial) if (line !== '') output.out(`${container} | ${line}`);
  }
}

/** `deployments rollback <id>`: the previous known-good revision runs again. */
export async function runDeploymentsRollback(
  store: Store,
  id: string,
  options: { yes?: boolean; json?: boolean; verbose?: boolean; takeOver?: boolean },
  output: Output,
): Promise<ExitCode> {
  try {
    const { deployment, target, changes } = rollbackPreview(store, id);
    if (changes) {
      const say = (line: string) => (options.json ? output.err(line) : output.out(line));
      say(`revision ${changes.from} → ${changes.to}: ${changes.words}`);
    }
    if (
      !(await confirmed(
        `Roll ${deployment.appId} on ${deployment.device} back to revision ${target}?`,
        options.yes,
      ))
    ) {
      output.err('nothing changed');
      return EXIT.findings;
    }
    const { from, outcome } = await rollbackDeployment(
      store,
      id,
      (p) => {
        if (p.kind === 'message') output.err(`${deployment.device}: ${p.message}`);
      },
      { takeOver: options.takeOver === true },
    );
    const to = outcome.revision;
    const placed = outcome.state === 'placed';
    const ok = placed || outcome.state === 'installed';
    if (options.json) {
      output.out(
        JSON.stringify(
          placed
            ? { id: deployment.id, from, to, ok, placed, changes: changes?.changes ?? [] }
            : {
                id: deployment.id,
                from,
                to,
                ok,
                changes: changes?.changes ?? [],
                error: outcome.error
                  ? { code: outcome.error.code, message: outcome.error.message }
                  : null,
              },
        ),
      );
    } else {
      output.out(
        placed
          ? `revision ${to} placed again: the device pulls it and reports back`
          : ok
            ? `rolled back to revision ${to}`
            : `the rollback to revision ${to} failed: ${outcome.error?.message ?? ''}`,
      );
      for (const line of errorDetailLines(outcome.error, options.verbose)) output.out(line);
    }
    return ok ? EXIT.ok : EXIT.findings;
  } catch (e) {
    return reportFailure(output, 'deployments rollback', e, takeOverHint(output));
  }
}

/** `deployments remove <id> [--purge-volumes]`. */
export async function runDeploymentsRemove(
  store: Store,
  id: string,
  options: { purgeVolumes?: boolean; yes?: boolean; json?: boolean; takeOver?: boolean },
  output: Output,
): Promise<ExitCode> {
  try {
    const deployment = recordedDeployment(store, id);
    const what = options.purgeVolumes ? ' and delete its data volumes' : '';
    if (
      !(await confirmed(
        `Remove ${deployment.appId} from ${deployment.device}${what}?`,
        options.yes,
      ))
    ) {
      output.err('nothing changed');
      return EXIT.findings;
    }
    const { removal } = await removeDeployment(store, id, {
      purgeVolumes: options.purgeVolumes === true,
      takeOver: options.takeOver === true,
    });
    if (options.json) {
      output.out(
        JSON.stringify({
          id: deployment.id,
          removed: removal.projects,
          ...(removal.placed ? { placed: true } : {}),
        }),
      );
    } else if (removal.placed) {
      output.out(`taken out of the device's desired state: it reports when it has removed it`);
    } else {
      const kept = removal.projects.flatMap((r) => r.keptVolumes);
      output.out(
        `removed ${deployment.appId} from ${deployment.device}: ${removal.projects.reduce((n, r) => n + r.containers.length, 0)} containers${kept.length > 0 ? `; data volumes kept (--purge-volumes deletes them): ${kept.join(', ')}` : ''}`,
      );
    }
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'deployments remove', e, takeOverHint(output));
  }
}

/** A refusal over another installation's deployment: how to do it anyway. */
function takeOverHint(output: Output) {
  return (error: ContractError): undefined => {
    if (error.name === 'refused' && error.details.reasons.includes('take-over')) {
      output.err('  (to do it anyway, run the command again with --take-over)');
    }
    return undefined;
  };
}

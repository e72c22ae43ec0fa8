import { takenOverWords } from '../../shared/application-deployment/ownership-labels';
import type { DeploymentDetail } from '../../shared/contract/deployments';
import { errorDetailLines } from './error-detail-lines';
import { textTable } from './text-table';

/**
 * `deployments show` for people: state, components, revisions, timeline, the YAML; with
 * `verbose`, what the device said behind each failure. A component's error that the
 * deployment's error already says is not said again.
 */
export function deploymentText(
  detail: DeploymentDetail,
  options: { verbose?: boolean } = {},
): string {
  const out: string[] = [];
  out.push(`deployment ${detail.id}`);
  out.push(`  ${detail.appId} ${detail.version} on ${detail.device}, profile ${detail.profile}`);
  out.push(
    `  state ${detail.state}, revision ${detail.revision}${detail.knownGood !== null ? ` (known good: ${detail.knownGood})` : ''}, updated ${detail.updatedAt}`,
  );
  if (detail.takenOver) {
    out.push(
      `  ${takenOverWords(detail.takenOver)}: this laptop no longer decides what runs; deploying again takes it back (--take-over)`,
    );
  }
  if (detail.error) out.push(`  ${detail.error.code}: ${detail.error.message}`);
  out.push(...errorDetailLines(detail.error, options.verbose, '    '));
  out.push('\ncomponents');
  for (const c of detail.components) {
    const said = c.error !== null && detail.error?.message.includes(c.error.message) === true;
    const drifted = c.drift && c.drift.length > 0 ? ', drifted' : '';
    out.push(
      `  ${c.name}: ${c.state}${drifted}${c.error ? ` — ${said ? 'see above' : `${c.error.code}: ${c.error.message}`}` : ''}`,
    );
    for (const d of c.drift ?? []) out.push(`    ${d.message}`);
    if (!said) out.push(...errorDetailLines(c.error, options.verbose, '    '));
  }
  out.push('\nrevisions');
  out.push(
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
  const changed = detail.revisions.filter((r) => r.changes);
  if (changed.length > 0) out.push('\nwhat each revision changed');
  for (const r of changed) out.push(`  ${r.changes?.from} → ${r.revision}: ${r.changes?.words}`);
  if (detail.rollbackTo !== null && detail.rollbackChanges) {
    out.push(
      `\na rollback to revision ${detail.rollbackTo} changes back: ${detail.rollbackChanges.words}`,
    );
  }
  out.push('\ntimeline');
  for (const e of detail.events.slice(-30)) {
    out.push(
      `  ${e.at.replace('T', ' ').slice(0, 19)} ${e.level === 'info' ? '' : `${e.level.toUpperCase()} `}${e.component ? `[${e.component}] ` : ''}${e.message}`,
    );
  }
  out.push('\nApplicationDeployment (secrets masked)');
  out.push(detail.deployment.trimEnd());
  return out.join('\n');
}

import type { DeploymentDetail } from '../../shared/contract/deployments';
import { textTable } from './text-table';

/** `deployments show` for people: state, components, revisions, timeline, the YAML. */
export function deploymentText(detail: DeploymentDetail): string {
  const out: string[] = [];
  out.push(`deployment ${detail.id}`);
  out.push(`  ${detail.appId} ${detail.version} on ${detail.device}, profile ${detail.profile}`);
  out.push(
    `  state ${detail.state}, revision ${detail.revision}${detail.knownGood !== null ? ` (known good: ${detail.knownGood})` : ''}, updated ${detail.updatedAt}`,
  );
  if (detail.error) out.push(`  ${detail.error.code}: ${detail.error.message}`);
  out.push('\ncomponents');
  for (const c of detail.components) {
    out.push(
      `  ${c.name}: ${c.state}${c.drift && c.drift.length > 0 ? ', drifted' : ''}${c.error ? ` — ${c.error.code}: ${c.error.message}` : ''}`,
    );
    for (const d of c.drift ?? []) out.push(`    ${d.message}`);
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

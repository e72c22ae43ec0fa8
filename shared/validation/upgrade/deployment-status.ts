import { DEPLOYMENT_STATES } from '../../margo/deployment-status';
import type { PathSegment } from '../diagnostic';
import type { Findings } from '../findings';
import { eachRecord, isRecord } from './plain-data';

/** Reads 2024-era capitalised states (`Installed`) and flags fields rc.3 changed. */
export function upgradeDeploymentStatus(doc: Record<string, unknown>, findings: Findings): void {
  if (doc.apiVersion !== undefined || doc.kind !== undefined) {
    findings.add(
      'legacy-status-shape',
      [doc.apiVersion !== undefined ? 'apiVersion' : 'kind'],
      'rc.3 status bodies carry no apiVersion/kind (pre-rc.3 shape): they are ignored',
      { atKey: true },
    );
  }
  if (doc.adoptedManifestVersion === undefined) {
    findings.add(
      'legacy-status-shape',
      [],
      'no `adoptedManifestVersion`: rc.3 clients report the manifestVersion they are reconciling',
    );
  }
  const lower = (holder: Record<string, unknown>, path: readonly PathSegment[]) => {
    const state = holder.state;
    if (typeof state !== 'string' || state === state.toLowerCase()) return;
    const fixed = state.toLowerCase();
    if (!(DEPLOYMENT_STATES as readonly string[]).includes(fixed)) return;
    findings.add(
      'legacy-status-shape',
      [...path, 'state'],
      `state \`${state}\` is the 2024 spelling: rc.3 writes \`${fixed}\`; read as ${fixed}`,
    );
    holder.state = fixed;
  };
  if (isRecord(doc.status)) lower(doc.status, ['status']);
  eachRecord(doc.components, (c, i) => lower(c, ['components', i]));
}

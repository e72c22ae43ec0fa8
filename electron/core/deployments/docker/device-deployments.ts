import type Docker from 'dockerode';
import type { DeviceDeploymentRecord } from '../../../../shared/application-deployment/device-record';
import {
  OWNERSHIP_LABELS,
  readOwnershipLabels,
  type OwnershipStamp,
} from '../../../../shared/application-deployment/ownership-labels';
import { helperImage, readDeviceRecords } from './device-record-volume';

/** A Commissioner deployment found on a device, whichever installation made it. */
export interface FoundDeployment {
  stamp: OwnershipStamp;
  /**
   * What its containers say now: the record's state when every container runs, `degraded`
   * when some do not, `missing` when none is left.
   */
  state: string;
  /** The device's record of it (absent when only labels were found). */
  record?: DeviceDeploymentRecord;
}

/**
 * Every Commissioner deployment on a Docker device, read from the labels of its containers and
 * volumes and from the records kept beside them, newest stamp first per application.
 */
export async function deploymentsOnDevice(docker: Docker): Promise<FoundDeployment[]> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [OWNERSHIP_LABELS.app] },
  });
  const byApp = new Map<string, { stamp: OwnershipStamp; states: string[] }>();
  for (const c of containers) {
    const stamp = readOwnershipLabels(c.Labels);
    // The record helper carries no app label; anything else without a stamp is not ours.
    if (!stamp) continue;
    const entry = byApp.get(stamp.appId) ?? { stamp, states: [] };
    if (stamp.deployedAt > entry.stamp.deployedAt) entry.stamp = stamp;
    // A one-shot task that finished well is as it should be.
    entry.states.push(c.State === 'exited' && /^Exited \(0\)/.test(c.Status) ? 'running' : c.State);
    byApp.set(stamp.appId, entry);
  }
  const records = await readDeviceRecords(docker, await helperImage(docker));
  const found: FoundDeployment[] = [];
  for (const r of records) {
    const live = byApp.get(r.stamp.appId);
    byApp.delete(r.stamp.appId);
    found.push({
      stamp: r.stamp,
      state: stateOf(live?.states ?? [], r.record?.state ?? 'installed'),
      ...(r.record ? { record: r.record } : {}),
    });
  }
  for (const { stamp, states } of byApp.values()) {
    found.push({ stamp, state: stateOf(states, 'installed') });
  }
  return found.sort((a, b) => a.stamp.appId.localeCompare(b.stamp.appId));
}

function stateOf(states: readonly string[], recorded: string): string {
  if (states.length === 0) return 'missing';
  return states.every((s) => s === 'running') ? recorded : 'degraded';
}

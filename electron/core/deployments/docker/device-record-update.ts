import type Docker from 'dockerode';
import { valuesOf } from '../../../../shared/application-deployment/build-deployment';
import {
  DEVICE_RECORD_FORMAT,
  RECORDED_REVISIONS,
  type DeviceDeploymentRecord,
  type RecordedRevision,
} from '../../../../shared/application-deployment/device-record';
import type { OwnershipStamp } from '../../../../shared/application-deployment/ownership-labels';
import type { ApplicationDeployment } from '../../../../shared/margo/application-deployment';
import { sha256Digest } from '../../store/content-digest';
import { installationOwner } from '../../store/installation';
import type { Store } from '../../store/store';
import { writeDeviceRecord, type FoundRecord } from './device-record-volume';
import type { RenderedRevision } from './rendered-revision';

/** sha256 over the parameter values in name order: the part of a deployment an engineer chose. */
export function valuesDigest(deployment: ApplicationDeployment): string {
  const values = valuesOf(deployment);
  const ordered = Object.fromEntries(
    Object.keys(values)
      .sort()
      .map((k) => [k, values[k]]),
  );
  return sha256Digest(JSON.stringify(ordered));
}

/** What a revision deployed from this installation now stamps on the device. */
export function stampFor(
  store: Store,
  input: {
    deploymentId: string;
    appId: string;
    version: string;
    revision: number;
    digest: string;
    deployment: ApplicationDeployment;
  },
): OwnershipStamp {
  return {
    deploymentId: input.deploymentId,
    appId: input.appId,
    version: input.version,
    revision: input.revision,
    deploymentDigest: input.digest,
    valuesDigest: valuesDigest(input.deployment),
    owner: installationOwner(store),
    deployedAt: new Date().toISOString(),
  };
}

/**
 * The record after a revision was applied (or rolled back to): the revisions the device knew
 * (whoever made them) with this one added or updated, the newest kept.
 */
export function nextRecord(
  previous: DeviceDeploymentRecord | undefined,
  input: {
    stamp: OwnershipStamp;
    device: string;
    version: string;
    profile: string;
    state: string;
    /** The revision to add; absent when an earlier one is made current again (rollback). */
    added?: Omit<RecordedRevision, 'owner' | 'createdAt' | 'valuesDigest' | 'digest'>;
    /** Outcomes of revisions that changed with this step. */
    outcomes?: Record<number, RecordedRevision['outcome']>;
  },
): DeviceDeploymentRecord {
  const { stamp } = input;
  let revisions = (previous?.revisions ?? []).filter((r) => r.revision !== input.added?.revision);
  if (input.added) {
    revisions.push({
      ...input.added,
      digest: stamp.deploymentDigest,
      valuesDigest: stamp.valuesDigest,
      owner: stamp.owner,
      createdAt: stamp.deployedAt,
    });
  }
  revisions = revisions.map((r) => {
    const outcome = input.outcomes?.[r.revision];
    return outcome ? { ...r, outcome } : r;
  });
  return {
    format: DEVICE_RECORD_FORMAT,
    deploymentId: stamp.deploymentId,
    appId: stamp.appId,
    version: input.version,
    profile: input.profile,
    device: input.device,
    revision: stamp.revision,
    state: input.state,
    owner: stamp.owner,
    deployedAt: stamp.deployedAt,
    revisions: revisions.sort((a, b) => a.revision - b.revision).slice(-RECORDED_REVISIONS),
  };
}

/** An image every revision's device has: the first service's (the helper never runs it). */
export function recordImage(rendered: RenderedRevision): string | undefined {
  return rendered.components.flatMap((c) => c.services)[0]?.imageId;
}

/**
 * Writes the record; a device that refuses it does not undo the deployment (it runs): the
 * failure is returned for the timeline.
 */
export async function storeRecord(
  docker: Docker,
  record: DeviceDeploymentRecord,
  stamp: OwnershipStamp,
  image: string | undefined,
): Promise<string | undefined> {
  if (image === undefined) return 'no image to write the record with';
  try {
    await writeDeviceRecord(docker, record, stamp, image);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export type { FoundRecord };

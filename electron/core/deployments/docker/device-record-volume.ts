import type Docker from 'dockerode';
import { extract, pack } from 'tar-stream';
import {
  DeviceDeploymentRecord,
  DEVICE_RECORD_FORMAT,
} from '../../../../shared/application-deployment/device-record';
import { dnsLabel } from '../../../../shared/application-deployment/deployment-names';
import {
  OWNERSHIP_LABELS,
  ownershipLabels,
  readOwnershipLabels,
  type OwnershipStamp,
} from '../../../../shared/application-deployment/ownership-labels';
import { sha256Hex } from '../../store/content-digest';

/** Where the record lies in its volume. */
const RECORD_FILE = 'deployment.json';
const MOUNT = '/record';
/** A record is a few kilobytes; anything much larger is not one of ours. */
const RECORD_LIMIT = 4 * 1024 * 1024;

/**
 * A deployment's record on a Docker device lives in a small volume of its own, named after
 * the application and the record's content: `commissioner-record_<app>_<12 hex>`. A new record
 * is a new volume, filled completely before the older ones of the application are removed, so
 * a device always holds a whole record (the newest by its `deployed-at` label wins when an
 * interrupted write left two).
 *
 * Both ways go through the Engine API only (`PUT`/`GET /containers/{id}/archive`) on a helper
 * container that is created and never started: it needs no shell, no network and no image of
 * our own — any image the device has will do, since nothing in it runs.
 */
export function recordVolumeName(appId: string, content: string): string {
  return `commissioner-record_${dnsLabel(appId, 40)}_${sha256Hex(content).slice(0, 12)}`;
}

export async function writeDeviceRecord(
  docker: Docker,
  record: DeviceDeploymentRecord,
  stamp: OwnershipStamp,
  image: string,
): Promise<string> {
  const content = `${JSON.stringify(DeviceDeploymentRecord.parse(record), null, 2)}\n`;
  const name = recordVolumeName(record.appId, content);
  const labels = {
    ...ownershipLabels(stamp),
    [OWNERSHIP_LABELS.record]: String(DEVICE_RECORD_FORMAT),
  };
  await docker.createVolume({ Name: name, Labels: labels });
  await withHelper(docker, image, name, async (helper) => {
    const tar = pack();
    tar.entry({ name: RECORD_FILE, mode: 0o644, mtime: new Date(0) }, content);
    tar.finalize();
    await helper.putArchive(tar as unknown as NodeJS.ReadableStream, { path: MOUNT });
  });
  for (const older of await recordVolumes(docker, record.appId)) {
    if (older.Name === name) continue;
    await docker
      .getVolume(older.Name)
      .remove()
      .catch(() => undefined);
  }
  return name;
}

/** The record volumes on the device, all of them or one application's. */
export async function recordVolumes(
  docker: Docker,
  appId?: string,
): Promise<{ Name: string; Labels: Record<string, string> }[]> {
  const label: string[] = [OWNERSHIP_LABELS.record];
  if (appId !== undefined) label.push(`${OWNERSHIP_LABELS.app}=${appId}`);
  const listed = await docker.listVolumes({ filters: { label } });
  return (listed.Volumes ?? []).map((v) => ({ Name: v.Name, Labels: v.Labels ?? {} }));
}

export interface FoundRecord {
  volume: string;
  stamp: OwnershipStamp;
  /** Absent when the file could not be read (then the labels are all that is known). */
  record?: DeviceDeploymentRecord;
}

/**
 * The newest record of each application on the device. `image` is any image the device has
 * (for the helper container); without one, only the volumes' labels are read.
 */
export async function readDeviceRecords(docker: Docker, image?: string): Promise<FoundRecord[]> {
  const newest = new Map<string, FoundRecord>();
  for (const volume of await recordVolumes(docker)) {
    const stamp = readOwnershipLabels(volume.Labels);
    if (!stamp) continue;
    const seen = newest.get(stamp.appId);
    if (seen && seen.stamp.deployedAt >= stamp.deployedAt) continue;
    newest.set(stamp.appId, { volume: volume.Name, stamp });
  }
  const found = [...newest.values()];
  if (image === undefined) return found;
  for (const entry of found) {
    const record = await readRecordFile(docker, image, entry.volume).catch(() => undefined);
    if (record) entry.record = record;
  }
  return found;
}

/** Removes every record of an application from the device (the deployment was removed). */
export async function removeDeviceRecords(docker: Docker, appId: string): Promise<void> {
  for (const volume of await recordVolumes(docker, appId)) {
    await docker
      .getVolume(volume.Name)
      .remove()
      .catch(() => undefined);
  }
}

async function readRecordFile(
  docker: Docker,
  image: string,
  volume: string,
): Promise<DeviceDeploymentRecord | undefined> {
  return withHelper(docker, image, volume, async (helper) => {
    const stream = (await helper.getArchive({
      path: `${MOUNT}/${RECORD_FILE}`,
    })) as NodeJS.ReadableStream;
    const text = await firstFileOf(stream);
    const parsed = DeviceDeploymentRecord.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  });
}

async function withHelper<T>(
  docker: Docker,
  image: string,
  volume: string,
  work: (helper: Docker.Container) => Promise<T>,
): Promise<T> {
  const helper = await docker.createContainer({
    Image: image,
    Cmd: ['true'],
    // Never started; labelled so that anyone who sees it (a crash between create and remove)
    // knows whose it is.
    Labels: { [OWNERSHIP_LABELS.record]: 'helper' },
    HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: MOUNT }] },
    NetworkDisabled: true,
  });
  try {
    return await work(helper);
  } finally {
    await helper.remove({ force: true }).catch(() => undefined);
  }
}

/** The first file of a tar stream, as text, bounded. */
function firstFileOf(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const tar = extract();
    let done = false;
    tar.on('entry', (header, body, next) => {
      if (done || header.type !== 'file' || (header.size ?? 0) > RECORD_LIMIT) {
        body.resume();
        body.on('end', next);
        return;
      }
      const chunks: Buffer[] = [];
      body.on('data', (c: unknown) => chunks.push(c as Buffer));
      body.on('end', () => {
        done = true;
        resolve(Buffer.concat(chunks).toString('utf8'));
        next();
      });
    });
    tar.on('finish', () => {
      if (!done) reject(new Error('the record volume holds no record'));
    });
    tar.on('error', reject);
    stream.on('error', reject);
    stream.pipe(tar);
  });
}

/**
 * An image the device has, for the helper container: one a container of the application runs
 * (it is surely there), else any. Undefined on a device without images.
 */
export async function helperImage(docker: Docker, appId?: string): Promise<string | undefined> {
  if (appId !== undefined) {
    const running = await docker.listContainers({
      all: true,
      filters: { label: [`${OWNERSHIP_LABELS.app}=${appId}`] },
    });
    const image = running[0]?.ImageID;
    if (image) return image;
  }
  const images = await docker.listImages();
  return images[0]?.Id;
}

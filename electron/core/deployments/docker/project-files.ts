import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { pack, type Pack } from 'tar-stream';

const COMPLETE_MARKER = '.commissioner-complete';
export const FILES_LABEL = 'org.margo.commissioner.files';

/** A file as it lands on the device: its bytes, permission bits and (for configs) owner. */
export interface DeliveredFile {
  content: Buffer;
  mode: number;
  uid?: number;
  gid?: number;
}

/**
 * The files a compose project takes from its archive (relative binds, configs), as they go to
 * the device: content-addressed, so one revision's files never change under a running
 * container, and a rollback finds the old revision's files where they were.
 */
export interface ProjectFiles {
  /** sha256 over every path, mode, owner and content, in path order. */
  hash: string;
  files: ReadonlyMap<string, DeliveredFile>;
}

export function projectFiles(files: ReadonlyMap<string, DeliveredFile>): ProjectFiles {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) {
    const file = files.get(path) as DeliveredFile;
    hash.update(
      `${path}\0${file.mode}\0${file.uid ?? ''}\0${file.gid ?? ''}\0${file.content.length}\0`,
    );
    hash.update(file.content);
  }
  return { hash: hash.digest('hex'), files };
}

/** The fingerprint of one delivered file (content and what it lands as). */
export function deliveredFileHash(file: DeliveredFile): string {
  return createHash('sha256')
    .update(`${file.mode}\0${file.uid ?? ''}\0${file.gid ?? ''}\0`)
    .update(file.content)
    .digest('hex');
}

/** The volume holding one version of a project's files: `<project>_files-<12 hex>`. */
export function filesVolumeName(project: string, files: ProjectFiles): string {
  return `${project}_files-${files.hash.slice(0, 12)}`;
}

/**
 * Puts the files on the device, through the Engine API only (nothing is assumed on the
 * device's disk): a volume named after their hash, filled by uploading a tar into a created
 * (never started) container that mounts it, with a marker written last. A volume that already
 * has the marker is used as is; one without (an upload cut short) is filled again. Returns
 * where the volume lives on the device, for bind mounts of single files.
 */
export async function deliverProjectFiles(
  docker: Docker,
  input: { project: string; files: ProjectFiles; image: string; labels: Record<string, string> },
): Promise<{ volume: string; mountpoint: string }> {
  const volume = filesVolumeName(input.project, input.files);
  const existing = await docker
    .getVolume(volume)
    .inspect()
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode === 404) return undefined;
      throw e;
    });
  if (!existing) {
    await docker.createVolume({
      Name: volume,
      Labels: { ...input.labels, [FILES_LABEL]: input.files.hash },
    });
  }
  const helper = await docker.createContainer({
    Image: input.image,
    Cmd: ['true'],
    Labels: { ...input.labels, [FILES_LABEL]: input.files.hash },
    HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/files' }] },
    NetworkDisabled: true,
  });
  try {
    const complete = existing ? await hasMarker(helper) : false;
    if (!complete) {
      await helper.putArchive(filesTar(input.files) as unknown as NodeJS.ReadableStream, {
        path: '/files',
      });
    }
  } finally {
    await helper.remove({ force: true }).catch(() => undefined);
  }
  const info = (await docker.getVolume(volume).inspect()) as { Mountpoint: string };
  return { volume, mountpoint: info.Mountpoint };
}

/** The files as a tar, folders first, in path order, the marker last. */
function filesTar(files: ProjectFiles): Pack {
  const tar = pack();
  const header = { mtime: new Date(0), uid: 0, gid: 0 };
  const folders = new Set<string>();
  for (const path of files.files.keys()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  for (const folder of [...folders].sort()) {
    tar.entry({ ...header, name: `${folder}/`, type: 'directory', mode: 0o755 });
  }
  for (const path of [...files.files.keys()].sort()) {
    const file = files.files.get(path) as DeliveredFile;
    tar.entry(
      { ...header, name: path, mode: file.mode, uid: file.uid ?? 0, gid: file.gid ?? 0 },
      file.content,
    );
  }
  tar.entry({ ...header, name: COMPLETE_MARKER, mode: 0o644 }, `${files.hash}\n`);
  tar.finalize();
  return tar;
}

/**
 * Whether the volume's marker is there. (`GET …/archive`: dockerode's HEAD variant,
 * infoArchive, never resolves on a kept-alive connection.)
 */
async function hasMarker(helper: Docker.Container): Promise<boolean> {
  try {
    const stream = (await helper.getArchive({
      path: `/files/${COMPLETE_MARKER}`,
    })) as NodeJS.ReadableStream;
    stream.resume();
    await new Promise<void>((resolve, reject) => {
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    return true;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return false;
    throw e;
  }
}

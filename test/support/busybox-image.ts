import { engineRequest, type FleetDaemon } from './docker-fleet';
import { BUSYBOX_IMAGE_CONFIG, rootfsTar } from '../../electron/demo-kit/busybox-image';

export {
  BUSYBOX_IMAGE_CONFIG,
  BUSYBOX_INDEX_HTML,
  busyboxRootfsTar,
  writeBusyboxDockerSave,
} from '../../electron/demo-kit/busybox-image';

/**
 * Imports the image into a fleet daemon as `reference` (`repo[:tag]`, tag `latest` when
 * absent), over the Engine API (`POST /images/create?fromSrc=-`) with the client certificate.
 */
export async function importBusyboxImage(daemon: FleetDaemon, reference: string): Promise<void> {
  const { repo, tag } = splitReference(reference);
  const query = new URLSearchParams({ fromSrc: '-', repo, tag });
  for (const change of [
    `ENV ${BUSYBOX_IMAGE_CONFIG.Env[0]}`,
    `CMD ${JSON.stringify(BUSYBOX_IMAGE_CONFIG.Cmd)}`,
    `WORKDIR ${BUSYBOX_IMAGE_CONFIG.WorkingDir}`,
  ]) {
    query.append('changes', change);
  }
  const res = await engineRequest(daemon, 'POST', `/images/create?${query}`, {
    body: await rootfsTar(),
    headers: { 'content-type': 'application/x-tar' },
  });
  // The import reports failures inside a 200 progress stream as well as by status.
  const failure = streamError(res.body.toString('utf8'));
  if (res.status !== 200 || failure) {
    throw new Error(
      `importing ${reference} into ${daemon.name} failed (${res.status}): ${failure ?? res.body.toString('utf8').trim()}`,
    );
  }
}

function splitReference(reference: string): { repo: string; tag: string } {
  const colon = reference.lastIndexOf(':');
  return colon > reference.lastIndexOf('/')
    ? { repo: reference.slice(0, colon), tag: reference.slice(colon + 1) }
    : { repo: reference, tag: 'latest' };
}

/** The first `error` of a JSON-lines progress stream, if any. */
export function streamError(text: string): string | undefined {
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const message = JSON.parse(line) as { error?: unknown };
      if (typeof message.error === 'string') return message.error;
    } catch {
      return `unreadable progress: ${line.slice(0, 200)}`;
    }
  }
  return undefined;
}

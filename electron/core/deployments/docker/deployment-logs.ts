import { createWriteStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';
import { COMPOSE_LABELS } from '../../../../shared/compose/compose-names';
import type { Store } from '../../store/store';
import { demuxLogs } from './container-diagnosis';
import { connectDevice } from './device-docker';
import { storedRevision, type DeploymentRecord } from '../../store/deployment-journal';
import { RenderedRevision } from './rendered-revision';
import type { FollowHandlers, LogSource, SavedLogs } from '../deployment-target';

export interface ServiceLogs extends LogSource {
  text: string;
  /** Why there is no output (set when `text` is empty). */
  quiet?: string;
}

interface DeploymentContainer extends LogSource {
  id: string;
  /** Docker's state (`running`, `exited`, `created`…) and status words (`Exited (0) 2 minutes ago`). */
  state: string;
  status: string;
}

/** The containers of a deployment's current revision on its device (one component, or all). */
async function deploymentContainers(
  docker: Docker,
  store: Store,
  deployment: DeploymentRecord,
  options: { component?: string; service?: string },
): Promise<DeploymentContainer[]> {
  const current = storedRevision(store, deployment.id, deployment.revision);
  const components =
    current && current.rendered !== null ? RenderedRevision.parse(current.rendered).components : [];
  const wanted = components.filter(
    (c) => options.component === undefined || c.name === options.component,
  );
  if (options.component !== undefined && wanted.length === 0) {
    throw new Error(
      `deployment ${deployment.id} has no component ${options.component} (it has ${components.map((c) => c.name).join(', ')})`,
    );
  }
  const out: DeploymentContainer[] = [];
  for (const component of wanted) {
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`${COMPOSE_LABELS.project}=${component.project}`] },
    });
    for (const c of containers) {
      const service = c.Labels[COMPOSE_LABELS.service] ?? '';
      if (options.service !== undefined && service !== options.service) continue;
      out.push({
        id: c.Id,
        component: component.name,
        service,
        container: (c.Names[0] ?? c.Id).replace(/^\//, ''),
        state: c.State,
        status: c.Status,
      });
    }
  }
  return out.sort((a, b) => (a.component + a.service < b.component + b.service ? -1 : 1));
}

/** Why a container's log is empty, from its state. */
export function quietReason(state: string, status: string): string {
  switch (state) {
    case 'running':
      return 'the container runs and has written nothing yet';
    case 'created':
      return 'the container was created but has not started';
    case 'restarting':
      return 'the container keeps restarting and has written nothing';
    case 'paused':
      return 'the container is paused and has written nothing';
    case 'exited':
    case 'dead':
      return `the container stopped without writing anything (${status.toLowerCase()})`;
    default:
      return `the container has written nothing (${state})`;
  }
}

/** The last lines each container of a deployment printed (one component, or all). */
export async function deploymentLogs(
  store: Store,
  deployment: DeploymentRecord,
  options: { component?: string; service?: string; tail: number },
): Promise<ServiceLogs[]> {
  const { docker } = await connectDevice(store, deployment.device);
  const out: ServiceLogs[] = [];
  for (const c of await deploymentContainers(docker, store, deployment, options)) {
    const raw = (await docker.getContainer(c.id).logs({
      stdout: true,
      stderr: true,
      tail: options.tail,
      timestamps: true,
      follow: false,
    })) as unknown as Buffer;
    const text = demuxLogs(raw);
    out.push({
      component: c.component,
      service: c.service,
      container: c.container,
      text,
      ...(text === '' ? { quiet: quietReason(c.state, c.status) } : {}),
    });
  }
  return out;
}

/** A container's log as a stream of text (stdout and stderr in the order written). */
async function logStream(
  docker: Docker,
  id: string,
  options: { follow: boolean; tail: number | 'all' },
): Promise<{ raw: Readable; text: PassThrough }> {
  // Streamed, not buffered, also when not following: a full log can be far larger than memory.
  const raw = await new Promise<Readable>((resolve, reject) =>
    docker.modem.dial(
      {
        path: `/containers/${id}/logs?`,
        method: 'GET',
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: {
          stdout: true,
          stderr: true,
          timestamps: true,
          follow: options.follow,
          tail: options.tail,
        },
      },
      (err: unknown, data: unknown) => (err ? reject(err as Error) : resolve(data as Readable)),
    ),
  );
  const text = new PassThrough();
  // Frames of stdout and stderr (no TTY) are split; a TTY container's plain bytes pass as they are.
  docker.modem.demuxStream(raw, text, text);
  raw.on('end', () => text.end());
  raw.on('error', (e) => text.destroy(e));
  return { raw, text };
}

/**
 * Streams what each container of the deployment prints from now on (after `tail` earlier
 * lines) until stopped; `onEnd` once every container's stream ended (they stopped, or the
 * device went away). Resolves with the function that stops it all.
 */
export async function followDeploymentLogs(
  store: Store,
  deployment: DeploymentRecord,
  options: { tail: number },
  handlers: FollowHandlers,
): Promise<() => void> {
  // No call timeout: a quiet container keeps its stream open for as long as it is followed.
  const { docker } = await connectDevice(store, deployment.device, { timeoutMs: 0 });
  const containers = await deploymentContainers(docker, store, deployment, {});
  const streams: Readable[] = [];
  let stopped = false;
  const stop = () => {
    stopped = true;
    for (const s of streams) s.destroy();
  };
  if (containers.length === 0) {
    handlers.onEnd('no container of this deployment is on the device');
    return stop;
  }
  let open = containers.length;
  const ended = (why: string) => {
    open -= 1;
    if (open === 0 && !stopped) handlers.onEnd(why);
  };
  try {
    for (const c of containers) {
      const { raw, text } = await logStream(docker, c.id, { follow: true, tail: options.tail });
      streams.push(raw);
      const source: LogSource = {
        component: c.component,
        service: c.service,
        container: c.container,
      };
      const decoder = new StringDecoder('utf8');
      text.on('data', (chunk: Buffer) => {
        const words = decoder.write(chunk);
        if (words !== '' && !stopped) handlers.onText(source, words);
      });
      text.on('end', () => ended('the containers stopped'));
      text.on('error', () => ended(`the device ${deployment.device} stopped answering`));
    }
  } catch (e) {
    stop();
    throw e;
  }
  return stop;
}

/**
 * Every line each container of the deployment printed, written to `file`: a header line per
 * container (`==> component/service (container)`), then its log, streamed.
 */
export async function saveDeploymentLogs(
  store: Store,
  deployment: DeploymentRecord,
  file: string,
): Promise<SavedLogs> {
  const { docker } = await connectDevice(store, deployment.device);
  const containers = await deploymentContainers(docker, store, deployment, {});
  const out = createWriteStream(file, { mode: 0o600 });
  const write = (chunk: string | Buffer) =>
    new Promise<void>((resolve, reject) => out.write(chunk, (e) => (e ? reject(e) : resolve())));
  try {
    if (containers.length === 0) {
      await write('(no container of this deployment is on the device)\n');
    }
    for (const c of containers) {
      await write(`==> ${c.component}/${c.service} (${c.container})\n`);
      const { text } = await logStream(docker, c.id, { follow: false, tail: 'all' });
      let empty = true;
      for await (const chunk of text) {
        empty = false;
        await write(chunk as Buffer);
      }
      if (empty) await write(`(no output: ${quietReason(c.state, c.status)})\n`);
    }
  } finally {
    await new Promise<void>((resolve) => out.end(resolve));
  }
  return { containers: containers.length, bytes: out.bytesWritten };
}

import type { Store } from '../../store/store';
import { DEPLOYMENT_LABEL } from './apply-component';
import { connectDevice } from './device-docker';

/**
 * What changes a container's life or settings. Health checks run as exec events every few
 * seconds: listening to those would turn the stream into a poll.
 */
const CHANGES = [
  'create',
  'destroy',
  'die',
  'kill',
  'oom',
  'pause',
  'unpause',
  'rename',
  'restart',
  'start',
  'stop',
  'update',
  'health_status',
] as const;

/**
 * Docker's event stream of a device, limited to containers Commissioner made: each event calls
 * `onChange`; the end of the stream (the daemon restarted, the network dropped) calls
 * `onClosed` once. The stream is silent for as long as nothing happens, so its client has no
 * call timeout (a poll notices a device gone quiet).
 */
export async function watchContainerEvents(
  store: Store,
  device: string,
  handlers: { onChange: () => void; onClosed: (reason: string) => void },
): Promise<() => void> {
  const { docker } = await connectDevice(store, device, { timeoutMs: 0 });
  const stream = (await docker.getEvents({
    filters: { type: ['container'], label: [DEPLOYMENT_LABEL], event: [...CHANGES] },
  })) as NodeJS.ReadableStream & { destroy(): void };
  let closed = false;
  const close = (reason: string) => {
    if (closed) return;
    closed = true;
    handlers.onClosed(reason);
  };
  stream.on('data', () => {
    if (!closed) handlers.onChange();
  });
  stream.on('end', () => close('the device ended its event stream'));
  stream.on('close', () => close('the device closed its event stream'));
  stream.on('error', (e: Error) => close(e.message));
  return () => {
    closed = true;
    stream.destroy();
  };
}

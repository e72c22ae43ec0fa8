// The sandboxed preload (bundled as CommonJS: sandboxed preloads cannot be ES modules). It
// exposes exactly one object, a CommissionerBridge, on `window.commissioner`; ipcRenderer,
// its events and Node never reach the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CommissionerBridge } from '../../shared/contract/bridge';
import type { Envelope } from '../../shared/contract/contract-error';
import { BRIDGE_NAME, IPC, type EventMessage } from '../../shared/contract/wire';

const bridge: CommissionerBridge = {
  async call(op: string, request: unknown): Promise<Envelope<unknown>> {
    try {
      return (await ipcRenderer.invoke(IPC.call, op, request)) as Envelope<unknown>;
    } catch (error) {
      // The main side answers errors as envelopes; a rejected invoke means the hop itself
      // failed (no handler yet, a request that cannot be cloned). Still an envelope.
      console.error('Commissioner: the call to the core failed on its way', error);
      return {
        ok: false,
        error: {
          name: 'disconnected',
          message:
            "this window could not reach the app's core: close the window and open it again (restart Commissioner if it persists)",
          details: {},
        },
      };
    }
  },
  onEvent(listener: (message: EventMessage) => void): () => void {
    const forward = (_event: IpcRendererEvent, message: EventMessage) => listener(message);
    ipcRenderer.on(IPC.event, forward);
    return () => {
      ipcRenderer.removeListener(IPC.event, forward);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_NAME, bridge);

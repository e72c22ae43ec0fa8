import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { ContractError, Envelope } from '../../shared/contract/contract-error';
import { toContractError } from '../core/errors/to-contract-error';
import { IPC, type EventMessage } from '../../shared/contract/wire';
import type { AppCore } from '../core/contract-handlers/app-core-api';
import { isAppUrl } from './app-protocol';

function refused(error: ContractError): Envelope<unknown> {
  return { ok: false, error };
}

/** The call comes from the main frame of our window, showing our own page. */
export function isFromAppWindow(event: IpcMainInvokeEvent, win: BrowserWindow | null): boolean {
  if (!win || win.isDestroyed()) return false;
  const contents = win.webContents;
  const frame = event.senderFrame;
  if (event.sender !== contents || frame === null || frame.parent !== null) return false;
  const main = contents.mainFrame;
  return (
    frame.processId === main.processId && frame.routingId === main.routingId && isAppUrl(frame.url)
  );
}

export interface CallHandlerOptions {
  core: Promise<AppCore>;
  window: () => BrowserWindow | null;
  /** Log one line per call (operation, outcome, time) — never the request, which may hold secrets. */
  log: boolean;
}

/**
 * The single IPC entry point: `IPC.call` carries `(op, request)` to `core.call`, which
 * validates the request against the contract and answers an envelope. Errors are data, so
 * the invoke itself always resolves.
 */
export function handleCalls({ core, window, log }: CallHandlerOptions): void {
  ipcMain.handle(IPC.call, async (event, op: unknown, request: unknown) => {
    if (!isFromAppWindow(event, window())) {
      console.warn(`refused an IPC call from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
      return refused({
        name: 'refused',
        message: 'calls are accepted only from the Commissioner window',
        details: { reasons: ['not the Commissioner window'] },
      });
    }
    if (typeof op !== 'string')
      return refused({
        name: 'invalid-request',
        message: `the operation name must be a string, not ${typeof op}`,
        details: { issues: [{ path: '', message: 'not a string' }] },
      });
    const started = performance.now();
    let answer: Envelope<unknown>;
    try {
      answer = await (await core).call(op, request);
    } catch (error) {
      answer = refused(toContractError(error, `the desktop app's ${op}`));
    }
    if (log) {
      const outcome = answer.ok ? 'ok' : `${answer.error.name}: ${answer.error.message}`;
      console.log(`[ipc] ${op} → ${outcome} (${Math.round(performance.now() - started)} ms)`);
    }
    return answer;
  });
}

/** Sends an event to the window's page, if there is one to receive it. */
export function sendEvent(win: BrowserWindow | null, message: EventMessage): void {
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
  win.webContents.send(IPC.event, message);
}

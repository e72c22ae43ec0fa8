import { BRIDGE_NAME } from '../../../shared/contract/wire';
import type { CommissionerBridge } from '../../../shared/contract/bridge';
import { BrowserTransport } from './browser-transport';
import { ElectronTransport } from './electron-transport';
import type { Transport } from './transport';

declare global {
  interface Window {
    commissioner?: CommissionerBridge;
  }
}

/** The desktop app's bridge when the preload exposed one, the browser host's wire otherwise. */
export function createTransport(): Transport {
  const bridge = (window as unknown as Record<string, CommissionerBridge | undefined>)[BRIDGE_NAME];
  return bridge ? new ElectronTransport(bridge) : new BrowserTransport();
}

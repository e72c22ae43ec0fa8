import { audited } from '../audit/audited';
import { removeDevice as removeFromInventory } from '../store/device-inventory';
import type { Store } from '../store/store';
import { noDevice } from './update-device';

/** Removes a device from the inventory with the key material kept for it. */
export function removeDevice(store: Store, name: string): void {
  audited(store, { operation: 'devices.remove', target: name }, () => {
    if (!removeFromInventory(store, name)) throw noDevice(name);
  });
}

import { trustStoreVersion } from '../store/trust-store';
import type { Store } from '../store/store';

/**
 * A number that grows whenever a trust-store entry or a trust policy is added, changed or
 * removed (database triggers keep it, so no writer can forget). A stored verification result
 * records the version it was computed at; a different version now means: verify again.
 */
export function trustVersion(store: Store): number {
  return trustStoreVersion(store);
}

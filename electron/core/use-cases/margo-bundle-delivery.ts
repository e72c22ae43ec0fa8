import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkClientId } from '../identity/margo-clients';
import { zipProvisioningBundle } from '../identity/provisioning-bundle-zip';
import type { Store } from '../store/store';

/** Where the app puts a client's provisioning bundle. */
export type BundleTarget =
  /** A folder the engineer chose (a USB stick): the bundle goes into `<folder>/<client-id>`. */
  | { kind: 'folder'; folder: string }
  /** A .zip handed to the browser, which cannot write folders. */
  | { kind: 'zip' };

export interface DeliveredBundle<T> {
  made: T;
  /** The folder written, for a folder target. */
  folder: string | null;
  zip: { name: string; bytes: Uint8Array } | null;
}

/**
 * Delivers a bundle that `make` writes into the (new or empty) folder it is given — a new
 * client's (`addMargoClient`) or, the same way, a renewed one's. A folder per client lets one
 * stick carry the bundles of many devices. For a .zip the bundle is written into a private
 * folder of the data home's tmp/ (0700, named so that a later start removes it should this
 * process die first), zipped, and removed before this returns: its key stays on disk only
 * for that moment, beside the plant CA's own key.
 */
export function deliverBundle<T>(
  store: Store,
  clientId: string,
  target: BundleTarget,
  make: (dir: string) => T,
): DeliveredBundle<T> {
  // Before the id becomes part of a path.
  checkClientId(clientId);
  if (target.kind === 'folder') {
    const dir = join(target.folder, clientId);
    return { made: make(dir), folder: dir, zip: null };
  }
  const scratch = mkdtempSync(join(store.paths.tmp, `bundle-${process.pid}-`));
  try {
    const dir = join(scratch, clientId);
    const made = make(dir);
    return {
      made,
      folder: null,
      zip: { name: `${clientId}-margo-bundle.zip`, bytes: zipProvisioningBundle(dir, clientId) },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

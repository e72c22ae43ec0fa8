import { existsSync } from 'node:fs';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { packKit as pack, type PackedEntry, type PackKitOptions } from '../kit/pack-kit';

/**
 * Packs a package folder, its compose components and images into a kit (an OCI layout, as a
 * folder or a .tar/.tar.gz) for a USB stick. Every input must exist before anything is
 * written; a package with errors is refused with its diagnostics.
 */
export async function packKit(options: PackKitOptions): Promise<PackedEntry[]> {
  const missing = [
    options.packageDir,
    ...options.components.map((c) => c.dir),
    ...options.images,
  ].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new CommissionerError(
      'invalid-input',
      `${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist`,
      { field: 'path' },
    );
  }
  return pack(options);
}

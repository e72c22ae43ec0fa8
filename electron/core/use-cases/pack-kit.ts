import { existsSync } from 'node:fs';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { packKit as pack, type PackedEntry, type PackKitOptions } from '../kit/pack-kit';
import { loadSigningIdentity } from '../signatures/signing/signing-identity';
import { appVersion } from './app-info';

export interface PackKitInput extends Omit<PackKitOptions, 'sign'> {
  /** Sign the package, its components and images with this key and certificate chain (PEM). */
  sign?: { keyPath: string; certPath: string };
}

/**
 * Packs a package folder, its compose components and images into a kit (an OCI layout, as a
 * folder or a .tar/.tar.gz) for a USB stick, signed when a key and chain are given. Every
 * input must exist, and the key must match the chain, before anything is written; a package
 * with errors is refused with its diagnostics.
 */
export async function packKit(options: PackKitInput): Promise<PackedEntry[]> {
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
  const { sign, ...rest } = options;
  return pack({
    ...rest,
    ...(sign
      ? {
          sign: {
            identity: loadSigningIdentity(sign.keyPath, sign.certPath),
            agent: `commissioner/${appVersion()}`,
          },
        }
      : {}),
  });
}

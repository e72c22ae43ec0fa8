import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { BUNDLE_FILES } from './provisioning-bundle';

/** PKZIP's "made by" for Unix: without it, unzip ignores the file modes. */
const UNIX = 3;
/** A regular file (S_IFREG): unzip applies the permission bits of regular files only. */
const REGULAR_FILE = 0o100000;

/**
 * A written provisioning bundle as a .zip, its files under `<folder>/` so that unpacking it
 * gives one folder per client. Each file keeps its mode (key.pem stays 0600 where unzip
 * restores modes).
 */
export function zipProvisioningBundle(dir: string, folder: string): Uint8Array {
  const entries: Zippable = {};
  for (const name of BUNDLE_FILES) {
    const path = join(dir, name);
    const mode = statSync(path).mode & 0o777;
    // Multiplied, not shifted: the type bit would land on the sign bit of a 32-bit shift.
    entries[`${folder}/${name}`] = [
      readFileSync(path),
      { os: UNIX, attrs: (REGULAR_FILE | mode) * 0x10000 },
    ];
  }
  return zipSync(entries, { level: 6 });
}

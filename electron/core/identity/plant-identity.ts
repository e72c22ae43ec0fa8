import { CommissionerError } from '../../../shared/contract/contract-error';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeOwnerOnly } from '../deployments/owner-only-file';
import { ensureKeysFolder } from '../store/store';
import type { DataPaths } from '../store/data-home';
import { completeCaRotation } from './ca-files';
import { createCertificateAuthority, type KeyAndCertificate } from './certificates';
import {
  IDENTITY_FILE,
  readIdentityFile,
  writeIdentityFile,
  type PlantIdentityFile,
} from './identity-file';
import { DEFAULT_KEY_TYPE, type KeyType } from './key-type';
import { wfmSpiffeId } from './spiffe-id';

export interface PlantIdentity extends PlantIdentityFile {
  dir: string;
  /** The current CA: the WFM's own certificate chains to it. */
  ca: KeyAndCertificate;
  /** During a rotation, the CA rotated to: trusted too, and it issues new client certificates. */
  nextCa?: KeyAndCertificate;
  wfmSpiffeId: string;
}

export { PlantIdentityError, PlantIdentityFile } from './identity-file';

function margoDir(paths: DataPaths): string {
  const dir = join(ensureKeysFolder(paths), 'margo');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/**
 * Creates the plant's trust domain: a CA of the given key type (ECDSA P-256 by default) in
 * keys/margo/, readable by this user only. Refused when one exists: a new trust domain would
 * make every provisioned device refuse this laptop.
 */
export function createPlantIdentity(
  paths: DataPaths,
  options: { keyType?: KeyType; caDays?: number } = {},
): PlantIdentity {
  const dir = margoDir(paths);
  const file = join(dir, IDENTITY_FILE);
  if (existsSync(file)) {
    throw new CommissionerError(
      'refused',
      `this laptop already has a trust domain (${file}): rotating its CA changes the key type`,
      { reasons: ['the trust domain exists'] },
    );
  }
  const suffix = randomBytes(4).toString('hex');
  const created: PlantIdentityFile = {
    trustDomain: `plant-${suffix}.commissioner`,
    wfmId: `commissioner-${suffix}`,
    createdAt: new Date().toISOString(),
  };
  const ca = createCertificateAuthority(created.trustDomain, {
    keyType: options.keyType ?? DEFAULT_KEY_TYPE,
    ...(options.caDays !== undefined ? { days: options.caDays } : {}),
  });
  writeOwnerOnly(join(dir, 'ca-key.pem'), Buffer.from(ca.keyPem));
  writeOwnerOnly(join(dir, 'ca.pem'), Buffer.from(ca.certPem));
  // identity.json last: its presence means the CA beside it is complete.
  writeIdentityFile(dir, created);
  return readIdentity(dir);
}

/**
 * The plant's trust domain: created on first use (ECDSA P-256), then always the same, so every
 * device provisioned from this laptop keeps trusting it. A CA rotation's finish that was
 * interrupted is completed first.
 */
export function plantIdentity(paths: DataPaths): PlantIdentity {
  const existing = readPlantIdentity(paths);
  return existing ?? createPlantIdentity(paths);
}

/** The trust domain if this laptop has one (nothing is created). */
export function readPlantIdentity(paths: DataPaths): PlantIdentity | undefined {
  if (!existsSync(join(paths.keys, 'margo', IDENTITY_FILE))) return undefined;
  const dir = margoDir(paths);
  if (readIdentityFile(dir).rotation?.finishing) completeCaRotation(dir);
  return readIdentity(dir);
}

/** The identity as the files in `dir` hold it now (what a running server reloads). */
export function readIdentity(dir: string): PlantIdentity {
  const file = readIdentityFile(dir);
  const pair = (cert: string, key: string): KeyAndCertificate => ({
    certPem: readFileSync(join(dir, cert), 'utf8'),
    keyPem: readFileSync(join(dir, key), 'utf8'),
  });
  return {
    ...file,
    dir,
    ca: pair('ca.pem', 'ca-key.pem'),
    ...(file.rotation ? { nextCa: pair('next-ca.pem', 'next-ca-key.pem') } : {}),
    wfmSpiffeId: wfmSpiffeId(file.trustDomain, file.wfmId),
  };
}

/** The CA certificates devices and the WFM trust: the current one, and during a rotation the next. */
export function trustAnchors(identity: PlantIdentity): string[] {
  return [identity.ca.certPem, ...(identity.nextCa ? [identity.nextCa.certPem] : [])];
}

/** The CA that issues client certificates now: the next one during a rotation. */
export function clientIssuer(identity: PlantIdentity): KeyAndCertificate {
  return identity.nextCa ?? identity.ca;
}

/** Remembers where the WFM serves, so `client add` writes that URL into provisioning bundles. */
export function recordServeAddress(
  identity: PlantIdentity,
  serve: NonNullable<PlantIdentityFile['serve']>,
): void {
  // Read again: another process (a CA rotation) may have changed the file since.
  writeIdentityFile(identity.dir, { ...readIdentityFile(identity.dir), serve });
}

/**
 * The trust domain when it was created already; undefined before its first use. For views:
 * looking at Settings must not create a CA.
 */
export function existingPlantIdentity(paths: DataPaths): PlantIdentity | undefined {
  return existsSync(join(paths.keys, 'margo', 'identity.json')) ? plantIdentity(paths) : undefined;
}

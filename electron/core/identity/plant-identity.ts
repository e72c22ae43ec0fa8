import { CommissionerError } from '../../../shared/contract/contract-error';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeDurably } from '../store/durable-write';
import { ensureKeysFolder } from '../store/store';
import type { DataPaths } from '../store/data-home';
import { createCertificateAuthority, type KeyAndCertificate } from './certificates';
import { isIdSegment, isTrustDomain, wfmSpiffeId } from './spiffe-id';

/** What identifies this laptop's WFM in the plant (keys/margo/identity.json). */
export const PlantIdentityFile = z.strictObject({
  trustDomain: z.string().refine(isTrustDomain),
  wfmId: z.string().refine(isIdSegment),
  createdAt: z.string(),
  /** Where `margo serve` last listened and which URL it gave clients. */
  serve: z.strictObject({ host: z.string(), port: z.number().int(), url: z.string() }).optional(),
});
export type PlantIdentityFile = z.infer<typeof PlantIdentityFile>;

export interface PlantIdentity extends PlantIdentityFile {
  dir: string;
  ca: KeyAndCertificate;
  wfmSpiffeId: string;
}

/** The plant's trust domain on this laptop is damaged: restoring it is the only way out. */
export class PlantIdentityError extends CommissionerError<'storage'> {
  constructor(path: string, message: string) {
    super('storage', message, { path });
  }
}

function margoDir(paths: DataPaths): string {
  const dir = join(ensureKeysFolder(paths), 'margo');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

function writeSecret(path: string, text: string): void {
  writeDurably(path, Buffer.from(text));
  chmodSync(path, 0o600);
}

/**
 * The plant's trust domain: created on first use (a CA in keys/margo/, readable by this user
 * only), then always the same, so every device provisioned from this laptop keeps trusting it.
 */
export function plantIdentity(paths: DataPaths): PlantIdentity {
  const dir = margoDir(paths);
  const file = join(dir, 'identity.json');
  if (!existsSync(file)) {
    const suffix = randomBytes(4).toString('hex');
    const created: PlantIdentityFile = {
      trustDomain: `plant-${suffix}.commissioner`,
      wfmId: `commissioner-${suffix}`,
      createdAt: new Date().toISOString(),
    };
    const ca = createCertificateAuthority(created.trustDomain);
    writeSecret(join(dir, 'ca-key.pem'), ca.keyPem);
    writeDurably(join(dir, 'ca.pem'), Buffer.from(ca.certPem));
    // identity.json last: its presence means the CA beside it is complete.
    writeDurably(file, Buffer.from(`${JSON.stringify(created, null, 2)}\n`));
  }
  const parsed = PlantIdentityFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new PlantIdentityError(
      file,
      `${file} is damaged (${parsed.error.issues[0]?.message ?? 'invalid'}): restore it from a backup; a new trust domain would make every provisioned device refuse this laptop`,
    );
  }
  const ca = {
    certPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    keyPem: readFileSync(join(dir, 'ca-key.pem'), 'utf8'),
  };
  return {
    ...parsed.data,
    dir,
    ca,
    wfmSpiffeId: wfmSpiffeId(parsed.data.trustDomain, parsed.data.wfmId),
  };
}

/** Remembers where the WFM serves, so `client add` writes that URL into provisioning bundles. */
export function recordServeAddress(
  identity: PlantIdentity,
  serve: NonNullable<PlantIdentityFile['serve']>,
): void {
  const { trustDomain, wfmId, createdAt } = identity;
  writeDurably(
    join(identity.dir, 'identity.json'),
    Buffer.from(`${JSON.stringify({ trustDomain, wfmId, createdAt, serve }, null, 2)}\n`),
  );
}

/**
 * The trust domain when it was created already; undefined before its first use. For views:
 * looking at Settings must not create a CA.
 */
export function existingPlantIdentity(paths: DataPaths): PlantIdentity | undefined {
  return existsSync(join(paths.keys, 'margo', 'identity.json')) ? plantIdentity(paths) : undefined;
}

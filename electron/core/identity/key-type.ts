import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * The key algorithms a trust domain is created or rotated with. MIAF (identity/svids.md) makes
 * ECDSA P-256 with SHA-256 mandatory to implement, so it is the default; RSA needs at least
 * 3072 bits there, for devices that cannot do ECDSA.
 */
export const KeyType = z.enum(['ecdsa-p256', 'rsa-3072']);
export type KeyType = z.infer<typeof KeyType>;

export const DEFAULT_KEY_TYPE: KeyType = 'ecdsa-p256';

export function newPrivateKey(type: KeyType): KeyObject {
  return type === 'ecdsa-p256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    : generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey;
}

/**
 * What a key is, as people and `--json` read it: `ecdsa-p256`, `rsa-3072`, and what older
 * domains hold (`rsa-2048`), or the algorithm and size of anything else.
 */
export function keyTypeOf(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    return details.namedCurve === 'prime256v1'
      ? 'ecdsa-p256'
      : `ecdsa-${details.namedCurve ?? 'unknown'}`;
  }
  if (key.asymmetricKeyType === 'rsa') return `rsa-${details.modulusLength ?? 0}`;
  return String(key.asymmetricKeyType);
}

/** The key type new certificates under this CA get: its own algorithm, RSA at 3072 bits at least. */
export function leafKeyTypeFor(caKey: KeyObject): KeyType {
  return caKey.asymmetricKeyType === 'rsa' ? 'rsa-3072' : 'ecdsa-p256';
}

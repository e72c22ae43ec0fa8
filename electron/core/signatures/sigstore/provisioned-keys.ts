import { createPublicKey, type KeyObject } from 'node:crypto';
import type { KeyFinderFunc } from '@sigstore/verify';

/**
 * Public keys provisioned for key-signed bundles (cosign `--key`, managed keys): the PEM
 * the engineer gave or the trust store holds, with the time it may be used for.
 */
export interface ProvisionedKey {
  name: string;
  pem: string;
  validFor?: { start?: Date; end?: Date };
}

export interface UsableKey {
  name: string;
  key: KeyObject;
  /** Inclusive at both ends, like the trusted root's validity. */
  validAt(date: Date): boolean;
}

const PUBLIC_KEY_PEM =
  /^\s*-----BEGIN PUBLIC KEY-----\r?\n[\s\S]+?\r?\n-----END PUBLIC KEY-----\s*$/;

/** A usable key, or why the PEM is not one (a private key is refused: it must not be handed around). */
export function readProvisionedKey(
  key: ProvisionedKey,
): { ok: true; key: UsableKey } | { ok: false; reason: string } {
  if (/PRIVATE KEY-----/.test(key.pem))
    return {
      ok: false,
      reason: `the key ${key.name} is a private key: give the public key (-----BEGIN PUBLIC KEY-----)`,
    };
  let parsed: KeyObject;
  try {
    const blocks = key.pem.match(/-----BEGIN /g) ?? [];
    if (blocks.length !== 1 || !PUBLIC_KEY_PEM.test(key.pem))
      throw new Error('not one PEM public key');
    parsed = createPublicKey(key.pem);
  } catch {
    return { ok: false, reason: `the key ${key.name} is not a valid public key` };
  }
  const { start, end } = key.validFor ?? {};
  return {
    ok: true,
    key: {
      name: key.name,
      key: parsed,
      validAt: (date) =>
        (start === undefined || start <= date) && (end === undefined || date <= end),
    },
  };
}

/** The finder @sigstore/verify asks for a bundle's key: the hint is opaque, so one key per attempt. */
export function keyFinder(key: UsableKey): KeyFinderFunc {
  return () => ({ publicKey: key.key, validFor: key.validAt });
}

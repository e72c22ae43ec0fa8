import { createHash } from 'node:crypto';

/** OpenSSH's fingerprint of a host key: `SHA256:` + unpadded base64 of the key blob's SHA-256. */
export function sshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type an SSH public key blob starts with (`ssh-ed25519`, `ssh-rsa`, …). */
export function sshKeyType(keyBlob: Buffer): string | undefined {
  if (keyBlob.length < 4) return undefined;
  const length = keyBlob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > keyBlob.length) return undefined;
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

/**
 * The host key algorithms to offer so that a server presents its key of this type: an SSH
 * server holds several host keys (RSA, ECDSA, Ed25519) and shows the one the algorithm
 * negotiation picks. RSA keys sign with any of three algorithms.
 */
export function hostKeyAlgorithms(type: string): string[] {
  return type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];
}

/**
 * Every host key type this client can check, in the order OpenSSH prefers them: when a
 * pinned fingerprint does not match the key a server shows first, the others are asked for.
 */
export const HOST_KEY_TYPES = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
] as const;

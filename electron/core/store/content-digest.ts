import { createHash, type Hash } from 'node:crypto';

/** The digest algorithms of the OCI image spec that can be verified, with their hex length. */
const ALGORITHMS: Record<string, number> = { sha256: 64, sha512: 128 };

export interface ParsedDigest {
  algorithm: string;
  hex: string;
}

/** `sha256:<64 hex>` or `sha512:<128 hex>`; undefined for anything else. */
export function parseDigest(text: string): ParsedDigest | undefined {
  const m = /^([a-z0-9]+):([0-9a-f]+)$/.exec(text);
  if (!m) return undefined;
  const [, algorithm = '', hex = ''] = m;
  return ALGORITHMS[algorithm] === hex.length ? { algorithm, hex } : undefined;
}

/** Throws a RangeError naming the value: a malformed digest is the caller's mistake. */
export function requireDigest(text: string): ParsedDigest {
  const digest = parseDigest(text);
  if (!digest) {
    throw new RangeError(`"${text}" is not a digest (sha256:<64 hex digits> or sha512:<128>)`);
  }
  return digest;
}

export function digestHash(algorithm: string): Hash {
  return createHash(algorithm);
}

export function digestOf(bytes: Uint8Array, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** The sha256 digest of bytes held in memory; stream large data through `digestHash` instead. */
export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** The hex sha256 of bytes or text in memory (config hashes, file fingerprints). */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

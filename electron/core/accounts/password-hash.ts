import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt with OWASP's parameters for it (N=2^17, r=8, p=1: 128 MiB and about a tenth of a
 * second per try on a station), a 16-byte random salt and a 32-byte key. The parameters are
 * stored with each hash, so raising them later still verifies the hashes made before.
 */
const DEFAULT = { N: 2 ** 17, r: 8, p: 1, keyLength: 32, saltLength: 16 };

export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, keyLength: number, params: ScryptParameters) {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is below N=2^17.
    maxmem: 256 * params.N * params.r,
  };
  return new Promise<Buffer>((done, fail) =>
    scrypt(password.normalize('NFC'), salt, keyLength, options, (e, key) =>
      e ? fail(e) : done(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$key` (salt and key in base64url): what the store keeps, never the password. */
export async function hashPassword(
  password: string,
  params: ScryptParameters = DEFAULT,
): Promise<string> {
  const salt = randomBytes(DEFAULT.saltLength);
  const key = await derive(password, salt, DEFAULT.keyLength, params);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** Whether `password` is the one `stored` was made from; the keys are compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/**
 * A hash of no password, for a name that has no account: checking against it costs what a
 * real check costs, so the time of a refusal does not say whether the name exists.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('base64url'));
  return decoy;
}

function parseHash(stored: string) {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((v) => Number.isInteger(v) && v > 0)) return undefined;
  const keyBytes = Buffer.from(key, 'base64url');
  if (keyBytes.length < 16) return undefined;
  return { params, salt: Buffer.from(salt, 'base64url'), key: keyBytes };
}

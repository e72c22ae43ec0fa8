const MULTIPLIER: Record<string, number> = {
  '': 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/**
 * Bytes of a compose size (`mem_limit`, `shm_size`, tmpfs `size`), read as docker compose
 * reads them (go-units RAMInBytes): `2048`, `100k`, `512m`, `1g`, `1gb`, `1GiB`, `1.5g`,
 * case-insensitive, units of 1024. Anything else is undefined, never a guess.
 */
export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?) ?([kmgtp])?(i)?(b)?\s*$/i.exec(value);
  if (!m || (m[3] !== undefined && m[2] === undefined)) return undefined;
  const bytes = Math.floor(Number(m[1]) * (MULTIPLIER[(m[2] ?? '').toLowerCase()] as number));
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

export const BYTE_SIZE_HINT = 'write a size such as 512m, 1g, 100k or 2048 (bytes)';

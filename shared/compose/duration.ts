const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Nanoseconds of a compose duration, Go's notation: `10s`, `1m30s`, `500ms`, `1.5s`, `1h`,
 * and `0`. A bare number other than 0 is undefined: compose would read it in a unit the
 * engineer did not mean, so it must be written with its unit.
 */
export function parseDurationNs(value: unknown): number | undefined {
  if (value === 0 || value === '0') return 0;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * (UNIT_NS[m[2] as string] as number);
    at = PART.lastIndex;
  }
  return Number.isSafeInteger(Math.round(total)) ? Math.round(total) : undefined;
}

export const DURATION_HINT = 'write a duration with its unit, such as 30s, 1m30s, 500ms or 1h';

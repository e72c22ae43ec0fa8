import { CommissionerError } from '../../shared/contract/contract-error';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A `--since` value as an instant (ISO 8601): a date or date-time (`2026-12-01`,
 * `2026-12-01T08:00Z`), or a span back from `now` (`90m`, `12h`, `7d`).
 */
export function parseSince(text: string, now = new Date()): string {
  const span = /^(\d{1,6})([mhd])$/.exec(text.trim());
  if (span) {
    return new Date(
      now.getTime() - Number(span[1]) * (UNIT_MS[span[2] as string] as number),
    ).toISOString();
  }
  if (
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())
  ) {
    const at = Date.parse(text.trim());
    if (!Number.isNaN(at)) return new Date(at).toISOString();
  }
  throw new CommissionerError(
    'invalid-input',
    `${text} is not a time: give a date (2026-12-01), a date and time (2026-12-01T08:00Z) or a span back from now (90m, 12h, 7d)`,
    { field: 'since' },
  );
}

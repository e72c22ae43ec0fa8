import type { HealthcheckModel } from './compose-model';
import type { ComposeReport } from './compose-report';
import { DURATION_HINT, parseDurationNs } from './duration';
import {
  shown,
  isMapping,
  readBool,
  readInt,
  readKeys,
  readTextList,
  type Path,
} from './read-scalars';

const TEST_KINDS = ['NONE', 'CMD', 'CMD-SHELL'];

/**
 * `healthcheck:` in Docker's terms: a text test runs in a shell (CMD-SHELL), a list is kept
 * as written (it starts with CMD, CMD-SHELL or NONE), `disable: true` is test [NONE].
 * Durations become nanoseconds.
 */
export function readHealthcheck(
  r: ComposeReport,
  path: Path,
  value: unknown,
): HealthcheckModel | undefined {
  if (!isMapping(value)) {
    r.problem(
      path,
      `healthcheck must be a mapping with test, interval, timeout, retries…, not ${shown(value)}`,
    );
    return undefined;
  }
  const check: HealthcheckModel = { test: [] };
  let disabled = false;
  const duration =
    (key: 'intervalNs' | 'timeoutNs' | 'startPeriodNs' | 'startIntervalNs') =>
    (v: unknown, p: Path) => {
      const ns = parseDurationNs(v);
      if (ns === undefined) r.problem(p, `${shown(v)} is not a duration: ${DURATION_HINT}`);
      else check[key] = ns;
    };
  readKeys(
    r,
    path,
    value,
    {
      test: (v, p) => {
        if (typeof v === 'string') {
          check.test = ['CMD-SHELL', v];
          return;
        }
        const test = readTextList(r, p, v, 'test');
        if (test === undefined) return;
        if (test.length > 0 && !TEST_KINDS.includes(test[0] as string)) {
          r.problem(
            p,
            `a test written as a list starts with CMD, CMD-SHELL or NONE (["CMD", "curl", "-f", "http://localhost"]), not "${test[0]}"`,
          );
          return;
        }
        check.test = test;
      },
      disable: (v, p) => (disabled = readBool(r, p, v, 'disable') ?? false),
      interval: duration('intervalNs'),
      timeout: duration('timeoutNs'),
      start_period: duration('startPeriodNs'),
      start_interval: (v, p) => {
        duration('startIntervalNs')(v, p);
        r.warning(
          p,
          'start_interval needs Docker 25 or later: older engines ignore it and probe at interval from the start',
          { atKey: true },
        );
      },
      retries: (v, p) => {
        const retries = readInt(r, p, v, 'retries', { min: 0 });
        if (retries !== undefined) check.retries = retries;
      },
    },
    (key) =>
      `${key} is not a healthcheck setting: use test, interval, timeout, start_period, start_interval, retries or disable`,
  );
  return disabled ? { test: ['NONE'] } : check;
}

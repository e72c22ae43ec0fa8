import type { Store } from '../../core/store/store';
import { setWatchInterval, watchInterval } from '../../core/use-cases/watch-interval';
import { reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';

/** `deployments watch-interval [<seconds>] [--json]`: shows or sets the live-state interval. */
export function runWatchInterval(
  store: Store,
  seconds: string | undefined,
  options: { json?: boolean },
  output: Output,
): ExitCode {
  let interval;
  try {
    interval = seconds === undefined ? watchInterval(store) : setWatchInterval(store, seconds);
  } catch (e) {
    return reportFailure(output, 'deployments watch-interval', e);
  }
  output.out(
    options.json
      ? JSON.stringify(interval)
      : `devices with deployments are asked every ${interval.seconds} s while the app is open`,
  );
  return EXIT.ok;
}

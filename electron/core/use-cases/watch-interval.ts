import { audited } from '../audit/audited';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { watchIntervalMs } from '../live-state/live-state-watcher';
import { SETTING, writeSetting } from '../store/settings-table';
import type { Store } from '../store/store';

/** Bounds of the watch interval: often enough to matter, rarely enough to cost nothing. */
export const WATCH_INTERVAL_BOUNDS = { min: 5, max: 3600 } as const;

/** How often open faces ask each device with deployments, in seconds. */
export function watchInterval(store: Store): { seconds: number } {
  return { seconds: watchIntervalMs(store) / 1000 };
}

/**
 * Sets the watch interval (whole seconds, 5 to 3600). Faces already open use it from their
 * next poll on.
 */
function setWatchIntervalNow(store: Store, text: string): { seconds: number } {
  const seconds = Number(text);
  if (
    !/^\d+$/.test(text.trim()) ||
    seconds < WATCH_INTERVAL_BOUNDS.min ||
    seconds > WATCH_INTERVAL_BOUNDS.max
  ) {
    throw new CommissionerError(
      'invalid-input',
      `${JSON.stringify(text)} is not a watch interval: give whole seconds from ${WATCH_INTERVAL_BOUNDS.min} to ${WATCH_INTERVAL_BOUNDS.max} (the default is 30)`,
      { field: 'seconds' },
    );
  }
  writeSetting(store, SETTING.watchIntervalSeconds, String(seconds));
  return { seconds };
}

/** Sets the watch interval (audited; see setWatchIntervalNow for the rules). */
export function setWatchInterval(store: Store, text: string): { seconds: number } {
  return audited(
    store,
    { operation: 'settings.setWatchInterval', target: 'watch interval', inputs: { seconds: text } },
    () => setWatchIntervalNow(store, text),
  );
}

/**
 * What this browser (or the desktop app's window) remembers of the job tray, kept where the
 * theme and the navigation's width are kept (localStorage): whether the engineer left it open
 * or collapsed, and up to which end time the finished jobs were cleared from it.
 */
export interface TrayMemory {
  /** The engineer's last choice; null until they open or collapse it once. */
  open: boolean | null;
  /** Finished jobs that ended at or before this (the core's clock) are cleared from view. */
  clearedUpTo: string | null;
}

const OPEN_KEY = 'commissioner.jobTray';
const CLEARED_KEY = 'commissioner.jobTray.clearedUpTo';

export function readTrayMemory(): TrayMemory {
  try {
    const open = localStorage.getItem(OPEN_KEY);
    return {
      open: open === 'open' ? true : open === 'collapsed' ? false : null,
      clearedUpTo: localStorage.getItem(CLEARED_KEY),
    };
  } catch {
    // Storage disabled: nothing remembered, the tray still works.
    return { open: null, clearedUpTo: null };
  }
}

export function rememberTrayOpen(open: boolean): void {
  try {
    localStorage.setItem(OPEN_KEY, open ? 'open' : 'collapsed');
  } catch {
    // Not remembered; still applied.
  }
}

export function rememberTrayCleared(upTo: string): void {
  try {
    localStorage.setItem(CLEARED_KEY, upTo);
  } catch {
    // Not remembered; cleared until the window reloads.
  }
}

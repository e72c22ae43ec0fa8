import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who owns an operation: host, pid and the process's start time (Linux: field 22 of
 * /proc/<pid>/stat, in clock ticks since boot), so a pid the system reused for another
 * process after a crash is not mistaken for the owner.
 */
export interface ProcessIdentity {
  host: string;
  pid: number;
  start: string;
}

export function currentProcess(): ProcessIdentity {
  return { host: hostname(), pid: process.pid, start: startTimeOf(process.pid) ?? '' };
}

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/**
 * Whether the process that owns something is still running. Another host's process cannot be
 * checked from here: it is taken as alive (its operation must be ended there, or by hand).
 */
export function isAlive(owner: ProcessIdentity): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = startTimeOf(owner.pid);
  return start === undefined || owner.start === '' || start === owner.start;
}

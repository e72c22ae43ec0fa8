import { Job } from '../../../shared/contract/jobs';
import { namedStatements } from './statements';
import type { Store } from './store';

/** How many finished jobs are kept: the job tray's history, across restarts. */
export const FINISHED_JOBS_KEPT = 200;

const SQL = namedStatements({
  insert: 'INSERT OR REPLACE INTO finished_jobs (id, ended_at, job) VALUES (?, ?, ?)',
  prune: `DELETE FROM finished_jobs WHERE seq <= (
            SELECT seq FROM finished_jobs ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
  list: 'SELECT job FROM finished_jobs ORDER BY seq DESC',
});

/** Keeps a job that ended (the oldest beyond the last 200 go). */
export function recordFinishedJob(store: Store, job: Job): void {
  const sql = SQL(store.db);
  store.db.transaction(() => {
    sql.insert.run(job.id, job.endedAt ?? new Date().toISOString(), JSON.stringify(job));
    sql.prune.run(FINISHED_JOBS_KEPT);
  })();
  store.changes.announce('jobs');
}

/**
 * The finished jobs kept, newest first. A row this version cannot read (written by another
 * version of Commissioner) is left out rather than failing the whole tray.
 */
export function finishedJobs(store: Store): Job[] {
  return (SQL(store.db).list.pluck().all() as string[]).flatMap((text) => {
    const parsed = Job.safeParse(JSON.parse(text));
    return parsed.success ? [parsed.data] : [];
  });
}

import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { Job, JobItem } from '../../../shared/contract/jobs';
import type { ImportReport } from '../../../shared/contract/import-report';
import { formatBytes } from '../format';
import { outcomesHaveProblems } from './outcomes';
import { testIds } from '../test-ids';
import { screenWords } from './screen-words';

const STATE_TEXT: Record<JobItem['state'] | Job['state'], { word: string; color: string }> = {
  waiting: { word: 'waiting', color: 'text.secondary' },
  running: { word: 'running', color: 'info.main' },
  succeeded: { word: 'done', color: 'success.main' },
  failed: { word: 'failed', color: 'error.main' },
};

/**
 * Whether a job that ran to its end left things out: an import with invalid or refused
 * packages, a deploy (rollback, removal) where a device failed, was rolled back or refused.
 */
export function jobHasProblems(job: Job): boolean {
  if (job.result && reportHasProblems(job.result)) return true;
  return job.outcomes !== null && outcomesHaveProblems(job.outcomes);
}

/** A job's or an item's state in a word; a job that ran but left things out says so. */
export function StateWord({ state, job }: { state: JobItem['state'] | Job['state']; job?: Job }) {
  const problems = state === 'succeeded' && job !== undefined && jobHasProblems(job);
  const s = problems ? { word: 'done, with problems', color: 'warning.main' } : STATE_TEXT[state];
  const mark = problems
    ? '⚠ '
    : state === 'running'
      ? '● '
      : state === 'succeeded'
        ? '✓ '
        : state === 'failed'
          ? '✗ '
          : '… ';
  return (
    <Box
      component="span"
      data-state={state}
      data-problems={problems ? 'true' : undefined}
      sx={{ color: s.color, fontWeight: 600, fontSize: 12, whiteSpace: 'nowrap' }}
    >
      {mark}
      {s.word}
    </Box>
  );
}

function amount(done: number, total: number, unit: 'bytes' | 'items'): string {
  if (unit === 'bytes') {
    return total > 0 ? `${formatBytes(done)} of ${formatBytes(total)}` : formatBytes(done);
  }
  if (total > 0) return `${done.toLocaleString()} of ${total.toLocaleString()}`;
  // A line that counts nothing (a device's state in a deploy) has no amount to show.
  return done > 0 ? done.toLocaleString() : '';
}

/** One progress line: a real bar when the total is known, an indeterminate one otherwise. */
export function ProgressLine({
  label,
  state,
  done,
  total,
  unit,
  message,
  testId,
}: {
  label: string;
  state: JobItem['state'];
  done: number;
  total: number;
  unit: 'bytes' | 'items';
  message?: string | undefined;
  testId?: string;
}) {
  const determinate = total > 0;
  const value = determinate ? Math.min(100, (done / total) * 100) : 0;
  return (
    <Box data-testid={testId} sx={{ py: 0.5 }}>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'baseline', minWidth: 0 }}>
        <Typography
          variant="body2"
          sx={{
            flex: 1,
            minWidth: 0,
            overflow: 'hidden',
            textOverflow: 'ellipsis',
            whiteSpace: 'nowrap',
          }}
          title={label}
        >
          {label}
        </Typography>
        <Typography variant="caption" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
          {amount(done, total, unit)}
        </Typography>
        <StateWord state={state} />
      </Box>
      {(state === 'running' || state === 'waiting' || determinate) && (
        <LinearProgress
          variant={determinate || state !== 'running' ? 'determinate' : 'indeterminate'}
          value={state === 'succeeded' ? 100 : value}
          color={state === 'failed' ? 'error' : state === 'succeeded' ? 'success' : 'primary'}
          aria-label={`${label}: ${amount(done, total, unit)}`}
          sx={{ height: 6, borderRadius: 3, mt: 0.25 }}
        />
      )}
      {message && (
        <Typography
          variant="caption"
          sx={{ display: 'block', color: state === 'failed' ? 'error.main' : 'text.secondary' }}
        >
          {screenWords(message)}
        </Typography>
      )}
    </Box>
  );
}

export function JobItems({ job }: { job: Job }) {
  return (
    <Box>
      {job.items.map((item, i) => (
        <ProgressLine
          key={i}
          testId={testIds.jobs.jobItem(job.id, i)}
          label={item.label}
          state={item.state}
          done={item.done}
          total={item.total}
          unit={item.unit}
          message={item.message}
        />
      ))}
    </Box>
  );
}

const REPORT_PARTS: [keyof ImportReport, string][] = [
  ['imported', 'imported'],
  ['unchanged', 'unchanged'],
  ['conflicts', 'in conflict'],
  ['invalid', 'invalid'],
  ['refused', 'refused'],
  ['unreadable', 'unreadable'],
  ['skipped', 'skipped'],
];

/** "3 imported, 1 invalid" (the non-empty parts). */
export function reportSummary(report: ImportReport): string {
  const parts = REPORT_PARTS.filter(([k]) => report[k].length > 0).map(
    ([k, word]) => `${report[k].length} ${word}`,
  );
  return parts.length ? parts.join(', ') : 'nothing found to import';
}

export function reportHasProblems(report: ImportReport): boolean {
  return (
    report.conflicts.length +
      report.invalid.length +
      report.refused.length +
      report.unreadable.length >
    0
  );
}

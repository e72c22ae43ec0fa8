import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import type { RevisionSummary } from '../../../../shared/contract/deployments';
import { dateTime, timeAgo } from '../../format';
import { testIds } from '../../test-ids';

const OUTCOME: Record<RevisionSummary['outcome'], { word: string; color: string }> = {
  applying: { word: 'applying', color: 'info.main' },
  installed: { word: 'installed', color: 'success.main' },
  failed: { word: 'failed', color: 'error.main' },
  'rolled-back': { word: 'rolled back', color: 'warning.main' },
  superseded: { word: 'superseded', color: 'text.secondary' },
  removed: { word: 'removed', color: 'text.secondary' },
};

/**
 * A revision rolled back because it failed is a problem (amber, its error below); one the
 * engineer rolled back from, asked for, is history like a superseded one.
 */
function outcomeOf(r: RevisionSummary): { word: string; color: string; tone: string } {
  if (r.outcome === 'rolled-back' && r.error === null) {
    return { word: 'rolled back', color: 'text.secondary', tone: 'neutral' };
  }
  const o = OUTCOME[r.outcome];
  return { ...o, tone: o.color === 'warning.main' ? 'warning' : 'plain' };
}

/**
 * Every revision of a deployment, newest first: version, how it went, why it failed. Revisions
 * from before a removal are dimmed: no rollback goes back to them.
 */
export function RevisionsTable({
  revisions,
  current,
  knownGood,
  history,
  said,
}: {
  revisions: readonly RevisionSummary[];
  current: number;
  knownGood: number | null;
  /** The deployment's current history. */
  history: number;
  /** The deployment's error, shown above: a revision's error it contains is not repeated. */
  said?: string | undefined;
}) {
  const newest = [...revisions].sort((a, b) => b.revision - a.revision);
  return (
    <Table data-testid={testIds.deployments.revisions} aria-label="Revisions">
      <TableHead>
        <TableRow>
          <TableCell>Revision</TableCell>
          <TableCell>Version</TableCell>
          <TableCell>Outcome</TableCell>
          <TableCell>When</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {newest.map((r) => {
          const outcome = outcomeOf(r);
          return (
            <TableRow
              key={r.revision}
              data-testid={testIds.deployments.revision(r.revision)}
              data-outcome={r.outcome}
              data-history={r.history === history ? 'current' : 'ended'}
              selected={r.revision === current}
              title={r.history === history ? undefined : 'Ran before a removal: never restored'}
              sx={r.history === history ? undefined : { opacity: 0.6 }}
            >
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {r.revision}
                {r.revision === current ? ' (current)' : ''}
                {r.revision === knownGood && r.revision !== current ? ' (last working)' : ''}
              </TableCell>
              <TableCell>
                {r.version}
                <Box component="span" sx={{ color: 'text.secondary' }}>
                  {' '}
                  · {r.profile}
                </Box>
                {r.changes && (
                  <Box
                    sx={{ fontSize: 12, color: 'text.secondary', overflowWrap: 'anywhere' }}
                    data-testid={testIds.deployments.revisionChanges(r.revision)}
                  >
                    {r.changes.changes.length > 0
                      ? `Changed from ${r.changes.from}: ${r.changes.words}`
                      : `Same deployment as ${r.changes.from}`}
                  </Box>
                )}
              </TableCell>
              <TableCell>
                <Box
                  component="span"
                  data-tone={outcome.tone}
                  sx={{ color: outcome.color, fontWeight: 600 }}
                >
                  {outcome.word}
                </Box>
                {r.error && !said?.includes(r.error.message) && (
                  <Box sx={{ fontSize: 12, color: 'text.secondary', overflowWrap: 'anywhere' }}>
                    {r.error.message}
                  </Box>
                )}
              </TableCell>
              <TableCell title={dateTime(r.createdAt)} sx={{ whiteSpace: 'nowrap' }}>
                {timeAgo(r.createdAt)}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { RevisionDifference } from '../../../../shared/contract/deployments';

/**
 * What differs between two revisions, in words, one change a line: values (old → new, a
 * secret only "changed"), the app version, components, images, the deployment's digest.
 */
export function RevisionChanges({
  difference,
  testId,
  lead,
}: {
  difference: RevisionDifference;
  testId: string;
  /** The sentence before the list ("Going back changes:"). */
  lead?: string;
}) {
  if (difference.changes.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary" data-testid={testId}>
        {lead ? `${lead} nothing: the same deployment.` : 'Nothing differs: the same deployment.'}
      </Typography>
    );
  }
  return (
    <Box data-testid={testId}>
      {lead && <Typography variant="body2">{lead}</Typography>}
      <Box
        component="ul"
        sx={{ m: 0, pl: 2.5, fontSize: 13, overflowWrap: 'anywhere' }}
        aria-label={`Changes from revision ${difference.from} to revision ${difference.to}`}
      >
        {difference.changes.map((c, i) => (
          <li key={`${c.kind}-${c.subject ?? ''}-${i}`} data-kind={c.kind}>
            {c.words}
          </li>
        ))}
      </Box>
    </Box>
  );
}

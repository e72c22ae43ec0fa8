import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { StatusError } from '../../../shared/contract/deployments';
import { derived } from '../test-ids';
import { screenWords } from './screen-words';

/**
 * A failure in words: the sentence of what happened and what to do; the raw error (what the
 * device or the system said, codes included) only behind "Details", for whoever asks support.
 */
export function StatusErrorText({
  error,
  testId,
  color = 'error.main',
}: {
  error: StatusError;
  testId?: string;
  color?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Typography
      variant="body2"
      component="div"
      sx={{ color, overflowWrap: 'anywhere', whiteSpace: 'pre-line' }}
      data-testid={testId}
    >
      {screenWords(error.message)}
      <Button
        size="small"
        variant="text"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        sx={{ ml: 0.5, py: 0, minWidth: 0, verticalAlign: 'baseline' }}
        data-testid={testId ? derived.details(testId) : undefined}
      >
        {open ? 'Hide details' : 'Details'}
      </Button>
      {open && (
        <Box
          component="pre"
          data-testid={testId ? derived.detailsText(testId) : undefined}
          sx={{
            m: 0,
            mt: 0.5,
            p: 1,
            fontSize: 12,
            color: 'text.secondary',
            bgcolor: 'action.hover',
            borderRadius: 1,
            whiteSpace: 'pre-wrap',
          }}
        >
          {[
            `reason: ${error.code}${error.source ? `, from ${error.source}` : ''}`,
            ...(error.detail ? [error.detail] : []),
          ].join('\n')}
        </Box>
      )}
    </Typography>
  );
}

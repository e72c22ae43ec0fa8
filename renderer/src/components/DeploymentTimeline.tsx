import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { DeploymentEvent } from '../../../shared/contract/deployments';
import { dateTime, timeAgo } from '../format';
import { screenWords } from './screen-words';

const LEVEL: Record<DeploymentEvent['level'], { color: string; mark: string }> = {
  info: { color: 'text.secondary', mark: '·' },
  warning: { color: 'warning.main', mark: '⚠' },
  error: { color: 'error.main', mark: '✗' },
};

/** What happened to a deployment, newest first: when, which revision and component, what. */
export function DeploymentTimeline({
  events,
  limit,
  testId,
}: {
  events: readonly DeploymentEvent[];
  /** Only the newest few (the deploy progress); all when absent. */
  limit?: number;
  testId?: string;
}) {
  // The core keeps them in the order they happened; the newest matter most.
  const newest = [...events].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const shown = limit === undefined ? newest : newest.slice(0, limit);
  if (shown.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary" data-testid={testId}>
        Nothing recorded yet.
      </Typography>
    );
  }
  return (
    <Box component="ol" data-testid={testId} sx={{ m: 0, p: 0, listStyle: 'none' }}>
      {shown.map((e, i) => {
        const level = LEVEL[e.level];
        return (
          <Box
            component="li"
            key={`${e.at}-${i}`}
            data-level={e.level}
            sx={{
              display: 'grid',
              gridTemplateColumns: '1.2em max-content 1fr',
              columnGap: 1,
              fontSize: 12,
              py: 0.25,
              borderBottom: 1,
              borderColor: 'divider',
            }}
          >
            <Box component="span" aria-hidden sx={{ color: level.color, fontWeight: 700 }}>
              {level.mark}
            </Box>
            <Box
              component="span"
              title={dateTime(e.at)}
              sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}
            >
              {timeAgo(e.at)}
              {e.revision !== null ? ` · rev ${e.revision}` : ''}
            </Box>
            <Box component="span" sx={{ minWidth: 0, overflowWrap: 'anywhere' }}>
              <Box component="span" sx={{ color: level.color, fontWeight: 600 }}>
                {e.level === 'info' ? '' : `${e.level}: `}
              </Box>
              {e.component && (
                <Box component="span" sx={{ fontWeight: 600 }}>
                  {e.component}:{' '}
                </Box>
              )}
              {screenWords(e.message)}
              {e.code && (
                <Box component="span" sx={{ color: 'text.secondary', fontFamily: 'monospace' }}>
                  {' '}
                  [{e.code}]
                </Box>
              )}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}

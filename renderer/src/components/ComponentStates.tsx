import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ComponentStatus } from '../../../shared/contract/deployments';
import { dateTime, timeAgo } from '../format';
import { derived } from '../test-ids';
import { DriftWords } from './DriftWords';
import { MargoStateWord } from './MargoStateWord';

/**
 * Each component of a deployment with its Margo state, what was changed on the device outside
 * Commissioner, and, when it failed, why.
 */
export function ComponentStates({
  components,
  testIdOf,
}: {
  components: readonly ComponentStatus[];
  /** Each component's test id, from its name. */
  testIdOf: (name: string) => string;
}) {
  if (components.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No component reported yet.
      </Typography>
    );
  }
  return (
    <Box component="ul" sx={{ m: 0, p: 0, listStyle: 'none' }}>
      {components.map((c) => (
        <Box
          component="li"
          key={c.name}
          data-testid={testIdOf(c.name)}
          data-state={c.state}
          sx={{ py: 0.5, borderBottom: 1, borderColor: 'divider' }}
        >
          <Box sx={{ display: 'flex', gap: 1, alignItems: 'baseline', flexWrap: 'wrap' }}>
            <Typography variant="body2" sx={{ fontWeight: 600, flex: 1, minWidth: 0 }}>
              {c.name}
            </Typography>
            <MargoStateWord state={c.state} />
            <Typography variant="caption" color="text.secondary" title={dateTime(c.updatedAt)}>
              {timeAgo(c.updatedAt)}
            </Typography>
          </Box>
          <DriftWords drift={c.drift ?? []} testId={derived.drift(testIdOf(c.name))} />
          {c.error && (
            <Typography variant="body2" sx={{ color: 'error.main', overflowWrap: 'anywhere' }}>
              {c.error.message}
              <Box component="span" sx={{ color: 'text.secondary', fontSize: 12 }}>
                {' '}
                ({c.error.code}
                {c.error.source ? `, from ${c.error.source}` : ''})
              </Box>
            </Typography>
          )}
        </Box>
      ))}
    </Box>
  );
}

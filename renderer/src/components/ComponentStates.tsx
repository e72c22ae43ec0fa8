import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ComponentStatus } from '../../../shared/contract/deployments';
import { dateTime, timeAgo } from '../format';
import { derived } from '../test-ids';
import { DriftWords } from './DriftWords';
import { MargoStateWord } from './MargoStateWord';
import { StatusErrorText } from './StatusErrorText';

/**
 * Each component of a deployment with its Margo state, what was changed on the device outside
 * Commissioner, and, when it failed, why — unless a message shown above says it already (a
 * failure is said once, not once per place).
 */
export function ComponentStates({
  components,
  testIdOf,
  shown = [],
}: {
  components: readonly ComponentStatus[];
  /** Each component's test id, from its name. */
  testIdOf: (name: string) => string;
  /** Messages shown above these components. */
  shown?: readonly (string | undefined)[];
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
          {c.error && !saidAbove(shown, c.error.message) && <StatusErrorText error={c.error} />}
        </Box>
      ))}
    </Box>
  );
}

function saidAbove(shown: readonly (string | undefined)[], message: string): boolean {
  return shown.some((text) => text !== undefined && text.includes(message));
}

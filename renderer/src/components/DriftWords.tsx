import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { DriftFinding } from '../../../shared/contract/deployments';

/**
 * What was changed on a device outside Commissioner, one line each, under the word "Drifted".
 * Nothing when nothing drifted.
 */
export function DriftWords({
  drift,
  testId,
  showComponent = false,
}: {
  drift: readonly DriftFinding[];
  testId: string;
  /** Name the component of each finding (a deployment's row lists all its components'). */
  showComponent?: boolean;
}) {
  if (drift.length === 0) return null;
  return (
    <Box data-testid={testId} data-drifted="true" sx={{ color: 'warning.main', mt: 0.25 }}>
      <Typography variant="caption" component="div" sx={{ fontWeight: 600 }}>
        Drifted: changed on the device outside Commissioner
      </Typography>
      <Box component="ul" sx={{ m: 0, pl: 2 }}>
        {drift.map((d) => (
          <Typography
            key={`${d.component}/${d.service}/${d.message}`}
            component="li"
            variant="caption"
            sx={{ overflowWrap: 'anywhere' }}
          >
            {showComponent ? `${d.component}: ` : ''}
            {d.message}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}

import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import type { HostAccessFinding } from '../../../shared/compose/host-access';

/**
 * What an application may do to a device itself, one line per finding, critical first (the
 * review sorts them): a severity chip and the plain sentence.
 */
export function HostAccessList({ findings }: { findings: readonly HostAccessFinding[] }) {
  return (
    <Box component="ul" sx={{ m: 0, pl: 0, listStyle: 'none' }}>
      {findings.map((f, i) => (
        <Box
          component="li"
          key={`${f.component}-${f.service}-${f.rule}-${i}`}
          data-rule={f.rule}
          data-severity={f.severity}
          sx={{ display: 'flex', gap: 1, alignItems: 'baseline', py: 0.25 }}
        >
          <Chip
            size="small"
            label={f.severity}
            color={f.severity === 'critical' ? 'error' : 'warning'}
            variant={f.severity === 'critical' ? 'filled' : 'outlined'}
          />
          <span>{f.message}</span>
        </Box>
      ))}
    </Box>
  );
}

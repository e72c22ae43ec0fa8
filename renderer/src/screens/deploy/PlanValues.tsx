import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { describeTargets } from '../../../../shared/configuration/value-targets';
import type { DeployPlan, PlanValueView } from '../../../../shared/contract/deploy';
import { testIds } from '../../test-ids';

/** The parameters not the same on every device, each with the devices that differ. */
export function differingValues(plan: DeployPlan | null): { name: string; devices: string[] }[] {
  const byParameter = new Map<string, { name: string; devices: string[] }>();
  for (const d of plan?.devices ?? []) {
    if (!d.ok) continue;
    for (const v of d.values ?? []) {
      if (!v.differs) continue;
      const entry = byParameter.get(v.parameter) ?? { name: v.setting ?? v.parameter, devices: [] };
      if (v.own) entry.devices.push(d.device);
      byParameter.set(v.parameter, entry);
    }
  }
  return [...byParameter.values()];
}

/** Above the device cards: which values are not the same everywhere (absent when all are). */
export function DifferingValues({ plan }: { plan: DeployPlan | null }) {
  const differing = differingValues(plan);
  if (differing.length === 0) return null;
  return (
    <Typography variant="body2" sx={{ mb: 1.5 }} data-testid={testIds.deploy.valuesDiffer}>
      Not the same on every device:{' '}
      {differing
        .map((d) => (d.devices.length > 0 ? `${d.name} (set for ${d.devices.join(', ')})` : d.name))
        .join('; ')}
      . The other values are the same everywhere.
    </Typography>
  );
}

function ValueCell({ value }: { value: PlanValueView }) {
  if (value.value === null) {
    return (
      <Box component="span" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
        empty: the component&apos;s own default applies
      </Box>
    );
  }
  return (
    <>
      <Box component="span" sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>
        {value.value}
      </Box>
      {value.secret && (
        <Box component="span" sx={{ ml: 1, color: 'text.secondary', fontSize: 12 }}>
          secret, not shown
        </Box>
      )}
    </>
  );
}

/** One device's values: what each parameter is set to and where the value goes. */
export function PlanValues({
  device,
  values,
}: {
  device: string;
  values: readonly PlanValueView[];
}) {
  if (values.length === 0) return null;
  return (
    <Box sx={{ mt: 1 }} data-testid={testIds.deploy.planValues(device)}>
      <Typography variant="subtitle2" component="h4">
        Values
      </Typography>
      <Table size="small" aria-label={`Values on ${device}`}>
        <TableHead>
          <TableRow>
            <TableCell>Setting</TableCell>
            <TableCell>Value</TableCell>
            <TableCell>Where it goes</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {values.map((v) => (
            <TableRow
              key={v.parameter}
              data-testid={testIds.deploy.planValue(device, v.parameter)}
              data-differs={v.differs ? 'true' : 'false'}
              data-own={v.own ? 'true' : 'false'}
            >
              <TableCell>
                {v.setting ?? v.parameter}
                {v.setting !== null && (
                  <Box component="span" sx={{ color: 'text.secondary', fontSize: 12 }}>
                    {' '}
                    ({v.parameter})
                  </Box>
                )}
              </TableCell>
              <TableCell>
                <ValueCell value={v} />
                {v.own && (
                  <Chip size="small" variant="outlined" label="this device only" sx={{ ml: 1 }} />
                )}
                {v.differs && !v.own && (
                  <Chip
                    size="small"
                    variant="outlined"
                    label="differs between devices"
                    sx={{ ml: 1 }}
                  />
                )}
              </TableCell>
              <TableCell sx={{ color: 'text.secondary' }}>{describeTargets(v.targets)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

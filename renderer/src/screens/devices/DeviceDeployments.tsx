import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { ownerWords } from '../../../../shared/application-deployment/ownership-labels';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { DeviceDeploymentView } from '../../../../shared/contract/devices';
import { ErrorAlert } from '../../components/ErrorAlert';
import { dateTime } from '../../format';
import { useApp } from '../../state/app-state';
import { useQuery } from '../../state/use-query';
import { asContractError } from '../../transport/contract-check';
import { testIds } from '../../test-ids';

/**
 * What the device says it runs of Commissioner's, from this laptop or another: who deployed
 * each and when. One another laptop made can be adopted (its records taken into this laptop's,
 * the device untouched). Asked when the detail opens and after an adoption — not on every
 * store change, since asking the device records a probe (itself a change).
 */
export function DeviceDeployments({ device }: { device: string }) {
  const { transport, may } = useApp();
  const [asked, setAsked] = useState(0);
  const shown = useQuery(
    'devices.show',
    { name: device },
    { refreshKey: asked, keepPrevious: true },
  );
  const [adopting, setAdopting] = useState<string | null>(null);
  const [failure, setFailure] = useState<ContractError | null>(null);
  const adopt = async (d: DeviceDeploymentView) => {
    setAdopting(d.id);
    setFailure(null);
    try {
      await transport.call('deployments.adopt', { device, id: d.id });
      setAsked((n) => n + 1);
    } catch (e) {
      setFailure(asContractError(e));
    } finally {
      setAdopting(null);
    }
  };
  const detail = shown.data;
  return (
    <Box data-testid={testIds.devices.deployments}>
      {shown.error && (
        <ErrorAlert error={shown.error} title="The device was not asked what it runs" />
      )}
      {detail?.unreadable && (
        <Typography variant="body2" color="text.secondary">
          Not read now: {detail.unreadable}
        </Typography>
      )}
      {detail && !detail.unreadable && detail.deployments.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No application deployed by Commissioner runs here.
        </Typography>
      )}
      {!detail && shown.loading && (
        <Typography variant="body2" color="text.secondary">
          Asking the device…
        </Typography>
      )}
      {detail?.deployments.map((d) => (
        <Box
          key={d.id}
          data-testid={testIds.devices.deployment(d.appId)}
          data-ours={d.ours}
          sx={{ display: 'flex', alignItems: 'baseline', gap: 1, py: 0.5, flexWrap: 'wrap' }}
        >
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {d.appId} {d.version}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
            revision {d.revision}, {d.state} —{' '}
            {d.ours ? 'deployed from this laptop' : `deployed by ${ownerWords(d.owner)}`}
            {d.deployedAt ? ` on ${dateTime(d.deployedAt)}` : ''}
            {d.recorded === null ? '; not in this laptop’s records' : ''}
          </Typography>
          {d.recorded === null && d.hasRecord && may('deployments.adopt') && (
            <Button
              size="small"
              variant="outlined"
              disabled={adopting !== null}
              onClick={() => void adopt(d)}
              data-testid={testIds.devices.adopt(d.appId)}
            >
              {adopting === d.id ? 'Adopting…' : 'Adopt'}
            </Button>
          )}
        </Box>
      ))}
      {failure && (
        <ErrorAlert
          error={failure}
          title="The deployment was not adopted"
          testId={testIds.devices.adoptError}
        />
      )}
    </Box>
  );
}

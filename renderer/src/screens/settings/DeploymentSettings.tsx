import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { onlyWho } from '../../components/role-text';
import { useApp } from '../../state/app-state';
import { useQuery } from '../../state/use-query';
import { asContractError } from '../../transport/contract-check';
import { testIds } from '../../test-ids';

/**
 * Settings that shape what the devices say about this laptop and how fresh the Deployments
 * screen is: the engineer name put on what this laptop deploys, and how often the devices with
 * deployments are asked what runs (the CLI's `installation --engineer`, `deployments
 * watch-interval`).
 */
export function DeploymentSettings() {
  const { transport, may } = useApp();
  const mayEngineer = may('settings.setEngineer');
  const mayInterval = may('settings.setWatchInterval');
  const [saved, setSaved] = useState(0);
  const interval = useQuery('settings.watchInterval', {}, { refreshKey: saved });
  const installation = useQuery('settings.installation', {}, { refreshKey: saved });
  const [seconds, setSeconds] = useState('');
  const [engineer, setEngineer] = useState('');
  const [failure, setFailure] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (interval.data) setSeconds(String(interval.data.seconds));
  }, [interval.data]);
  useEffect(() => {
    if (installation.data) setEngineer(installation.data.engineer);
  }, [installation.data]);

  const save = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(null);
    try {
      await what();
      setSaved((n) => n + 1);
    } catch (e) {
      setFailure(asContractError(e));
    } finally {
      setBusy(false);
    }
  };
  const error = failure ?? interval.error ?? installation.error;
  const wholeSeconds = /^\d{1,4}$/.test(seconds.trim());
  return (
    <Paper variant="outlined" sx={{ p: 1.5, mb: 2, maxWidth: 560 }}>
      <Typography variant="subtitle2" component="h2" gutterBottom>
        Deployments on devices
      </Typography>
      {error && (
        <ErrorAlert
          error={error}
          title="The setting was not changed"
          testId={testIds.settings.deploymentSettingsError}
        />
      )}
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', mb: 1.5 }}>
        <TextField
          size="small"
          label="Engineer name on deployments"
          value={engineer}
          onChange={(e) => setEngineer(e.target.value)}
          helperText={
            installation.data
              ? `Devices show what this laptop deploys as by ${engineer || 'the system user'} on ${installation.data.host}`
              : ' '
          }
          slotProps={{
            htmlInput: {
              'data-testid': testIds.settings.engineer,
              maxLength: 100,
              readOnly: !mayEngineer,
            },
          }}
          sx={{ flex: 1 }}
        />
        {mayEngineer && (
          <Button
            variant="outlined"
            disabled={busy || !installation.data || engineer === installation.data.engineer}
            onClick={() => void save(() => transport.call('settings.setEngineer', { engineer }))}
            data-testid={testIds.settings.engineerSave}
          >
            Save
          </Button>
        )}
      </Box>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
        <TextField
          size="small"
          type="number"
          label="Ask devices every (seconds)"
          value={seconds}
          onChange={(e) => setSeconds(e.target.value)}
          error={seconds !== '' && !wholeSeconds}
          helperText={
            seconds !== '' && !wholeSeconds
              ? 'Whole seconds, 5 to 3600'
              : 'How often the devices with deployments are asked what runs (5 to 3600; Docker devices also report changes at once)'
          }
          slotProps={{
            htmlInput: {
              'data-testid': testIds.settings.watchInterval,
              min: 5,
              max: 3600,
              readOnly: !mayInterval,
            },
          }}
          sx={{ flex: 1 }}
        />
        {mayInterval && (
          <Button
            variant="outlined"
            disabled={
              busy || !interval.data || !wholeSeconds || seconds === String(interval.data.seconds)
            }
            onClick={() =>
              void save(() =>
                transport.call('settings.setWatchInterval', { seconds: Number(seconds.trim()) }),
              )
            }
            data-testid={testIds.settings.watchIntervalSave}
          >
            Save
          </Button>
        )}
      </Box>
      {!mayEngineer && !mayInterval && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 0.5 }}>
          {onlyWho('settings.setEngineer', 'changes these')}
        </Typography>
      )}
      {installation.data && (
        <Typography
          variant="caption"
          color="text.secondary"
          data-testid={testIds.settings.installation}
        >
          Installation {installation.data.installation}
        </Typography>
      )}
    </Paper>
  );
}

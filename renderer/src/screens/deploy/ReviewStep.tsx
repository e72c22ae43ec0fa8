import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { DeployPlan } from '../../../../shared/contract/deploy';
import type { ContractError } from '../../../../shared/contract/contract-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { plural } from '../../format';
import { deployableDevices } from './deploy-wizard-state';
import { DevicePlanCard } from './DevicePlanCard';
import { testIds } from '../../test-ids';

/** The Review step: per device what would change, before anything does. */
export function ReviewStep({
  plan,
  loading,
  error,
  onPlanAgain,
  autoRollback,
  onAutoRollback,
}: {
  plan: DeployPlan | null;
  loading: boolean;
  error: ContractError | null;
  onPlanAgain: () => void;
  autoRollback: boolean;
  onAutoRollback: (on: boolean) => void;
}) {
  const ready = deployableDevices(plan);
  const refused = plan?.devices.filter((d) => !d.ok).length ?? 0;
  const upToDate = plan?.devices.filter((d) => d.ok && d.upToDate).length ?? 0;
  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1, flexWrap: 'wrap' }}>
        <Typography variant="body2" sx={{ flex: 1 }} aria-live="polite">
          {loading
            ? 'Asking each device what it runs and planning the changes…'
            : plan
              ? [
                  `${plural(ready.length, 'device')} to deploy to`,
                  upToDate ? `${upToDate} up to date` : '',
                  refused ? `${refused} refused` : '',
                ]
                  .filter(Boolean)
                  .join(', ') + '. Nothing has changed on any device yet.'
              : ''}
        </Typography>
        <Button onClick={onPlanAgain} disabled={loading} data-testid={testIds.deploy.planAgain}>
          Plan again
        </Button>
      </Box>
      {loading && <LinearProgress sx={{ mb: 1 }} />}
      {error && (
        <ErrorAlert
          error={error}
          title="The plan could not be made"
          testId={testIds.deploy.planError}
        />
      )}
      {plan && (
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          {plan.devices.map((d) => (
            <DevicePlanCard key={d.device} plan={d} />
          ))}
        </Box>
      )}
      {/* The label carries the test id: checking it checks its checkbox. */}
      <FormControlLabel
        sx={{ mt: 1.5 }}
        data-testid={testIds.deploy.autoRollback}
        data-checked={autoRollback ? 'true' : 'false'}
        control={
          <Checkbox checked={autoRollback} onChange={(e) => onAutoRollback(e.target.checked)} />
        }
        label="Roll back automatically to the last working revision if the new one fails"
      />
    </Box>
  );
}

import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { DeployPlan } from '../../../../shared/contract/deploy';
import type { ContractError } from '../../../../shared/contract/contract-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { plural } from '../../format';
import { HostAccessList } from '../../components/HostAccessList';
import { SignatureList } from '../../components/SignatureList';
import {
  auditWarning,
  refusalReason,
  shortDigests,
} from '../../../../shared/trust/artifact-trust-words';
import {
  deployableDevices,
  hostAccessSettled,
  hostAccessToAllow,
  takeOverSettled,
  takeOversToConfirm,
  trustRefused,
  trustWarned,
} from './deploy-wizard-state';
import { DevicePlanCard } from './DevicePlanCard';
import { DifferingValues } from './PlanValues';
import { testIds } from '../../test-ids';

/** The Review step: per device what would change, before anything does. */
export function ReviewStep({
  plan,
  loading,
  error,
  onPlanAgain,
  autoRollback,
  onAutoRollback,
  hostAccessAllowed,
  onAllowHostAccess,
  takeOverConfirmed,
  onConfirmTakeOver,
}: {
  plan: DeployPlan | null;
  loading: boolean;
  error: ContractError | null;
  onPlanAgain: () => void;
  autoRollback: boolean;
  onAutoRollback: (on: boolean) => void;
  /** The host-access digests allowed so far, and how to change them. */
  hostAccessAllowed: readonly string[];
  onAllowHostAccess: (digests: readonly string[]) => void;
  /** The take-overs confirmed so far (`device␊installation`), and how to change them. */
  takeOverConfirmed: readonly string[];
  onConfirmTakeOver: (keys: readonly string[]) => void;
}) {
  const toTakeOver = takeOversToConfirm(plan);
  const takenOver = toTakeOver.length > 0 && takeOverSettled(plan, takeOverConfirmed);
  const ready = deployableDevices(plan);
  const toAllow = hostAccessToAllow(plan);
  const allowed = toAllow.length > 0 && hostAccessSettled(plan, hostAccessAllowed);
  const refused = plan?.devices.filter((d) => !d.ok).length ?? 0;
  const untrusted = trustRefused(plan);
  const warned = trustWarned(plan);
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
      {untrusted.length > 0 && (
        // First: nothing else on this page can be deployed while this stands.
        <Alert severity="error" sx={{ mb: 1.5 }} data-testid={testIds.deploy.trustRefused}>
          <AlertTitle>The trust policy refuses this deployment</AlertTitle>
          Nothing is sent to any device: the policy requires a verified signature on everything a
          deployment sends.
          <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2 }}>
            {untrusted.map((a, i) => (
              <li key={`${a.artifact}-${i}`}>{shortDigests(refusalReason(a))}</li>
            ))}
          </Box>
          Import a kit whose signatures verify against the trust store, or change the policy under
          Settings → Trust.
        </Alert>
      )}
      {warned.length > 0 && (
        <Alert severity="warning" sx={{ mb: 1.5 }} data-testid={testIds.deploy.trustWarnings}>
          <AlertTitle>Sent although not verified</AlertTitle>
          <Box component="ul" sx={{ m: 0, pl: 2 }}>
            {warned.map((a, i) => (
              <li key={`${a.artifact}-${i}`}>{shortDigests(auditWarning(a))}</li>
            ))}
          </Box>
        </Alert>
      )}
      {toTakeOver.length > 0 && (
        // First of what the engineer decides: someone else's deployment would be overwritten.
        <Alert severity="warning" sx={{ mb: 1.5 }} data-testid={testIds.deploy.takeOver}>
          <AlertTitle>Another laptop deployed this</AlertTitle>
          <Box component="ul" sx={{ m: 0, pl: 2 }}>
            {toTakeOver.map((d) => (
              <li key={d.key}>{d.message}</li>
            ))}
          </Box>
          Deploying replaces what that laptop put there; its records then say it was taken over.
          <FormControlLabel
            sx={{ mt: 1, display: 'flex' }}
            data-testid={testIds.deploy.confirmTakeOver}
            data-checked={takenOver ? 'true' : 'false'}
            control={
              <Checkbox
                checked={takenOver}
                onChange={(e) =>
                  onConfirmTakeOver(e.target.checked ? toTakeOver.map((d) => d.key) : [])
                }
              />
            }
            label="Take it over"
          />
        </Alert>
      )}
      {toAllow.length > 0 && (
        // Above everything else: what the application may do to the devices themselves.
        <Alert severity="error" sx={{ mb: 1.5 }} icon={false}>
          <AlertTitle>The application gets access to the devices themselves</AlertTitle>
          It is deployed only if you allow what its services are given of each device.
          {/* The label carries the test id: checking it checks its checkbox. */}
          <FormControlLabel
            sx={{ mt: 1, alignItems: 'flex-start', display: 'flex' }}
            data-testid={testIds.deploy.allowHostAccess}
            data-checked={allowed ? 'true' : 'false'}
            control={
              <Checkbox
                checked={allowed}
                onChange={(e) =>
                  onAllowHostAccess(e.target.checked ? toAllow.map((d) => d.digest) : [])
                }
              />
            }
            label={
              <Box sx={{ pt: 1 }}>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  Allow this access:
                </Typography>
                {toAllow.map((d) => (
                  <Box key={d.device} sx={{ mt: 0.5 }}>
                    <Typography variant="body2">on {d.device}</Typography>
                    <HostAccessList findings={d.findings} />
                  </Box>
                ))}
              </Box>
            }
          />
        </Alert>
      )}
      {plan && plan.signatures.length > 0 && (
        <Paper variant="outlined" sx={{ p: 1.5, mb: 1.5 }} data-testid={testIds.deploy.signatures}>
          <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
            Signatures of what will be sent
          </Typography>
          <SignatureList signatures={plan.signatures} testId={testIds.deploy.signature} />
        </Paper>
      )}
      <DifferingValues plan={plan} />
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

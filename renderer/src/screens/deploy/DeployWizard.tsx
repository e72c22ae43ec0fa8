import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { useEffect, useReducer } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { plural } from '../../format';
import { useApp, useStoreChanged } from '../../state/app-state';
import { deployRoute } from '../../state/route';
import { useQuery } from '../../state/use-query';
import { testIds } from '../../test-ids';
import { asContractError } from '../../transport/contract-check';
import { ConfigureStep } from './ConfigureStep';
import { DeployProgress } from './DeployProgress';
import { StepHeading } from './StepHeading';
import { DevicesStep } from './DevicesStep';
import { ProfileStep } from './ProfileStep';
import { ReviewStep } from './ReviewStep';
import {
  canGoNext,
  deployableDevices,
  hostAccessSettled,
  formRequest,
  initialWizardState,
  isMoving,
  startRequest,
  takeOverSettled,
  trustRefused,
  updatedFrom,
  wizardReducer,
} from './deploy-wizard-state';
import { artifactWords, shortDigests } from '../../../../shared/trust/artifact-trust-words';

const STEPS = [
  { id: 'devices', label: 'Devices', heading: 'Choose the devices' },
  { id: 'profile', label: 'Profile', heading: 'Choose the deployment profile' },
  { id: 'configure', label: 'Configure', heading: 'Set the configuration values' },
  { id: 'review', label: 'Review', heading: 'Review what will change' },
  { id: 'progress', label: 'Deploy', heading: 'Deploying' },
] as const;
const PROGRESS = 4;

/**
 * Devices → Profile → Configure → Review → Deploy for one app version. Each step asks the core
 * again for what it needs (the form for the chosen devices and profile, the plan for the
 * values), so nothing shown is older than the step. Once deployed, the route holds the job's
 * id and the wizard shows its progress (also after a reload: the job lives in the core). What
 * the wizard keeps is in one reducer (deploy-wizard-state.ts); this component asks the core
 * and dispatches.
 */
export function DeployWizard({
  appId,
  version,
  jobId,
  preselected,
}: {
  appId: string | undefined;
  version: string | undefined;
  jobId: string | undefined;
  /** Devices named by the route (the Deployments screen's "Update", a reload). */
  preselected: readonly string[];
}) {
  const { transport, navigate, reportScreenLoaded, refreshJobs, may } = useApp();
  const [state, dispatch] = useReducer(
    wizardReducer,
    { appId, version, preselected },
    initialWizardState,
  );
  const { step, form, formError, model, config } = state;
  const moving = isMoving(state);
  const shown = jobId ? PROGRESS : step;

  const formQuery = useQuery('deploy.form', formRequest(state), { refreshKey: state.ask.n });
  useEffect(() => {
    if (formQuery.data) dispatch({ type: 'form-answered', answer: formQuery.data });
  }, [formQuery.data]);
  useEffect(() => {
    if (formQuery.error) dispatch({ type: 'form-failed', error: formQuery.error });
  }, [formQuery.error]);

  const planQuery = useQuery('deploy.plan', state.planRequest, { refreshKey: state.planAsk });
  // While planning (again), the plan shown is none: what is on screen is what will be sent.
  const planning = planQuery.loading;
  const plan = planning ? null : planQuery.data;
  const planError = planning ? null : planQuery.error;

  useEffect(() => {
    if (!appId || jobId || form || formError) reportScreenLoaded();
  }, [appId, jobId, form, formError, reportScreenLoaded]);

  // While devices are being chosen, their verdicts and installed apps follow the inventory.
  useStoreChanged(['devices', 'deployments'], () => {
    if (!jobId) dispatch({ type: 'refresh-devices' });
  });

  const choose = (devices: string[]) => {
    dispatch({ type: 'choose', devices });
    // The route remembers them, so a reload comes back to the same choice.
    navigate(deployRoute({ app: appId, version, devices }), true);
  };

  const ready = deployableDevices(plan);
  const untrusted = trustRefused(plan);
  const submit = async () => {
    if (!state.planRequest || !plan) return;
    const start = startRequest(
      state.planRequest,
      plan,
      state.autoRollback,
      state.hostAccessAllowed,
      state.takeOverConfirmed,
    );
    dispatch({ type: 'start' });
    try {
      const { jobId: started } = await transport.call('deploy.start', start);
      // The job's first events may have come before its id did: the list has them either way.
      refreshJobs();
      navigate(deployRoute({ app: appId, version, devices: ready, job: started }), true);
      dispatch({ type: 'started' });
    } catch (e) {
      dispatch({ type: 'start-failed', error: asContractError(e) });
    }
  };

  const newDeploy = () => {
    dispatch({ type: 'new-deploy' });
    navigate(deployRoute({ app: appId, version, devices: state.chosen }), true);
  };

  const starting = state.starting;
  const busy = formQuery.loading || planning || starting || moving;
  const canNext = canGoNext(state, busy);

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <Box
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 1,
          px: 1.5,
          py: 1,
          borderBottom: 1,
          borderColor: 'divider',
          flexWrap: 'wrap',
        }}
      >
        <Typography variant="h5" component="h1" sx={{ flex: 1, minWidth: 0 }} noWrap>
          {form
            ? `Deploy ${form.app.name} ${form.app.version}`
            : appId
              ? `Deploy ${appId}`
              : 'Deploy'}
        </Typography>
        {appId && (
          <Link
            component="button"
            onClick={() =>
              navigate({
                screen: 'catalog',
                params: { app: appId, ...(version ? { version } : {}) },
              })
            }
            data-testid={testIds.deploy.toApp}
            sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}
          >
            <ArrowBackIcon fontSize="small" /> The app in the catalog
          </Link>
        )}
      </Box>
      <Stepper activeStep={shown} sx={{ px: 2, py: 1.25 }} aria-label="Deploy steps">
        {STEPS.map((s, i) => (
          <Step key={s.id} completed={i < shown}>
            <StepLabel>{s.label}</StepLabel>
          </Step>
        ))}
      </Stepper>
      {busy && <LinearProgress sx={{ height: 2 }} />}
      <Box sx={{ flex: 1, minHeight: 0, overflowY: 'auto', px: 2, pb: 2 }}>
        <Box sx={{ maxWidth: 1200, mx: 'auto' }}>
          {formError && (
            <ErrorAlert
              error={formError}
              title="The deploy form could not be made"
              testId={testIds.deploy.error}
            />
          )}
          {(form || shown === PROGRESS) && (
            <StepHeading testId={testIds.deploy.stepHeading}>
              {`Step ${shown + 1} of ${STEPS.length}: ${STEPS[shown]!.heading}`}
            </StepHeading>
          )}
          {shown === 0 && form && (
            <Box data-testid={testIds.deploy.step('devices')}>
              <DevicesStep devices={form.devices} chosen={state.chosen} onChosen={choose} />
            </Box>
          )}
          {shown === 1 && form && (
            <Box data-testid={testIds.deploy.step('profile')}>
              <ProfileStep
                form={form}
                chosenDevices={state.chosen}
                profile={state.profile}
                onProfile={(profile) => dispatch({ type: 'profile', profile })}
              />
            </Box>
          )}
          {shown === 2 && model && config && (
            <Box data-testid={testIds.deploy.step('configure')}>
              <ConfigureStep
                model={model}
                devices={state.chosen}
                config={config}
                updatedFrom={updatedFrom(state)}
                tab={state.tab}
                tabGeneration={state.tabGeneration}
                errors={state.configErrors}
                own={state.own}
                dispatch={dispatch}
              />
            </Box>
          )}
          {shown === 3 && (
            <Box data-testid={testIds.deploy.step('review')}>
              <ReviewStep
                plan={plan}
                loading={planning}
                error={planError}
                onPlanAgain={() => dispatch({ type: 'plan-again' })}
                autoRollback={state.autoRollback}
                onAutoRollback={(on) => dispatch({ type: 'auto-rollback', on })}
                hostAccessAllowed={state.hostAccessAllowed}
                onAllowHostAccess={(digests) => dispatch({ type: 'allow-host-access', digests })}
                takeOverConfirmed={state.takeOverConfirmed}
                onConfirmTakeOver={(keys) => dispatch({ type: 'confirm-take-over', keys })}
              />
            </Box>
          )}
          {shown === PROGRESS && jobId && (
            <Box data-testid={testIds.deploy.step('progress')}>
              <DeployProgress
                jobId={jobId}
                appId={appId}
                devices={preselected}
                plan={plan}
                onNewDeploy={appId && may('deploy.start') ? newDeploy : null}
              />
            </Box>
          )}
          {state.configProblem && (
            <Alert severity="error" sx={{ mt: 1 }} data-testid={testIds.deploy.configProblem}>
              {state.configProblem}
            </Alert>
          )}
          {state.startError && (
            <ErrorAlert
              error={state.startError}
              title="The deploy did not start"
              testId={testIds.deploy.startError}
            />
          )}
        </Box>
      </Box>
      {shown !== PROGRESS && (
        <Box
          sx={{
            display: 'flex',
            alignItems: 'center',
            gap: 1,
            px: 2,
            py: 1,
            borderTop: 1,
            borderColor: 'divider',
            bgcolor: 'background.paper',
          }}
        >
          <Button
            onClick={() => dispatch({ type: 'back' })}
            disabled={step === 0 || starting}
            data-testid={testIds.deploy.back}
          >
            Back
          </Button>
          <Box sx={{ flex: 1 }} />
          {step === 3 && untrusted.length > 0 && (
            <Typography
              variant="body2"
              color="error.main"
              aria-live="polite"
              data-testid={testIds.deploy.trustBlocked}
            >
              The trust policy refuses{' '}
              {untrusted.map((a) => shortDigests(artifactWords(a))).join(', ')}: nothing can be
              deployed.
            </Typography>
          )}
          {step === 3 &&
            untrusted.length === 0 &&
            !hostAccessSettled(plan, state.hostAccessAllowed) && (
              <Typography variant="body2" color="error.main" aria-live="polite">
                Allow the access to the devices above to deploy.
              </Typography>
            )}
          {step === 3 &&
            untrusted.length === 0 &&
            !takeOverSettled(plan, state.takeOverConfirmed) && (
              <Typography variant="body2" color="error.main" aria-live="polite">
                Confirm taking over what another laptop deployed to deploy.
              </Typography>
            )}
          {step === 2 && state.configErrors > 0 && (
            <Typography variant="body2" color="error.main" aria-live="polite">
              Correct the fields marked in red to go on.
            </Typography>
          )}
          {step < 3 ? (
            <Button
              variant="contained"
              onClick={() => dispatch({ type: 'next' })}
              disabled={!canNext}
              data-testid={testIds.deploy.next}
            >
              Next
            </Button>
          ) : (
            <Button
              variant="contained"
              onClick={() => void submit()}
              disabled={
                ready.length === 0 ||
                busy ||
                untrusted.length > 0 ||
                !hostAccessSettled(plan, state.hostAccessAllowed) ||
                !takeOverSettled(plan, state.takeOverConfirmed)
              }
              data-testid={testIds.deploy.submit}
            >
              {starting ? 'Starting…' : `Deploy to ${plural(ready.length, 'device')}`}
            </Button>
          )}
        </Box>
      )}
    </Box>
  );
}

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
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { DeployPlan, DeployRequest, StartDeploy } from '../../../../shared/contract/deploy';
import { ErrorAlert } from '../../components/ErrorAlert';
import { plural } from '../../format';
import { useApp, useStoreChanged } from '../../state/app-state';
import { deployRoute } from '../../state/route';
import { asContractError } from '../../transport/contract-check';
import { ConfigureStep } from './ConfigureStep';
import { DeployProgress } from './DeployProgress';
import { DevicesStep } from './DevicesStep';
import { ProfileStep } from './ProfileStep';
import { ReviewStep, deployableDevices } from './ReviewStep';
import {
  asFormModel,
  configForDevices,
  deployRequest,
  devicesWithErrors,
  startingConfig,
  type ConfigState,
  type FormModelView,
} from './config-values';
import { useDeployForm } from './use-deploy-form';

const STEPS = [
  { id: 'devices', label: 'Devices' },
  { id: 'profile', label: 'Profile' },
  { id: 'configure', label: 'Configure' },
  { id: 'review', label: 'Review' },
  { id: 'progress', label: 'Deploy' },
] as const;
const PROGRESS = 4;

/**
 * Devices → Profile → Configure → Review → Deploy for one app version. Each step asks the core
 * again for what it needs (the form for the chosen devices and profile, the plan for the
 * values), so nothing shown is older than the step. Once deployed, the route holds the job's
 * id and the wizard shows its progress (also after a reload: the job lives in the core).
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
  const { transport, navigate, reportScreenLoaded, refreshJobs } = useApp();
  const deployForm = useDeployForm(appId, version);
  const { form, load } = deployForm;
  const [step, setStep] = useState(0);
  const [chosen, setChosen] = useState<string[]>([]);
  const [profile, setProfile] = useState<string | null>(null);
  const [model, setModel] = useState<FormModelView | null>(null);
  const config = useRef<ConfigState | null>(null);
  const [configValid, setConfigValid] = useState(true);
  const [configProblem, setConfigProblem] = useState<string | null>(null);
  const [request, setRequest] = useState<DeployRequest | null>(null);
  const [plan, setPlan] = useState<DeployPlan | null>(null);
  const [planError, setPlanError] = useState<ContractError | null>(null);
  const [planning, setPlanning] = useState(false);
  const planSeq = useRef(0);
  const [autoRollback, setAutoRollback] = useState(true);
  const [starting, setStarting] = useState(false);
  // From a click on Next until the next step is shown: the form's own loading flag ends a
  // moment before the step changes, and a second click then must not count for the old step.
  const [moving, setMoving] = useState(false);
  const [startError, setStartError] = useState<ContractError | null>(null);
  const shown = jobId ? PROGRESS : step;

  // The first answer: the devices with their verdicts; the route's devices are chosen.
  useEffect(() => {
    if (!appId) return;
    void load({}).then((answer) => {
      if (!answer) return;
      const choosable = new Set(
        answer.devices.filter((d) => d.disabledReason === null).map((d) => d.name),
      );
      setChosen(preselected.filter((d) => choosable.has(d)));
    });
    // Once per wizard: the route's devices are where it starts, not what it follows.
  }, [appId, load]);

  useEffect(() => {
    if (!appId || jobId || form || deployForm.error) reportScreenLoaded();
  }, [appId, jobId, form, deployForm.error, reportScreenLoaded]);

  // While devices are being chosen, their verdicts and installed apps follow the inventory.
  useStoreChanged(['devices', 'deployments'], () => {
    if (step === 0 && !jobId && !moving) void load({});
  });

  const resolvedVersion = version ?? form?.app.version;
  const choose = (devices: string[]) => {
    setChosen(devices);
    // The route remembers them, so a reload comes back to the same choice.
    navigate(deployRoute({ app: appId, version, devices }), true);
  };

  const runPlan = useCallback(
    (next: DeployRequest) => {
      const n = ++planSeq.current;
      setPlanning(true);
      setPlan(null);
      setPlanError(null);
      setStartError(null);
      transport.call('deploy.plan', next).then(
        (answer) => {
          if (n !== planSeq.current) return;
          setPlan(answer);
          setPlanning(false);
        },
        (e: unknown) => {
          if (n !== planSeq.current) return;
          setPlanError(asContractError(e));
          setPlanning(false);
        },
      );
    },
    [transport],
  );

  const toProfile = async () => {
    const answer = await load({ devices: chosen, ...(profile ? { profile } : {}) });
    if (!answer) return setMoving(false);
    const deployable = answer.profiles.filter((p) => p.deployable).map((p) => p.id);
    setProfile((p) =>
      p && deployable.includes(p)
        ? p
        : answer.profile && deployable.includes(answer.profile)
          ? answer.profile
          : deployable.length === 1
            ? (deployable[0] ?? null)
            : null,
    );
    setStep(1);
    setMoving(false);
  };

  const toConfigure = async () => {
    if (!profile) return setMoving(false);
    const answer = await load({ devices: chosen, profile });
    if (!answer) return setMoving(false);
    if (!answer.form) {
      setConfigProblem(`The core has no configuration form for profile ${profile}.`);
      return setMoving(false);
    }
    const old = config.current;
    config.current =
      old && old.profile === profile
        ? configForDevices(old, answer, answer.form, chosen)
        : startingConfig(answer, answer.form, chosen);
    setModel(answer.form);
    setConfigProblem(null);
    setStep(2);
    setMoving(false);
  };

  const toReview = () => {
    const values = config.current;
    if (!model || !values || !profile || !resolvedVersion || !appId) return;
    const bad = devicesWithErrors(asFormModel(model), values, chosen);
    if (bad.length) {
      setConfigProblem(
        `The values for ${bad.join(', ')} have errors: open ${bad.length === 1 ? 'its tab' : 'their tabs'} to see them.`,
      );
      return;
    }
    setConfigProblem(null);
    const next = deployRequest(
      { id: appId, version: resolvedVersion, profile, devices: chosen },
      model,
      values,
    );
    setRequest(next);
    setStep(3);
    runPlan(next);
  };

  const ready = deployableDevices(plan);
  const submit = async () => {
    if (!request || !plan) return;
    const reviewed = Object.fromEntries(
      plan.devices.flatMap((d) => (d.ok && ready.includes(d.device) ? [[d.device, d.digest]] : [])),
    );
    const overrides = Object.fromEntries(
      Object.entries(request.overrides ?? {}).filter(([d]) => ready.includes(d)),
    );
    // Only the devices with something to do, each with the digest the engineer reviewed.
    const start: StartDeploy = { ...request, devices: ready, reviewed, autoRollback };
    if (Object.keys(overrides).length) start.overrides = overrides;
    else delete start.overrides;
    setStarting(true);
    setStartError(null);
    try {
      const { jobId: started } = await transport.call('deploy.start', start);
      // The job's first events may have come before its id did: the list has them either way.
      refreshJobs();
      navigate(deployRoute({ app: appId, version, devices: ready, job: started }), true);
    } catch (e) {
      setStartError(asContractError(e));
    } finally {
      setStarting(false);
    }
  };

  const newDeploy = () => {
    setStep(0);
    setPlan(null);
    setRequest(null);
    navigate(deployRoute({ app: appId, version, devices: chosen }), true);
    void load({});
  };

  const busy = deployForm.loading || planning || starting || moving;
  const profileChoice = form?.profiles.find((p) => p.id === profile);
  const canNext =
    !busy &&
    (step === 0
      ? chosen.length > 0
      : step === 1
        ? profileChoice?.deployable === true
        : step === 2
          ? configValid
          : false);
  const next = () => {
    if (moving) return;
    setConfigProblem(null);
    if (step === 0) {
      setMoving(true);
      void toProfile();
    } else if (step === 1) {
      setMoving(true);
      void toConfigure();
    } else if (step === 2) toReview();
  };
  const back = () => {
    setConfigProblem(null);
    setStartError(null);
    setStep((s) => Math.max(0, s - 1));
  };

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
            data-testid="deploy-to-app"
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
          {deployForm.error && (
            <ErrorAlert
              error={deployForm.error}
              title="The deploy form could not be made"
              testId="deploy-error"
            />
          )}
          {shown === 0 && form && (
            <Box data-testid="deploy-step-devices">
              <DevicesStep devices={form.devices} chosen={chosen} onChosen={choose} />
            </Box>
          )}
          {shown === 1 && form && (
            <Box data-testid="deploy-step-profile">
              <ProfileStep
                form={form}
                chosenDevices={chosen}
                profile={profile}
                onProfile={setProfile}
              />
            </Box>
          )}
          {shown === 2 && model && config.current && (
            <Box data-testid="deploy-step-configure">
              <ConfigureStep
                model={model}
                devices={chosen}
                config={config.current}
                updatedFrom={chosen.find((d) => form?.installedValues[d] !== undefined) ?? null}
                onValid={setConfigValid}
              />
            </Box>
          )}
          {shown === 3 && (
            <Box data-testid="deploy-step-review">
              <ReviewStep
                plan={plan}
                loading={planning}
                error={planError}
                onPlanAgain={() => request && runPlan(request)}
                autoRollback={autoRollback}
                onAutoRollback={setAutoRollback}
              />
            </Box>
          )}
          {shown === PROGRESS && jobId && (
            <Box data-testid="deploy-step-progress">
              <DeployProgress
                jobId={jobId}
                appId={appId}
                devices={preselected}
                plan={plan}
                onNewDeploy={appId ? newDeploy : null}
              />
            </Box>
          )}
          {configProblem && (
            <Alert severity="error" sx={{ mt: 1 }} data-testid="deploy-config-problem">
              {configProblem}
            </Alert>
          )}
          {startError && (
            <ErrorAlert
              error={startError}
              title="The deploy did not start"
              testId="deploy-start-error"
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
          <Button onClick={back} disabled={step === 0 || starting} data-testid="deploy-back">
            Back
          </Button>
          <Box sx={{ flex: 1 }} />
          {step === 2 && !configValid && (
            <Typography variant="body2" color="error.main" aria-live="polite">
              Correct the fields marked in red to go on.
            </Typography>
          )}
          {step < 3 ? (
            <Button
              variant="contained"
              onClick={next}
              disabled={!canNext}
              data-testid="deploy-next"
            >
              Next
            </Button>
          ) : (
            <Button
              variant="contained"
              onClick={() => void submit()}
              disabled={ready.length === 0 || busy}
              data-testid="deploy-submit"
            >
              {starting ? 'Starting…' : `Deploy to ${plural(ready.length, 'device')}`}
            </Button>
          )}
        </Box>
      )}
    </Box>
  );
}

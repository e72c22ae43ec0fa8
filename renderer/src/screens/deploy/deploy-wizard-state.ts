import { validateConfiguration } from '../../../../shared/configuration/validate-configuration';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type {
  DeployForm,
  DeployPlan,
  DeployRequest,
  StartDeploy,
} from '../../../../shared/contract/deploy';
import type { RequestOf } from '../../../../shared/contract/operations';
import type { ArtifactTrust } from '../../../../shared/contract/trust';
import { auditedUnverified, refusedByPolicy } from '../../../../shared/trust/artifact-trust-words';
import {
  asFormModel,
  configForDevices,
  deployRequest,
  deviceValues,
  devicesWithErrors,
  startingConfig,
  type ConfigState,
  type FormModelView,
} from './config-values';

/** Devices → Profile → Configure → Review; the Deploy step is the job in the route. */
export type WizardStep = 0 | 1 | 2 | 3;

/** The configure step's tab of the values for all devices (the others are device names). */
export const ALL_DEVICES = '';

/** What `deploy.form` is asked next, and what its answer is for. */
export interface FormAsk {
  devices: readonly string[];
  profile: string | null;
  /**
   * What the answer does: choose the route's devices (the first answer), open the next step,
   * or only show what is current (null).
   */
  then: 'choose-route-devices' | 'profile' | 'configure' | null;
  /** Counts the asks, so asking the same again asks again. */
  n: number;
}

/**
 * Everything the deploy wizard keeps, in one place. The one exception by design: the values of
 * `config` are written in place by the form as the engineer types (a keystroke must not redraw
 * the wizard); the reducer only ever replaces the whole ConfigState, and hears of typing
 * through `config-changed` (the number of errors, and of each device's own values).
 */
export interface WizardState {
  appId: string | undefined;
  version: string | undefined;
  /** The devices the route named when the wizard opened (chosen once the first answer is in). */
  preselected: readonly string[];
  step: WizardStep;
  chosen: readonly string[];
  profile: string | null;
  ask: FormAsk;
  /** The newest `deploy.form` answer, and why the newest ask failed. */
  form: DeployForm | null;
  formError: ContractError | null;
  model: FormModelView | null;
  config: ConfigState | null;
  /** The configure step's tab: ALL_DEVICES or a device name. */
  tab: string;
  /** Bumped when a device's tab is reset: its form opens afresh. */
  tabGeneration: number;
  configErrors: number;
  /** How many own values (overrides) each chosen device has. */
  own: Readonly<Record<string, number>>;
  configProblem: string | null;
  /** What is planned (and then deployed); `planAsk` counts "plan again". */
  planRequest: DeployRequest | null;
  planAsk: number;
  autoRollback: boolean;
  /**
   * The host-access digests of the plans whose access to the devices the engineer allowed (the
   * review's checkbox). A new plan with other findings has other digests: asked again.
   */
  hostAccessAllowed: readonly string[];
  /**
   * The take-overs the engineer confirmed, as `device␊installation` (the installation whose
   * deployment it is): a new plan naming another owner is asked again.
   */
  takeOverConfirmed: readonly string[];
  starting: boolean;
  startError: ContractError | null;
}

export type WizardAction =
  | { type: 'choose'; devices: readonly string[] }
  | { type: 'profile'; profile: string }
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'form-answered'; answer: DeployForm }
  | { type: 'form-failed'; error: ContractError }
  /** The inventory or the deployments changed while devices are being chosen. */
  | { type: 'refresh-devices' }
  | { type: 'config-tab'; tab: string }
  | { type: 'config-changed'; errors: number }
  | { type: 'config-reset-device' }
  | { type: 'plan-again' }
  | { type: 'auto-rollback'; on: boolean }
  | { type: 'allow-host-access'; digests: readonly string[] }
  | { type: 'confirm-take-over'; keys: readonly string[] }
  | { type: 'start' }
  | { type: 'start-failed'; error: ContractError }
  | { type: 'started' }
  | { type: 'new-deploy' };

export function initialWizardState(target: {
  appId: string | undefined;
  version: string | undefined;
  preselected: readonly string[];
}): WizardState {
  return {
    ...target,
    step: 0,
    chosen: [],
    profile: null,
    ask: { devices: [], profile: null, then: 'choose-route-devices', n: 0 },
    form: null,
    formError: null,
    model: null,
    config: null,
    tab: ALL_DEVICES,
    tabGeneration: 0,
    configErrors: 0,
    own: {},
    configProblem: null,
    planRequest: null,
    planAsk: 0,
    autoRollback: true,
    hostAccessAllowed: [],
    takeOverConfirmed: [],
    starting: false,
    startError: null,
  };
}

/** From a click on Next until the next step is shown (a second click must not count for the old step). */
export function isMoving(state: WizardState): boolean {
  return state.ask.then === 'profile' || state.ask.then === 'configure';
}

/** The `deploy.form` request for the current ask; null while there is no app. */
export function formRequest(state: WizardState): RequestOf<'deploy.form'> | null {
  if (!state.appId) return null;
  return {
    id: state.appId,
    ...(state.version ? { version: state.version } : {}),
    ...(state.ask.profile ? { profile: state.ask.profile } : {}),
    ...(state.ask.devices.length ? { devices: [...state.ask.devices] } : {}),
  };
}

/** Whether Next may be clicked (`busy`: an answer, a plan or the start is on its way). */
export function canGoNext(state: WizardState, busy: boolean): boolean {
  if (busy) return false;
  if (state.step === 0) return state.chosen.length > 0;
  if (state.step === 1)
    return state.form?.profiles.find((p) => p.id === state.profile)?.deployable === true;
  if (state.step === 2) return state.configErrors === 0;
  return false;
}

/** The device whose installed values the form started from (an update), if any. */
export function updatedFrom(state: WizardState): string | null {
  return state.chosen.find((d) => state.form?.installedValues[d] !== undefined) ?? null;
}

/** The devices a deploy would touch: planned, and not already running exactly this. */
export function deployableDevices(plan: DeployPlan | null): string[] {
  return (plan?.devices ?? []).filter((d) => d.ok && !d.upToDate).map((d) => d.device);
}

/** The devices to deploy to whose plan needs access to the device itself, with what to allow. */
export function hostAccessToAllow(plan: DeployPlan | null): {
  device: string;
  digest: string;
  findings: Extract<DeployPlan['devices'][number], { ok: true }>['hostAccess'];
}[] {
  const ready = deployableDevices(plan);
  return (plan?.devices ?? []).flatMap((d) =>
    d.ok && ready.includes(d.device) && d.hostAccessDigest !== null
      ? [{ device: d.device, digest: d.hostAccessDigest, findings: d.hostAccess }]
      : [],
  );
}

/** True when every host access the plan needs was allowed (or none is needed). */
export function hostAccessSettled(plan: DeployPlan | null, allowed: readonly string[]): boolean {
  return hostAccessToAllow(plan).every((d) => allowed.includes(d.digest));
}

/** The devices to deploy to whose deployment another installation made: taking it over is asked. */
export function takeOversToConfirm(plan: DeployPlan | null): {
  device: string;
  key: string;
  installation: string;
  message: string;
}[] {
  const ready = deployableDevices(plan);
  return (plan?.devices ?? []).flatMap((d) =>
    d.ok && ready.includes(d.device) && d.takeOver
      ? [
          {
            device: d.device,
            key: `${d.device}\n${d.takeOver.owner.installation}`,
            installation: d.takeOver.owner.installation,
            message: d.takeOver.message,
          },
        ]
      : [],
  );
}

/** True when every take-over the plan needs was confirmed (or none is needed). */
export function takeOverSettled(plan: DeployPlan | null, confirmed: readonly string[]): boolean {
  return takeOversToConfirm(plan).every((d) => confirmed.includes(d.key));
}

/** What a strict trust policy refuses of what the plan would send (then nothing is deployed). */
export function trustRefused(plan: DeployPlan | null): ArtifactTrust[] {
  return refusedByPolicy(plan?.signatures ?? []);
}

/** What an audit policy lets through although its signature is not verified (warned about). */
export function trustWarned(plan: DeployPlan | null): ArtifactTrust[] {
  return auditedUnverified(plan?.signatures ?? []);
}

/**
 * What `deploy.start` is sent: only the devices with something to do, each with the digest
 * the engineer reviewed (and the host access allowed for it), and only their overrides.
 */
export function startRequest(
  request: DeployRequest,
  plan: DeployPlan,
  autoRollback: boolean,
  hostAccessAllowed: readonly string[] = [],
  takeOverConfirmed: readonly string[] = [],
): StartDeploy {
  const ready = deployableDevices(plan);
  const reviewed = Object.fromEntries(
    plan.devices.flatMap((d) => (d.ok && ready.includes(d.device) ? [[d.device, d.digest]] : [])),
  );
  const overrides = Object.fromEntries(
    Object.entries(request.overrides ?? {}).filter(([d]) => ready.includes(d)),
  );
  const start: StartDeploy = { ...request, devices: ready, reviewed, autoRollback };
  const allowed = Object.fromEntries(
    hostAccessToAllow(plan)
      .filter((d) => hostAccessAllowed.includes(d.digest))
      .map((d) => [d.device, d.digest]),
  );
  if (Object.keys(allowed).length > 0) start.hostAccessAllowed = allowed;
  const takeOver = Object.fromEntries(
    takeOversToConfirm(plan)
      .filter((d) => takeOverConfirmed.includes(d.key))
      .map((d) => [d.device, d.installation]),
  );
  if (Object.keys(takeOver).length > 0) start.takeOver = takeOver;
  if (Object.keys(overrides).length) start.overrides = overrides;
  else delete start.overrides;
  return start;
}

function ownCounts(config: ConfigState, devices: readonly string[]): Record<string, number> {
  return Object.fromEntries(devices.map((d) => [d, Object.keys(config.overrides[d] ?? {}).length]));
}

function sameCounts(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** How many fields of a tab's values the validator refuses. */
function errorsOf(model: FormModelView, config: ConfigState, tab: string): number {
  const values = tab === ALL_DEVICES ? config.values : deviceValues(config, tab);
  return validateConfiguration(asFormModel(model), values).length;
}

/** The profile to go on with: the one chosen if still deployable, the core's, or the only one. */
function profileFor(chosen: string | null, answer: DeployForm): string | null {
  const deployable = answer.profiles.filter((p) => p.deployable).map((p) => p.id);
  if (chosen && deployable.includes(chosen)) return chosen;
  if (answer.profile && deployable.includes(answer.profile)) return answer.profile;
  return deployable.length === 1 ? (deployable[0] ?? null) : null;
}

function answered(state: WizardState, answer: DeployForm): WizardState {
  const base: WizardState = {
    ...state,
    form: answer,
    formError: null,
    ask: { ...state.ask, then: null },
  };
  switch (state.ask.then) {
    case 'choose-route-devices': {
      const choosable = new Set(
        answer.devices.filter((d) => d.disabledReason === null).map((d) => d.name),
      );
      return { ...base, chosen: state.preselected.filter((d) => choosable.has(d)) };
    }
    case 'profile':
      return { ...base, profile: profileFor(state.profile, answer), step: 1 };
    case 'configure': {
      if (!answer.form) {
        return {
          ...base,
          configProblem: `The core has no configuration form for profile ${state.profile}.`,
        };
      }
      const old = state.config;
      // What was typed stays when the same profile is configured again.
      const config =
        old && old.profile === state.profile
          ? configForDevices(old, answer, answer.form, state.chosen)
          : startingConfig(answer, answer.form, state.chosen);
      return {
        ...base,
        model: answer.form,
        config,
        tab: ALL_DEVICES,
        tabGeneration: 0,
        configErrors: errorsOf(answer.form, config, ALL_DEVICES),
        own: ownCounts(config, state.chosen),
        configProblem: null,
        step: 2,
      };
    }
    default:
      return base;
  }
}

function next(state: WizardState): WizardState {
  if (isMoving(state)) return state;
  const ask = (then: FormAsk['then']): FormAsk => ({
    devices: state.chosen,
    profile: state.profile,
    then,
    n: state.ask.n + 1,
  });
  switch (state.step) {
    case 0:
      return { ...state, configProblem: null, ask: ask('profile') };
    case 1:
      return state.profile ? { ...state, configProblem: null, ask: ask('configure') } : state;
    case 2: {
      const { model, config, profile, appId } = state;
      const version = state.version ?? state.form?.app.version;
      if (!model || !config || !profile || !version || !appId) return state;
      const bad = devicesWithErrors(asFormModel(model), config, state.chosen);
      if (bad.length) {
        return {
          ...state,
          configProblem: `The values for ${bad.join(', ')} have errors: open ${bad.length === 1 ? 'its tab' : 'their tabs'} to see them.`,
        };
      }
      return {
        ...state,
        configProblem: null,
        startError: null,
        planRequest: deployRequest(
          { id: appId, version, profile, devices: state.chosen },
          model,
          config,
        ),
        planAsk: state.planAsk + 1,
        step: 3,
      };
    }
    default:
      return state;
  }
}

/** The wizard's one reducer: pure, so every step's rule is tested without a screen. */
export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  switch (action.type) {
    case 'choose':
      return { ...state, chosen: action.devices };
    case 'profile':
      return { ...state, profile: action.profile };
    case 'next':
      return next(state);
    case 'back':
      return {
        ...state,
        configProblem: null,
        startError: null,
        step: Math.max(0, state.step - 1) as WizardStep,
      };
    case 'form-answered':
      return answered(state, action.answer);
    case 'form-failed':
      return { ...state, formError: action.error, ask: { ...state.ask, then: null } };
    case 'refresh-devices': {
      if (state.step !== 0 || isMoving(state)) return state;
      // The first answer still chooses the route's devices, whichever ask brings it.
      const then = state.ask.then === 'choose-route-devices' ? state.ask.then : null;
      return { ...state, ask: { devices: [], profile: null, then, n: state.ask.n + 1 } };
    }
    case 'config-tab': {
      if (!state.model || !state.config || action.tab === state.tab) return state;
      return {
        ...state,
        tab: action.tab,
        configErrors: errorsOf(state.model, state.config, action.tab),
      };
    }
    case 'config-changed': {
      if (!state.config) return state;
      const own = ownCounts(state.config, state.chosen);
      if (action.errors === state.configErrors && sameCounts(own, state.own)) return state;
      return { ...state, configErrors: action.errors, own };
    }
    case 'config-reset-device': {
      const { config, model, tab } = state;
      if (!config || !model || tab === ALL_DEVICES) return state;
      const overrides = { ...config.overrides };
      delete overrides[tab];
      const reset: ConfigState = { ...config, overrides };
      return {
        ...state,
        config: reset,
        own: ownCounts(reset, state.chosen),
        configErrors: errorsOf(model, reset, tab),
        tabGeneration: state.tabGeneration + 1,
      };
    }
    case 'plan-again':
      return state.planRequest ? { ...state, planAsk: state.planAsk + 1, startError: null } : state;
    case 'auto-rollback':
      return { ...state, autoRollback: action.on };
    case 'allow-host-access':
      return { ...state, hostAccessAllowed: action.digests };
    case 'confirm-take-over':
      return { ...state, takeOverConfirmed: action.keys };
    case 'start':
      return { ...state, starting: true, startError: null };
    case 'start-failed':
      return { ...state, starting: false, startError: action.error };
    case 'started':
      return { ...state, starting: false };
    case 'new-deploy':
      return {
        ...state,
        step: 0,
        planRequest: null,
        ask: { devices: [], profile: null, then: null, n: state.ask.n + 1 },
      };
  }
}

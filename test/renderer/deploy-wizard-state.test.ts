import { describe, expect, it } from 'vitest';
import type { ContractErrorOf } from '../../shared/contract/contract-error';
import type { DeployPlan } from '../../shared/contract/deploy';
import {
  ALL_DEVICES,
  canGoNext,
  formRequest,
  initialWizardState,
  isMoving,
  hostAccessSettled,
  hostAccessToAllow,
  startRequest,
  takeOverSettled,
  takeOversToConfirm,
  wizardReducer,
  type WizardAction,
  type WizardState,
} from '../../renderer/src/screens/deploy/deploy-wizard-state';
import { demoDeployForm, deviceChoice } from './support/demo-form';

const APP = 'org-commissioner-demo-line-status';
const DEVICES = [
  deviceChoice('line-1'),
  deviceChoice('line-2'),
  deviceChoice('arm', { disabled: 'it is arm64 only' }),
];

function run(state: WizardState, ...actions: WizardAction[]): WizardState {
  return actions.reduce(wizardReducer, state);
}

const start = () =>
  initialWizardState({ appId: APP, version: undefined, preselected: ['line-2', 'arm'] });

/** The wizard on the Configure step for both line devices. */
function configuring(): WizardState {
  const withForm = demoDeployForm({ devices: DEVICES });
  return run(
    start(),
    { type: 'form-answered', answer: demoDeployForm({ devices: DEVICES, withForm: false }) },
    { type: 'choose', devices: ['line-1', 'line-2'] },
    { type: 'next' },
    { type: 'form-answered', answer: demoDeployForm({ devices: DEVICES, withForm: false }) },
    { type: 'next' },
    { type: 'form-answered', answer: withForm },
  );
}

describe('the deploy wizard state', () => {
  it('asks for the app’s form first, and chooses the route’s devices that can be chosen', () => {
    const state = start();
    expect(formRequest(state)).toEqual({ id: APP });
    const answered = wizardReducer(state, {
      type: 'form-answered',
      answer: demoDeployForm({ devices: DEVICES, withForm: false }),
    });
    expect(answered.chosen).toEqual(['line-2']);
    expect(answered.step).toBe(0);
    // Later answers (the inventory changed) do not choose again.
    const again = run(
      { ...answered, chosen: [] },
      { type: 'refresh-devices' },
      { type: 'form-answered', answer: demoDeployForm({ devices: DEVICES, withForm: false }) },
    );
    expect(again.chosen).toEqual([]);
  });

  it('moves to the profile once the form for the chosen devices is in, not before', () => {
    const chosen = run(
      start(),
      { type: 'form-answered', answer: demoDeployForm({ devices: DEVICES, withForm: false }) },
      { type: 'choose', devices: ['line-1'] },
    );
    expect(canGoNext(chosen, false)).toBe(true);
    expect(canGoNext(chosen, true)).toBe(false);
    const asked = wizardReducer(chosen, { type: 'next' });
    expect(isMoving(asked)).toBe(true);
    expect(asked.step).toBe(0);
    expect(formRequest(asked)).toEqual({ id: APP, devices: ['line-1'] });
    // A second click while moving counts for nothing.
    expect(wizardReducer(asked, { type: 'next' })).toBe(asked);
    const moved = wizardReducer(asked, {
      type: 'form-answered',
      answer: demoDeployForm({ devices: DEVICES, withForm: false }),
    });
    expect(moved).toMatchObject({ step: 1, profile: 'line-status-compose' });
    expect(isMoving(moved)).toBe(false);
  });

  it('stays where it was, and says why, when the form could not be made', () => {
    const error: ContractErrorOf<'not-found'> = {
      name: 'not-found',
      message: 'The app is no longer in the catalog.',
      details: { thing: 'application', name: APP },
    };
    const asked = run(start(), { type: 'choose', devices: ['line-1'] }, { type: 'next' });
    const failed = wizardReducer(asked, { type: 'form-failed', error });
    expect(failed).toMatchObject({ step: 0, formError: error });
    expect(isMoving(failed)).toBe(false);
  });

  it('opens Configure with the values to start from, counted as the validator counts', () => {
    const state = configuring();
    expect(state.step).toBe(2);
    expect(formRequest(state)).toEqual({
      id: APP,
      profile: 'line-status-compose',
      devices: ['line-1', 'line-2'],
    });
    expect(state.config?.values).toEqual({ lineName: 'Line 1', pollSeconds: 30, port: 8088 });
    expect(state).toMatchObject({
      tab: ALL_DEVICES,
      configErrors: 0,
      own: { 'line-1': 0, 'line-2': 0 },
    });
    expect(canGoNext(state, false)).toBe(true);
  });

  it('hears of typing only when a count changes', () => {
    const state = configuring();
    expect(wizardReducer(state, { type: 'config-changed', errors: 0 })).toBe(state);
    const broken = wizardReducer(state, { type: 'config-changed', errors: 1 });
    expect(broken.configErrors).toBe(1);
    expect(canGoNext(broken, false)).toBe(false);
    // The form writes a device's own value in place, then tells the wizard.
    state.config!.overrides['line-2'] = { pollSeconds: 60 };
    expect(wizardReducer(state, { type: 'config-changed', errors: 0 }).own).toEqual({
      'line-1': 0,
      'line-2': 1,
    });
  });

  it('counts a device tab’s errors when it opens, and resets its own values afresh', () => {
    const state = configuring();
    state.config!.overrides['line-2'] = { pollSeconds: 2 };
    const onTab = run(
      state,
      { type: 'config-changed', errors: 0 },
      { type: 'config-tab', tab: 'line-2' },
    );
    expect(onTab).toMatchObject({ tab: 'line-2', configErrors: 1 });
    const reset = wizardReducer(onTab, { type: 'config-reset-device' });
    expect(reset.config?.overrides).toEqual({});
    expect(reset).toMatchObject({ configErrors: 0, own: { 'line-1': 0, 'line-2': 0 } });
    expect(reset.tabGeneration).toBe(onTab.tabGeneration + 1);
    // The reset made a new ConfigState: the one the form wrote into is left as it was.
    expect(state.config?.overrides).toEqual({ 'line-2': { pollSeconds: 2 } });
  });

  it('refuses to review values with errors, naming the devices', () => {
    const state = configuring();
    state.config!.overrides['line-2'] = { pollSeconds: 2 };
    const refused = wizardReducer(state, { type: 'next' });
    expect(refused.step).toBe(2);
    expect(refused.configProblem).toBe(
      'The values for line-2 have errors: open its tab to see them.',
    );
    expect(refused.planRequest).toBeNull();
  });

  it('plans what was configured, and plans again when asked', () => {
    const state = configuring();
    state.config!.overrides['line-2'] = { lineName: 'Paint' };
    const review = wizardReducer(state, { type: 'next' });
    expect(review.step).toBe(3);
    expect(review.planRequest).toEqual({
      id: APP,
      version: '1.0.0',
      profile: 'line-status-compose',
      devices: ['line-1', 'line-2'],
      values: { lineName: 'Line 1', pollSeconds: 30, port: 8088 },
      overrides: { 'line-2': { lineName: 'Paint' } },
    });
    const again = wizardReducer(review, { type: 'plan-again' });
    expect(again.planAsk).toBe(review.planAsk + 1);
    expect(again.planRequest).toBe(review.planRequest);
    expect(wizardReducer(review, { type: 'back' }).step).toBe(2);
  });

  it('starts only the devices with something to do, with the digests reviewed', () => {
    const request = {
      id: APP,
      version: '1.0.0',
      profile: 'line-status-compose',
      devices: ['line-1', 'line-2'],
      values: {},
      overrides: { 'line-1': { lineName: 'A' }, 'line-2': { lineName: 'B' } },
    };
    const plan: DeployPlan = {
      devices: [
        {
          ok: true,
          device: 'line-1',
          appId: 'org-commissioner-demo-line-status',
          version: '1.0.0',
          profile: 'line-status-compose',
          deploymentId: 'd1',
          update: null,
          upToDate: false,
          items: [],
          images: [],
          yaml: '',
          digest: 'sha256:1',
          hostAccess: [],
          hostAccessDigest: null,
          warnings: [],
        },
        {
          ok: true,
          device: 'line-2',
          appId: 'org-commissioner-demo-line-status',
          version: '1.0.0',
          profile: 'line-status-compose',
          deploymentId: 'd2',
          update: 1,
          upToDate: true,
          items: [],
          images: [],
          yaml: '',
          digest: 'sha256:2',
          hostAccess: [],
          hostAccessDigest: null,
          warnings: [],
        },
      ],
      signatures: [],
    };
    expect(startRequest(request, plan, false)).toEqual({
      ...request,
      devices: ['line-1'],
      reviewed: { 'line-1': 'sha256:1' },
      overrides: { 'line-1': { lineName: 'A' } },
      autoRollback: false,
    });
  });

  it('sends the host access allowed only for the plans it was allowed for', () => {
    const request = {
      id: APP,
      version: '1.0.0',
      profile: 'p',
      devices: ['line-1'],
      values: {},
    };
    const finding = {
      component: 'c',
      service: 'web',
      rule: 'host-docker-socket' as const,
      severity: 'critical' as const,
      message:
        "service web mounts the device's Docker socket: it can control every container on the device",
      path: 'services.web.volumes[0]',
    };
    const plan: DeployPlan = {
      devices: [
        {
          ok: true,
          device: 'line-1',
          appId: APP,
          version: '1.0.0',
          profile: 'p',
          deploymentId: 'd1',
          update: null,
          upToDate: false,
          items: [],
          images: [],
          yaml: '',
          digest: 'sha256:1',
          hostAccess: [finding],
          hostAccessDigest: 'sha256:h1',
          warnings: [],
        },
      ],
      signatures: [],
    };
    expect(hostAccessToAllow(plan)).toEqual([
      { device: 'line-1', digest: 'sha256:h1', findings: [finding] },
    ]);
    expect(hostAccessSettled(plan, [])).toBe(false);
    expect(startRequest(request, plan, true)).not.toHaveProperty('hostAccessAllowed');
    // Allowed for an earlier plan (another digest): not this one.
    expect(hostAccessSettled(plan, ['sha256:h0'])).toBe(false);
    expect(startRequest(request, plan, true, ['sha256:h0'])).not.toHaveProperty(
      'hostAccessAllowed',
    );
    expect(hostAccessSettled(plan, ['sha256:h1'])).toBe(true);
    expect(startRequest(request, plan, true, ['sha256:h1']).hostAccessAllowed).toEqual({
      'line-1': 'sha256:h1',
    });
  });

  it('sends the take-over only when confirmed for the owner the plan names', () => {
    const request = { id: APP, version: '1.0.0', profile: 'p', devices: ['line-1'], values: {} };
    const owner = { installation: 'inst-ana', engineer: 'Ana', host: 'LAPTOP-7' };
    const plan: DeployPlan = {
      devices: [
        {
          ok: true,
          device: 'line-1',
          appId: APP,
          version: '1.0.0',
          profile: 'p',
          deploymentId: 'd1',
          update: null,
          upToDate: false,
          items: [],
          images: [],
          yaml: '',
          digest: 'sha256:1',
          hostAccess: [],
          hostAccessDigest: null,
          warnings: [],
          takeOver: {
            owner,
            deployedAt: '2026-12-06T09:00:00.000Z',
            revision: 3,
            message: `${APP} on line-1 was installed by Ana on LAPTOP-7 at 2026-12-06T09:00:00.000Z, revision 3: deploying takes it over`,
          },
        },
      ],
      signatures: [],
    };
    const [asked] = takeOversToConfirm(plan);
    expect(asked).toMatchObject({ device: 'line-1', installation: 'inst-ana' });
    expect(takeOverSettled(plan, [])).toBe(false);
    expect(startRequest(request, plan, true)).not.toHaveProperty('takeOver');
    // Confirmed for another owner (an earlier plan): not this one.
    expect(takeOverSettled(plan, ['line-1\ninst-ben'])).toBe(false);
    expect(startRequest(request, plan, true, [], ['line-1\ninst-ben'])).not.toHaveProperty(
      'takeOver',
    );
    const confirmed = run(start(), { type: 'confirm-take-over', keys: [asked!.key] });
    expect(takeOverSettled(plan, confirmed.takeOverConfirmed)).toBe(true);
    expect(startRequest(request, plan, true, [], confirmed.takeOverConfirmed).takeOver).toEqual({
      'line-1': 'inst-ana',
    });
  });

  it('keeps the start’s failure until the engineer goes back or tries again', () => {
    const error: ContractErrorOf<'changed'> = {
      name: 'changed',
      message: 'Review again.',
      details: {},
    };
    const failed = run(
      configuring(),
      { type: 'next' },
      { type: 'start' },
      { type: 'start-failed', error },
    );
    expect(failed).toMatchObject({ starting: false, startError: error });
    expect(wizardReducer(failed, { type: 'plan-again' }).startError).toBeNull();
    expect(wizardReducer(failed, { type: 'new-deploy' })).toMatchObject({
      step: 0,
      planRequest: null,
    });
  });
});

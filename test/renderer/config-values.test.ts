import { describe, expect, it } from 'vitest';
import {
  asFormModel,
  configForDevices,
  deployRequest,
  devicesWithErrors,
  overridesOf,
  sameValue,
  startingConfig,
  whereShort,
} from '../../renderer/src/screens/deploy/config-values';
import { demoDeployForm, deviceChoice } from './support/demo-form';

const TWO = [deviceChoice('line-1'), deviceChoice('line-2')];

function modelOf(form: ReturnType<typeof demoDeployForm>) {
  if (!form.form) throw new Error('the demo form has no model');
  return form.form;
}

describe('the wizard values', () => {
  it('start from the defaults for a new deployment', () => {
    const form = demoDeployForm({ devices: TWO });
    const config = startingConfig(form, modelOf(form), ['line-1', 'line-2']);
    expect(config).toEqual({
      profile: 'line-status-compose',
      values: { lineName: 'Line 1', pollSeconds: 30, port: 8088 },
      overrides: {},
    });
  });

  it('start from the first updated device, keeping the others’ differing values as theirs', () => {
    const form = demoDeployForm({
      devices: [
        deviceChoice('line-1', { installed: true }),
        deviceChoice('line-2', { installed: true }),
      ],
      installed: {
        'line-1': { lineName: 'Press', pollSeconds: 10, port: 9000 },
        'line-2': { lineName: 'Paint', pollSeconds: 10, port: 9100 },
      },
    });
    const model = modelOf(form);
    const config = startingConfig(form, model, ['line-1', 'line-2']);
    expect(config.values).toEqual({ lineName: 'Press', pollSeconds: 10, port: 9000 });
    // The port is locked once installed: each device keeps its own, it is no override.
    expect(config.overrides).toEqual({ 'line-2': { lineName: 'Paint' } });
  });

  it('keep what was typed when the devices change, and show a locked field as installed', () => {
    const fresh = demoDeployForm({ devices: TWO });
    const typed = startingConfig(fresh, modelOf(fresh), ['line-1']);
    typed.values.lineName = 'Typed';
    typed.values.port = 1234;
    typed.overrides['line-1'] = { pollSeconds: 60 };
    const update = demoDeployForm({
      devices: [deviceChoice('line-1', { installed: true })],
      installed: { 'line-1': { lineName: 'Press', pollSeconds: 10, port: 9000 } },
    });
    const next = configForDevices(typed, update, modelOf(update), ['line-1']);
    expect(next.values).toEqual({ lineName: 'Typed', pollSeconds: 30, port: 9000 });
    expect(next.overrides).toEqual({ 'line-1': { pollSeconds: 60 } });
  });

  it('send a cleared field as empty, and only what may change', () => {
    const form = demoDeployForm({
      devices: [deviceChoice('line-1', { installed: true }), deviceChoice('line-2')],
      installed: { 'line-1': { lineName: 'Press', pollSeconds: 10, port: 9000 } },
    });
    const model = modelOf(form);
    const config = startingConfig(form, model, ['line-1', 'line-2']);
    config.values.lineName = undefined;
    config.overrides['line-2'] = { pollSeconds: 15, port: 1 };
    const request = deployRequest(
      {
        id: 'org-commissioner-demo-line-status',
        version: '1.0.0',
        profile: 'line-status-compose',
        devices: ['line-1', 'line-2'],
      },
      model,
      config,
    );
    expect(request).toEqual({
      id: 'org-commissioner-demo-line-status',
      version: '1.0.0',
      profile: 'line-status-compose',
      devices: ['line-1', 'line-2'],
      values: { lineName: null, pollSeconds: 10 },
      overrides: { 'line-2': { pollSeconds: 15 } },
    });
  });

  it('name the devices whose values the Margo validator refuses', () => {
    const form = demoDeployForm({ devices: TWO });
    const model = modelOf(form);
    const config = startingConfig(form, model, ['line-1', 'line-2']);
    config.overrides['line-2'] = { pollSeconds: 2 };
    expect(devicesWithErrors(asFormModel(model), config, ['line-1', 'line-2'])).toEqual(['line-2']);
  });

  it('tell a device’s own values from the shared ones, empty values being one', () => {
    const form = demoDeployForm({ devices: TWO });
    const model = modelOf(form);
    const shared = { lineName: 'A', pollSeconds: 30, port: 8088 };
    expect(overridesOf(model, { ...shared, pollSeconds: 45 }, shared)).toEqual({ pollSeconds: 45 });
    expect(sameValue(null, '')).toBe(true);
    expect(sameValue([], undefined)).toBe(true);
    expect(sameValue(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameValue(['a'], ['b'])).toBe(false);
    expect(sameValue(0, '')).toBe(false);
  });

  it('say where a value goes', () => {
    const form = demoDeployForm({ devices: TWO });
    const field = modelOf(form).fields.find((f) => f.parameter === 'pollSeconds');
    expect(field && whereShort(field)).toBe('→ POLL_SECONDS in line-status');
  });
});

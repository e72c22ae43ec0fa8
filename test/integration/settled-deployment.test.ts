import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSettled } from '../../electron/core/deployments/settled-deployment';
import type { DeploymentRecord } from '../../electron/core/store/deployment-journal';
import { beginDeviceOperation } from '../../electron/core/store/device-locks';
import { openStore, type Store } from '../../electron/core/store/store';

/**
 * Which deployments live state may record, on a real store: a deployment read as installing
 * (a health check still starting) must be asked again, unless an operation holds its device.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-settled-'));
let store: Store;

beforeAll(() => {
  store = openStore(join(root, 'home'));
});
afterAll(() => {
  store.close();
  rmSync(root, { recursive: true, force: true });
});

function deployment(state: DeploymentRecord['state']): DeploymentRecord {
  return {
    id: 'd1',
    appId: 'com-example-app',
    version: '1.0.0',
    device: 'line-1',
    profile: 'compose',
    state,
    revision: 1,
    updatedAt: '2026-12-06T10:00:00.000Z',
    knownGood: 1,
    history: 1,
    error: null,
    createdAt: '2026-12-06T10:00:00.000Z',
    takenOver: null,
  };
}

describe('settled deployments (what live state may record)', () => {
  it('installed and failed always; installing only while no operation holds the device', () => {
    expect(isSettled(store, deployment('installed'))).toBe(true);
    expect(isSettled(store, deployment('failed'))).toBe(true);
    expect(isSettled(store, deployment('installing'))).toBe(true);
    expect(isSettled(store, deployment('pending'))).toBe(false);
    expect(isSettled(store, deployment('removing'))).toBe(false);
    expect(isSettled(store, deployment('removed'))).toBe(false);

    const operation = beginDeviceOperation(store, 'line-1', 'deploy', 'd1');
    expect(isSettled(store, deployment('installing'))).toBe(false);
    // Another device's operation changes nothing here.
    expect(isSettled(store, { ...deployment('installing'), device: 'line-2' })).toBe(true);
    operation.finish('succeeded');
    expect(isSettled(store, deployment('installing'))).toBe(true);
  });
});

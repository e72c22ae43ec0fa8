import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoKit } from '../../electron/demo-kit/build-demo-kit';
import { ensureRenderer } from '../../electron/browser-host/ensure-renderer';
import { makeLineAppKit } from '../support/compose-app-fixture';
import { makeBrokenDemoUpdate } from '../support/demo-update-fixture';
import { startFleet } from '../support/docker-fleet';
import { startServe } from '../support/serve-process';
import { E2E_STATE_VARIABLE, newStatePath, type E2eState } from './e2e-state';

/**
 * Before the end-to-end tests: real Docker daemons (the devices), the demo kit and a second
 * kit (an arm64-only app, so the matrix has a reason to show), the built UI, and the browser
 * host started as the engineer starts it, on its own data home.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-e2e-'));
  const fleet = await startFleet({ count: 2 });
  ensureRenderer((line) => process.stderr.write(`e2e: ${line}\n`));
  await buildDemoKit();
  const armKit = await makeLineAppKit(join(root, 'arm-app'), {
    id: 'com-example-arm-gateway',
    deviceConstraints:
      '      capacityRequirements:\n        cpu:\n          cores: 1\n          architectures: [arm64]',
  });
  const brokenUpdate = await makeBrokenDemoUpdate(join(root, 'demo-broken'));
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  // The app also serves Margo devices (as `serve --margo`), on loopback and free ports.
  const server = await startServe(home, [
    '--margo',
    '--margo-host',
    '127.0.0.1',
    '--margo-port',
    '0',
    '--margo-trust-port',
    '0',
  ]);
  const state: E2eState = {
    url: server.url,
    root,
    devices: fleet.daemons.map((d) => ({
      url: d.url,
      host: d.host,
      ca: d.tls.caPath,
      cert: d.tls.certPath,
      key: d.tls.keyPath,
    })),
    armKit: armKit.kit,
    brokenUpdate,
    home,
  };
  const statePath = newStatePath();
  writeFileSync(statePath, JSON.stringify(state));
  process.env[E2E_STATE_VARIABLE] = statePath;
  return async () => {
    await server.stop();
    await fleet.stop();
  };
}

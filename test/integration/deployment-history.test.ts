import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentDetail, DeploymentSummary } from '../../electron/core/store/deployment-journal';
import { importSources } from '../../electron/core/import/import-sources';
import { openStore } from '../../electron/core/store/store';
import {
  LINE_APP,
  LINE_COMPONENT,
  makeLineAppKit,
  type LineAppKit,
} from '../support/compose-app-fixture';
import { fleetDocker, projectContainersByService } from '../support/device-files';
import { addFleetDevices } from '../support/fleet-inventory';
import { startFleet, type Fleet } from '../support/docker-fleet';
import { runCli } from '../support/run-cli';

/**
 * Removal ends a deployment's history (issue 16), through the real CLI on a real device: after
 * remove and a new deploy, neither the automatic rollback of a failed revision nor a manual
 * one goes back to a revision from before the removal, and `show` never offers one.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-history-'));
const home = join(root, 'home');
const PROJECT = `${LINE_APP}-${LINE_COMPONENT}`;
let fleet: Fleet;
let kit: LineAppKit;
const cli = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: home }, cwd: root });

async function list(all = false): Promise<DeploymentSummary[]> {
  const run = await cli(['deployments', 'list', '--json', ...(all ? ['--all'] : [])]);
  expect(run.code, run.stderr).toBe(0);
  return DeploymentSummary.array().parse(JSON.parse(run.stdout));
}

async function show(id: string): Promise<DeploymentDetail> {
  const run = await cli(['deployments', 'show', id, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return DeploymentDetail.parse(JSON.parse(run.stdout));
}

beforeAll(async () => {
  fleet = await startFleet({ count: 1 });
  kit = await makeLineAppKit(join(root, 'app'));
  const store = openStore(home);
  try {
    await importSources(store, [{ input: kit.kit, path: kit.kit }]);
    addFleetDevices(store, fleet.daemons, ['press']);
  } finally {
    store.close();
  }
}, 180_000);

afterAll(async () => {
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('revisions that exist', { timeout: 240_000 }, () => {
  it('rollback after remove and a new deploy never restores a removed revision', async () => {
    const docker = fleetDocker(fleet.daemons[0]!);
    const deploy = (...set: string[]) =>
      cli(['deploy', LINE_APP, '--device', 'press', ...set.flatMap((s) => ['--set', s]), '--yes']);
    expect((await deploy()).code).toBe(0);
    const first = await deploy('pollSeconds=7');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const id = (await list())[0]!.id;
    expect((await show(id)).rollbackTo).toBe(1);

    const removed = await cli(['deployments', 'remove', id, '--yes']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(await list()).toEqual([]);
    expect(await list(true)).toEqual([expect.objectContaining({ id, state: 'removed' })]);
    const gone = await show(id);
    expect(gone.revisions.map((r) => [r.revision, r.history, r.outcome])).toEqual([
      [1, 1, 'superseded'],
      [2, 1, 'removed'],
    ]);
    expect(gone).toMatchObject({ knownGood: null, rollbackTo: null, history: 2 });
    const refusedRemoved = await cli(['deployments', 'rollback', id, '--yes']);
    expect(refusedRemoved.code).toBe(1);
    expect(refusedRemoved.stderr).toContain('was removed');

    // The first revision after the removal fails: there is nothing of this history to go back to.
    const broken = await deploy('mode=broken');
    expect(broken.code).toBe(1);
    expect(broken.stdout + broken.stderr).not.toMatch(/rolled back to revision/);
    const failed = await show(id);
    expect(failed).toMatchObject({ state: 'failed', revision: 3, history: 2, rollbackTo: null });
    expect(failed.revisions.map((r) => [r.revision, r.history, r.outcome])).toEqual([
      [1, 1, 'superseded'],
      [2, 1, 'removed'],
      [3, 2, 'failed'],
    ]);
    expect(failed.events.map((e) => e.message).join('\n')).not.toMatch(/rolling back to revision/);
    const refused = await cli(['deployments', 'rollback', id, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nothing to roll back to');
    expect((await show(id)).revision).toBe(3);

    // Within the new history, rollback works as before: to revision 4, never to 1 or 2.
    expect((await deploy('mode=normal')).code).toBe(0);
    const again = await deploy('mode=broken');
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('rolled back to revision 4');
    const after = await show(id);
    expect(after).toMatchObject({ state: 'installed', revision: 4, knownGood: 4 });
    expect(after.revisions.map((r) => [r.revision, r.outcome])).toEqual([
      [1, 'superseded'],
      [2, 'removed'],
      [3, 'failed'],
      [4, 'installed'],
      [5, 'rolled-back'],
    ]);
    const containers = await projectContainersByService(docker, PROJECT);
    for (const c of containers.values()) expect(c.State).toBe('running');
  });
});

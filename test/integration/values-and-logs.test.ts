import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import { LogFollows } from '../../electron/core/contract-handlers/log-follows';
import { importSources } from '../../electron/core/import/import-sources';
import { openStore } from '../../electron/core/store/store';
import { MASK } from '../../shared/configuration/secret-heuristic';
import {
  DeployPlan,
  SavedLogsView,
  ServiceLogsView,
  type LogsText,
} from '../../shared/contract/deploy';
import { DeploymentDetail, DeploymentListEntry } from '../../shared/contract/deployments';
import type { EventMessage } from '../../shared/contract/wire';
import {
  LINE_APP,
  LINE_COMPONENT,
  LINE_IMAGE,
  makeLineAppKit,
} from '../support/compose-app-fixture';
import { coreCalls } from '../support/core-calls';
import { startFleet, type Fleet } from '../support/docker-fleet';
import { addFleetDevices } from '../support/fleet-inventory';
import { CLI, runCli } from '../support/run-cli';

/**
 * Values you can see, and logs that follow, against real Docker daemons through the app core:
 * the review lists each device's values, where they go and which differ (secrets masked); the
 * deployment's detail says what each revision changed and what a rollback changes back; a
 * container writing a line every 200 ms shows up while followed, nothing comes once the
 * follow is stopped or lapsed, and the downloaded file holds every line.
 */
const TICKER_COMPOSE = `services:
  ticker:
    image: ${LINE_IMAGE}
    environment:
      SITE_NAME: \${SITE_NAME:-unknown}
      POLL_SECONDS: \${POLL_SECONDS}
      ADMIN_PASSWORD: \${ADMIN_PASSWORD}
    command:
      - sh
      - -c
      - i=0; while true; do i=$$((i+1)); echo "tick $$i at $$SITE_NAME"; sleep 0.2; done
    stop_grace_period: 1s
  quiet:
    image: ${LINE_IMAGE}
    command: ["sleep", "100000"]
    stop_grace_period: 1s
`;
const SECRET = 'hunter2-plant-secret';
const root = mkdtempSync(join(tmpdir(), 'commissioner-values-logs-'));
const home = join(root, 'home');
let fleet: Fleet;
let core: AppCore;
const events: EventMessage[] = [];
/** When each `logs.text` event reached the face. */
const arrived = new Map<EventMessage, number>();
const { call, waitForJob } = coreCalls(() => core);
const cli = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: home }, cwd: root });

function request(devices: string[], values: Record<string, unknown>, overrides = {}) {
  return {
    id: LINE_APP,
    version: '1.0.0',
    profile: 'line-app-compose',
    devices,
    values,
    overrides,
  };
}

async function deploy(devices: string[], values: Record<string, unknown>) {
  const plan = DeployPlan.parse(await call('deploy.plan', request(devices, values)));
  const reviewed = Object.fromEntries(
    plan.devices.flatMap((d) => (d.ok ? [[d.device, d.digest]] : [])),
  );
  const { jobId } = await call<{ jobId: string }>('deploy.start', {
    ...request(devices, values),
    reviewed,
  });
  const job = await waitForJob(jobId);
  expect(job.outcomes?.map((o) => o.state)).toEqual(devices.map(() => 'installed'));
}

/** The text of `logs.text` events of `stream` seen so far, by container. */
function followed(stream: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) {
    if (e.event !== 'logs.text') continue;
    const p = e.payload as LogsText;
    if (p.stream === stream) out[p.service] = (out[p.service] ?? '') + p.text;
  }
  return out;
}

const ticks = (text: string) => [...text.matchAll(/tick (\d+) at/g)].map((m) => Number(m[1]));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let id = '';

beforeAll(async () => {
  fleet = await startFleet({ count: 2 });
  const kit = await makeLineAppKit(join(root, 'app'), { compose: TICKER_COMPOSE });
  const store = openStore(home);
  try {
    await importSources(store, [{ input: kit.kit, path: kit.kit }]);
    addFleetDevices(store, fleet.daemons, ['press-61', 'press-62']);
  } finally {
    store.close();
  }
  core = await createAppCore({ host: 'browser', home });
  core.onEvent((e) => {
    events.push(e);
    if (e.event === 'logs.text') arrived.set(e, Date.now());
  });
}, 180_000);

afterAll(async () => {
  await core?.close();
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('values you can see', { timeout: 180_000 }, () => {
  it('the review lists each value, where it goes, which differ; secrets masked', async () => {
    const plan = DeployPlan.parse(
      await call(
        'deploy.plan',
        request(
          ['press-61', 'press-62'],
          { siteName: 'Press Hall A', adminPassword: SECRET },
          { 'press-62': { pollSeconds: 7 } },
        ),
      ),
    );
    const values = Object.fromEntries(
      plan.devices.map((d) => [d.device, d.ok ? (d.values ?? []) : []]),
    );
    const of = (device: string, parameter: string) =>
      values[device]?.find((v) => v.parameter === parameter);
    expect(of('press-61', 'siteName')).toEqual({
      parameter: 'siteName',
      setting: 'Site',
      value: 'Press Hall A',
      secret: false,
      targets: [{ component: LINE_COMPONENT, kind: 'environment variable', pointer: 'SITE_NAME' }],
      own: false,
      differs: false,
    });
    expect(of('press-62', 'pollSeconds')).toMatchObject({ value: '7', own: true, differs: true });
    expect(of('press-61', 'pollSeconds')).toMatchObject({ value: '30', own: false, differs: true });
    expect(of('press-61', 'adminPassword')).toMatchObject({ value: MASK, secret: true });
    expect(JSON.stringify(plan)).not.toContain(SECRET);
  });

  it('deploy --dry-run says the same values in words', async () => {
    const run = await cli([
      'deploy',
      LINE_APP,
      '--device',
      'press-61,press-62',
      '--set',
      'siteName=Press Hall A',
      '--set',
      `adminPassword=${SECRET}`,
      '--dry-run',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `    siteName = Press Hall A → environment variable SITE_NAME of ${LINE_COMPONENT}\n`,
    );
    expect(run.stdout).toContain(
      `    adminPassword = ${MASK} → environment variable ADMIN_PASSWORD of ${LINE_COMPONENT}\n`,
    );
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('the detail says what each revision changed and what a rollback changes back', async () => {
    await deploy(['press-61'], { siteName: 'Press Hall A', adminPassword: SECRET });
    await deploy(['press-61'], { siteName: 'Press Hall B', adminPassword: `${SECRET}-2` });
    const [entry] = DeploymentListEntry.array().parse(await call('deployments.list'));
    id = entry?.id ?? '';
    const detail = DeploymentDetail.parse(await call('deployments.show', { id }));
    const second = detail.revisions.find((r) => r.revision === 2);
    expect(second?.changes?.words).toMatch(
      /^adminPassword changed \(secret\); siteName: Press Hall A → Press Hall B; deployment digest sha256:[0-9a-f]{12}… → sha256:[0-9a-f]{12}…$/,
    );
    expect(detail.revisions.find((r) => r.revision === 1)?.changes).toBeNull();
    expect(detail.rollbackTo).toBe(1);
    expect(detail.rollbackChanges?.changes.map((c) => [c.kind, c.subject, c.from, c.to])).toEqual([
      ['value', 'adminPassword', null, null],
      ['value', 'siteName', 'Press Hall B', 'Press Hall A'],
      ['digest', null, expect.any(String), expect.any(String)],
    ]);
    expect(JSON.stringify(detail)).not.toContain(SECRET);
  });
});

describe('logs that follow', { timeout: 120_000 }, () => {
  it('say why a container has no output', async () => {
    const logs = ServiceLogsView.parse(await call('deployments.logs', { id }));
    expect(logs.map((l) => l.service)).toEqual(['quiet', 'ticker']);
    expect(logs[0]).toMatchObject({
      text: '',
      quiet: 'the container runs and has written nothing yet',
    });
    expect(logs[1]?.text).toContain('at Press Hall B');
    expect(logs[1]?.quiet).toBeUndefined();
  });

  it('stream new lines while followed, and nothing once stopped', async () => {
    const { stream } = await call<{ stream: string }>('deployments.followLogs', { id });
    await sleep(1500);
    const seen = ticks(followed(stream).ticker ?? '');
    // A line every 200 ms: several in 1.5 s, each the next one.
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen).toEqual(seen.map((_, i) => (seen[0] ?? 0) + i));
    // From the container's echo (Docker's timestamp) to the event: the batching, not more.
    const delays = events.flatMap((e) => {
      const p = e.payload as LogsText;
      if (e.event !== 'logs.text' || p.stream !== stream) return [];
      return [...p.text.matchAll(/^(\S+) tick/gm)].map(
        (m) => (arrived.get(e) ?? 0) - Date.parse(m[1] ?? ''),
      );
    });
    const worst = Math.max(...delays);
    console.log(`follow: ${delays.length} lines, slowest from echo to event ${worst} ms`);
    expect(worst).toBeLessThan(2000);
    // Renewing keeps the same stream.
    expect(await call('deployments.followLogs', { id, renew: stream })).toEqual({ stream });
    await call('deployments.stopLogs', { stream });
    await sleep(300); // a batch already on its way may still land
    const after = ticks(followed(stream).ticker ?? '').length;
    await sleep(1000);
    expect(ticks(followed(stream).ticker ?? '').length).toBe(after);
  });

  it('stops a follow nobody renews (a window closed without saying so)', async () => {
    const store = openStore(home);
    const lapsed: EventMessage[] = [];
    const follows = new LogFollows((event, payload) => lapsed.push({ event, payload }), 800);
    try {
      await follows.follow(store, { id });
      expect(follows.open).toBe(1);
      await sleep(1200);
      expect(follows.open).toBe(0);
      const count = lapsed.length;
      expect(count).toBeGreaterThan(0);
      await sleep(800);
      expect(lapsed.length).toBe(count);
    } finally {
      follows.close();
      store.close();
    }
  });

  it('downloads every line of every container', async () => {
    const saved = SavedLogsView.parse(
      await call('deployments.saveLogs', { id, to: { kind: 'download' } }),
    );
    expect(saved).toMatchObject({ containers: 2, file: null });
    const download = core.takeDownload(saved.download?.token ?? '');
    const text = readFileSync(download?.file?.path ?? '', 'utf8');
    expect(download?.file?.size).toBe(Buffer.byteLength(text));
    expect(text).toMatch(/^==> line-app\/quiet \(.+\)\n\(no output: the container runs/);
    const all = ticks(text);
    // From the first line on, none missing: the whole log, not its tail.
    expect(all[0]).toBe(1);
    expect(all.length).toBeGreaterThan(10);
    expect(all).toEqual(all.map((_, i) => i + 1));
  });

  it('the CLI writes every line to a file, and follows until Ctrl-C', async () => {
    const file = join(root, 'all.log');
    const saved = await cli(['deployments', 'logs', id, '--output', file]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/^2 containers, \d+ bytes written to /);
    expect(ticks(readFileSync(file, 'utf8'))[0]).toBe(1);

    const child = spawn(
      process.execPath,
      [CLI, 'deployments', 'logs', id, '--tail', '1', '--follow'],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1', COMMISSIONER_HOME: home },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const closed = new Promise<number | null>((done) => child.on('close', done));
    // The last line first, then new ones as `ticker | …` until interrupted.
    for (let waited = 0; ticks(stdout).length < 6 && waited < 30_000; waited += 100)
      await sleep(100);
    child.kill('SIGINT');
    expect(await closed).toBe(0);
    expect(stdout).toContain('(no output: the container runs and has written nothing yet)');
    const followedTicks = [...stdout.matchAll(/^ticker \| \S+ tick (\d+) at/gm)].map((m) =>
      Number(m[1]),
    );
    expect(followedTicks.length).toBeGreaterThanOrEqual(4);
    expect(followedTicks).toEqual(followedTicks.map((_, i) => (followedTicks[0] ?? 0) + i));
  });
});

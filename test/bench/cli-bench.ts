import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importSources } from '../../electron/core/import/import-sources';
import { openStore } from '../../electron/core/store/store';
import { CLI, REPO_ROOT } from '../support/run-cli';
import { writePackagesKit } from './generate-packages';
import type { Measure } from './run';

/** Rounds per command; odd, so the median is one real run. */
const ROUNDS = 31;
const APPS = 1000;

interface Command {
  name: string;
  args: string[];
  /** Checks a run did the real work, so a fast failure cannot pass for a fast start. */
  check(stdout: string): void;
}

function runOnce(command: Command, env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, command.args, {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const ms = performance.now() - start;
  if (run.status !== 0)
    throw new Error(`${command.name} exited ${run.status}: ${run.stderr.trim().slice(0, 500)}`);
  command.check(run.stdout);
  return ms;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Start-up of the `commissioner` command against a bare `node -e 0` measured in the same
 * rounds: each round runs the three once, in turn, so load from the other work on the
 * machine falls on all of them alike; the medians are compared.
 */
export async function cliBenchmarks(): Promise<Measure[]> {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-cli-bench-'));
  try {
    const home = join(root, 'home');
    await writePackagesKit(join(root, 'kit'), APPS, join(root, 'packages'));
    const store = openStore(home);
    const report = await importSources(store, [{ input: 'kit', path: join(root, 'kit') }]);
    store.close();
    if (report.imported.length !== APPS)
      throw new Error(`the bench store holds ${report.imported.length} apps, not ${APPS}`);

    const env = { ...process.env, COMMISSIONER_HOME: home, NO_COLOR: '1' };
    const commands: Command[] = [
      { name: 'node -e 0', args: ['-e', '0'], check: () => undefined },
      {
        name: 'commissioner --help',
        args: [CLI, '--help'],
        check: (out) => {
          if (!out.includes('Usage: commissioner')) throw new Error('--help printed no usage');
        },
      },
      {
        name: `commissioner catalog list --json (${APPS} apps)`,
        args: [CLI, 'catalog', 'list', '--json'],
        check: (out) => {
          const n = (JSON.parse(out) as unknown[]).length;
          if (n !== APPS) throw new Error(`catalog list --json listed ${n} apps, not ${APPS}`);
        },
      },
    ];
    // The first run rebuilds the bundle if a source changed; two more warm the page cache.
    for (const command of commands) for (let i = 0; i < 3; i++) runOnce(command, env);
    const times = commands.map(() => [] as number[]);
    for (let r = 0; r < ROUNDS; r++)
      commands.forEach((command, i) => times[i]!.push(runOnce(command, env)));

    const [bare, help, list] = times.map(median) as [number, number, number];
    const ms = (x: number) => `${round(x, 0)} ms`;
    const helpRatio = round(help / bare);
    const listRatio = round(list / bare);
    return [
      {
        name: 'commissioner --help vs node -e 0 (medians, same rounds)',
        value: helpRatio,
        unit: '×',
        target: '≤ 4',
        pass: helpRatio <= 4,
        detail: `${ms(help)} vs ${ms(bare)}, ${ROUNDS} rounds`,
      },
      {
        name: `commissioner catalog list --json with ${APPS} apps vs node -e 0 (medians, same rounds)`,
        value: listRatio,
        unit: '×',
        target: '≤ 6',
        pass: listRatio <= 6,
        detail: `${ms(list)} vs ${ms(bare)}, ${ROUNDS} rounds`,
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

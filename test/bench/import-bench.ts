import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { copyFile, open } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { importSources } from '../../electron/core/import/import-sources';
import { searchCatalog, searchCatalogInSql } from '../../electron/core/store/catalog-reader';
import { openStore, type Store } from '../../electron/core/store/store';
import { inspectPackageDirectory } from '../../electron/core/validation/validate-path';
import { inParallel } from '../../electron/core/deployments/in-parallel';
import { makeKit, makePackageFixture } from '../support/kit-fixture';
import { CLI } from '../support/run-cli';
import { writePackageFolders, writePackagesKit } from './generate-packages';
import { raisePriority } from './raised-priority';
import type { Measure } from './run';

const REPO = new URL('../..', import.meta.url).pathname;
const BATCH = 10_000;
const BATCHES = 5;
const GIB = 1024 ** 3;

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
/** The machine is shared: each measure says how busy it was (1-minute load average, 2 cores). */
const load = () => `load ${round(loadavg()[0] as number, 1)}`;

/**
 * Imports, each measured against a reference taken in the same run on the same files: the
 * durable copy of what the import keeps, the first of five successive batches, SQLite's own
 * ranking of the same searches, `skopeo copy` and `cp` + fsync of the same 1 GiB.
 */
/** The parts of `npm run bench import`, each also run alone as `import:<part>`. */
export const IMPORT_PARTS = {
  small: smallImports,
  store: successiveImports,
  copy: copyFloor,
} as const;

export async function importBenchmarks(
  parts: readonly (keyof typeof IMPORT_PARTS)[] = ['small', 'store', 'copy'],
): Promise<Measure[]> {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-bench-'));
  try {
    const measures: Measure[] = [];
    for (const part of parts) measures.push(...(await IMPORT_PARTS[part](root)));
    return measures;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

/**
 * The floor of keeping a tree of files: each copied and fsynced (as many at once as the import
 * syncs), then its folders. What an import must do at the least with the bytes it keeps.
 */
async function copyDurably(from: string, to: string): Promise<void> {
  const files: [string, string][] = [];
  const dirs: string[] = [];
  const walk = (source: string, target: string) => {
    mkdirSync(target, { recursive: true });
    dirs.push(target);
    for (const name of readdirSync(source)) {
      const s = join(source, name);
      const t = join(target, name);
      if (statSync(s).isDirectory()) walk(s, t);
      else files.push([s, t]);
    }
  };
  walk(from, to);
  await inParallel(
    files,
    async ([s, t]) => {
      await copyFile(s, t);
      await fsyncPath(t);
    },
    16,
  );
  for (const dir of dirs) await fsyncPath(dir);
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Bytes a tree takes on disk (blocks, as `du` counts them). */
function diskBytes(path: string): number {
  return Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]) * 1024;
}

/**
 * 1,000 packages from one kit, and from a stick of 1,000 package folders, against the floor
 * of the same work: checking the same packages (`validate`, which parses and checks each
 * description as the import does) plus a durable copy of the same files.
 */
async function smallImports(root: string): Promise<Measure[]> {
  await writePackagesKit(join(root, 'kit-1000'), 1000, join(root, 'packages-1000'));
  const folders = readdirSync(join(root, 'packages-1000')).map((f) =>
    join(root, 'packages-1000', f),
  );
  const validated = await timed(async () => {
    let valid = 0;
    for (const folder of folders)
      if ((await inspectPackageDirectory(folder, folder)).description?.result.valid) valid++;
    return valid;
  });
  if (validated.value !== 1000) throw new Error(`${validated.value} of 1,000 packages are valid`);
  const measures: Measure[] = [];
  for (const [label, source, target] of [
    // A kit is one commit; each folder is a commit of its own (all or nothing per package),
    // with the two flushes that takes, so a stick of folders is allowed more.
    ['1,000 packages from one kit', 'kit-1000', 2.5],
    ['1,000 package folders (a stick)', 'packages-1000', 3.5],
  ] as const) {
    const store = openStore(join(root, `home-${source}`));
    const imported = await timed(() =>
      importSources(store, [{ input: source, path: join(root, source) }]),
    );
    store.close();
    const copy = await timed(() => copyDurably(join(root, source), join(root, `copy-${source}`)));
    rmSync(join(root, `copy-${source}`), { recursive: true, force: true });
    const floor = validated.ms + copy.ms;
    const ratio = round(imported.ms / floor);
    measures.push({
      name: `import ${label} vs validating them plus a durable copy of the files (cp + fsync each)`,
      value: ratio,
      unit: '×',
      target: `≤ ${target}`,
      pass: ratio <= target && imported.value.imported.length === 1000,
      detail: `import ${round(imported.ms / 1000)} s; validate ${round(validated.ms / 1000)} s, copy ${round(copy.ms / 1000)} s; ${imported.value.imported.length} imported; ${load()}`,
    });
  }
  return measures;
}

const QUERIES = [
  'press',
  'mon',
  'vision qual',
  'gateway modbus',
  'hist',
  'ener meter',
  'robot weld',
  'northstar',
  'pack lab',
  'oven',
  'zz-none',
  'line 42',
  'conveyor',
  'fieldbus',
  'chill',
  'scan',
];

/** p95 and mean matches of a search box's queries (the best 50 and the total), after a warm-up. */
function searchP95(
  search: (query: string) => { total: number },
  rounds: number,
): { p95: number; matches: number } {
  for (let i = 0; i < 2 * QUERIES.length; i++) search(QUERIES[i % QUERIES.length] as string);
  const times: number[] = [];
  let matches = 0;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    matches += search(QUERIES[i % QUERIES.length] as string).total;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    p95: round(times[Math.floor(times.length * 0.95)] as number),
    matches: Math.round(matches / rounds),
  };
}

/** The keystroke search against SQLite ranking the same searches, and its absolute target. */
function searchMeasure(store: Store, packages: string, targetMs: number): Measure {
  const ours = searchP95((q) => searchCatalog(store.db, q), 800);
  const sql = searchP95((q) => searchCatalogInSql(store.db, q), 160);
  const ratio = round(ours.p95 / sql.p95);
  return {
    name: `catalog search p95 over ${packages} packages (best 50 + total) vs SQLite's bm25 ranking of the same searches`,
    value: ratio,
    unit: '×',
    target: `≤ 0.5, and p95 < ${targetMs} ms`,
    pass: ratio <= 0.5 && ours.p95 < targetMs && ours.matches === sql.matches,
    detail: `p95 ${ours.p95} ms, SQLite ${sql.p95} ms; ${ours.matches} matches a query on average; ${load()}`,
  };
}

/**
 * Five kits of 10,000 packages imported one after the other into one store: the last batch
 * must cost what the first did. Searches are measured after the first (10,000) and the last
 * (50,000), and the store's size per package against the kits' own.
 */
async function successiveImports(root: string): Promise<Measure[]> {
  const kits: string[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const kit = join(root, `kit-10000-${b}`);
    await writePackagesKit(kit, BATCH, join(root, `packages-10000-${b}`), b * BATCH);
    rmSync(join(root, `packages-10000-${b}`), { recursive: true, force: true });
    kits.push(kit);
  }
  const home = join(root, 'home-50000');
  const store = openStore(home);
  const measures: Measure[] = [];
  const seconds: number[] = [];
  const cpu: number[] = [];
  const loads: string[] = [];
  // The batches are compared with each other, so a burst of other work on a shared machine
  // must not fall on one of them alone: they run with this session's priority raised (as the
  // devices bench does), which leaves the disk's and the kernel's share as the only noise.
  const raised = raisePriority();
  try {
    for (const [b, kit] of kits.entries()) {
      const used = process.cpuUsage();
      const run = await timed(() => importSources(store, [{ input: kit, path: kit }]));
      const { user, system } = process.cpuUsage(used);
      if (run.value.imported.length !== BATCH)
        throw new Error(`batch ${b + 1} imported ${run.value.imported.length}, not ${BATCH}`);
      seconds.push(round(run.ms / 1000, 1));
      cpu.push(round((user + system) / 1e6, 1));
      loads.push(load().replace('load ', ''));
      process.stderr.write(
        `bench: batch ${b + 1} of ${BATCHES}: ${seconds.at(-1)} s (${load()})\n`,
      );
      if (b === 0) measures.push(searchMeasure(store, '10,000', 5));
    }
    measures.push(searchMeasure(store, '50,000', 8));
  } finally {
    raised?.restore();
    store.close();
  }
  measures.push(...(await smallIntoLarge(root, home)));
  const ratio = round((seconds.at(-1) as number) / (seconds[0] as number));
  measures.unshift({
    name: `import ${BATCHES} × 10,000 packages into one store: the last batch vs the first`,
    value: ratio,
    unit: '×',
    target: '≤ 1.2',
    pass: ratio <= 1.2,
    detail: `batches ${seconds.join(', ')} s (CPU ${cpu.join(', ')} s; load ${loads.join(', ')}); ${raised ? raised.what : 'at normal priority (a raised one was refused)'}`,
  });
  const storeBytes = diskBytes(home) / (BATCH * BATCHES);
  const kitBytes = kits.reduce((sum, kit) => sum + diskBytes(kit), 0) / (BATCH * BATCHES);
  const size = round(storeBytes / kitBytes);
  measures.push({
    name: 'the store on disk per package vs the kits it came from',
    value: size,
    unit: '×',
    target: '≤ 2',
    pass: size <= 2,
    detail: `${round(storeBytes / 1024, 1)} KiB a package in the store (blobs, catalog, search), ${round(kitBytes / 1024, 1)} KiB in the kits`,
  });
  return measures;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

/**
 * What a plant does every day once its store is large: one package imported, one command
 * started. Each against the same into an empty store, in alternating rounds.
 */
async function smallIntoLarge(root: string, large: string): Promise<Measure[]> {
  const ROUNDS = 7;
  const folders = join(root, 'one-package');
  await writePackageFolders(folders, 2 * ROUNDS, BATCH * BATCHES);
  const empty = join(root, 'home-empty');
  const into = async (home: string, i: number) => {
    const store = openStore(home);
    try {
      const path = join(folders, `pkg-${BATCH * BATCHES + i}`);
      const run = await timed(() => importSources(store, [{ input: path, path }]));
      if (run.value.imported.length !== 1) throw new Error(`pkg-${i} was not imported`);
      return run.ms;
    } finally {
      store.close();
    }
  };
  const start = (home: string) => {
    const begin = performance.now();
    openStore(home).close();
    return performance.now() - begin;
  };
  const imports: [number[], number[]] = [[], []];
  const starts: [number[], number[]] = [[], []];
  for (let i = 0; i < ROUNDS; i++) {
    imports[0].push(await into(large, 2 * i));
    imports[1].push(await into(empty, 2 * i + 1));
    starts[0].push(start(large));
    starts[1].push(start(empty));
  }
  const importRatio = round(median(imports[0]) / median(imports[1]));
  const startRatio = round(median(starts[0]) / median(starts[1]));
  const ms = (x: number) => `${round(x, 1)} ms`;
  return [
    {
      name: 'import one package into the 50,000-package store vs into an empty store',
      value: importRatio,
      unit: '×',
      target: '≤ 1.5',
      pass: importRatio <= 1.5,
      detail: `medians of ${ROUNDS}: ${ms(median(imports[0]))} vs ${ms(median(imports[1]))}; ${load()}`,
    },
    {
      name: 'open (and recover) the 50,000-package store vs an empty store, as every command does',
      value: startRatio,
      unit: '×',
      target: '≤ 1.5',
      pass: startRatio <= 1.5,
      detail: `medians of ${ROUNDS}: ${ms(median(starts[0]))} vs ${ms(median(starts[1]))}; ${load()}`,
    },
  ];
}

interface ChildImport {
  imported: number;
  seconds: number;
  cpuSeconds: number;
  maxRssBytes: number;
}

/**
 * `commissioner import <kit>` into a fresh data home, in a process of its own (for its peak
 * memory), from the CLI's bundle as engineers run it; timed from start to exit, as the
 * reference commands are.
 */
function importInChild(home: string, kit: string): ChildImport {
  const start = performance.now();
  const child = spawnSync(process.execPath, [join(REPO, 'test/bench/import-child.mjs'), kit], {
    cwd: REPO,
    env: { ...process.env, COMMISSIONER_HOME: home },
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  const seconds = (performance.now() - start) / 1000;
  const usage = JSON.parse(child.stderr.trim().split('\n').at(-1) ?? '{}') as {
    code?: number;
    maxRssBytes: number;
    cpuSeconds: number;
  };
  if (child.status !== 0 || usage.code !== 0)
    throw new Error(`the import failed: ${child.stderr.slice(-2000)}`);
  const report = JSON.parse(child.stdout) as { imported: unknown[] };
  return { imported: report.imported.length, seconds, ...usage };
}

/** Rebuilds the CLI bundle if a source changed, so that no timed run pays for it. */
function currentCli(): void {
  const run = spawnSync(process.execPath, [CLI, '--help'], { cwd: REPO, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the CLI does not start: ${run.stderr.slice(-2000)}`);
}

function hasSkopeo(): boolean {
  return spawnSync('skopeo', ['--version']).status === 0;
}

/**
 * A kit holding a 1 GiB image: its import against `skopeo copy` of the same image into an OCI
 * layout and against `cp` + fsync of the same kit, three rounds in turn (the median of each: a
 * burst of load elsewhere falls on one round of one side, and the rounds alternate so it falls
 * on both sides alike), and the import's peak memory.
 */
async function copyFloor(root: string): Promise<Measure[]> {
  const big = await makePackageFixture(join(root, 'big'), {
    imageLayers: [{ bigFile: { path: 'data/model.bin', bytes: GIB } }],
  });
  const kit = await makeKit(big, join(root, 'kit-1g.tar'));
  const skopeo = hasSkopeo();
  currentCli();
  const imports: ChildImport[] = [];
  const copies: number[] = [];
  const skopeos: number[] = [];
  for (let r = 0; r < 3; r++) {
    const copy = join(root, 'copy-1g.tar');
    let start = performance.now();
    execFileSync('cp', [kit, copy]);
    await fsyncPath(copy);
    copies.push(performance.now() - start);
    rmSync(copy);
    if (skopeo) {
      const layout = join(root, 'skopeo-1g');
      start = performance.now();
      execFileSync('skopeo', [
        'copy',
        '-q',
        `docker-archive:${big.imageTar}`,
        `oci:${layout}:bench`,
      ]);
      skopeos.push(performance.now() - start);
      rmSync(layout, { recursive: true, force: true });
    }
    const home = join(root, `home-1g-${r}`);
    imports.push(importInChild(home, kit));
    rmSync(home, { recursive: true, force: true });
  }
  const ours = median(imports.map((i) => i.seconds * 1000));
  const cp = median(copies);
  const all = imports.every((i) => i.imported === 3);
  const peak = Math.max(...imports.map((i) => i.maxRssBytes));
  const seconds = (ms: number) => `${round(ms / 1000)} s`;
  const measures: Measure[] = [];
  const vsSkopeo = skopeo ? round(ours / median(skopeos)) : Number.NaN;
  measures.push({
    name: 'import a kit with a 1 GiB image vs skopeo copy docker-archive:… oci:… of the image',
    value: vsSkopeo,
    unit: '×',
    target: '≤ 1.3',
    pass: skopeo && vsSkopeo <= 1.3 && all,
    detail: skopeo
      ? `import ${seconds(ours)}, skopeo ${seconds(median(skopeos))} (medians of 3 alternating rounds); ${load()}`
      : 'skopeo is not installed (Debian: apt-get install skopeo), so there is no reference',
  });
  const vsCopy = round(ours / cp);
  measures.push({
    name: 'import a kit with a 1 GiB image vs cp + fsync of the same kit',
    value: vsCopy,
    unit: '×',
    target: '≤ 2',
    pass: vsCopy <= 2 && all,
    detail: `import ${seconds(ours)} (${round(median(imports.map((i) => i.cpuSeconds)))} s CPU), cp + fsync ${seconds(cp)} (medians of 3 alternating rounds); ${load()}`,
  });
  const share = round(peak / GIB, 3);
  measures.push({
    name: 'import a kit with a 1 GiB image: peak memory vs the image',
    value: share,
    unit: '×',
    target: '< 0.195 (200 MiB)',
    pass: peak < 200 * 1024 ** 2 && all,
    detail: `${Math.round(peak / 1024 ** 2)} MiB at most, over 3 imports`,
  });
  return measures;
}

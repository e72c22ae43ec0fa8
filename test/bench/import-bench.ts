import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importSources } from '../../electron/core/import/import-sources';
import { verifyDigests } from '../../electron/core/kit/verify-digests';
import { searchCatalog } from '../../electron/core/store/catalog-reader';
import { openStore } from '../../electron/core/store/store';
import { makeKit, makePackageFixture } from '../support/kit-fixture';
import { writePackagesKit } from './generate-packages';
import type { Measure } from './run';

const REPO = new URL('../..', import.meta.url).pathname;

function seconds(since: number): number {
  return Math.round((performance.now() - since) / 10) / 100;
}

export async function importBenchmarks(): Promise<Measure[]> {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-bench-'));
  const measures: Measure[] = [];
  try {
    // 1. 1,000 generated packages, from one kit and from a folder of package folders.
    await writePackagesKit(join(root, 'kit-1000'), 1000, join(root, 'packages-1000'));
    let store = openStore(join(root, 'home-kit'));
    let t = performance.now();
    let report = await importSources(store, [{ input: 'kit-1000', path: join(root, 'kit-1000') }]);
    const kitSeconds = seconds(t);
    store.close();
    measures.push({
      name: 'import 1,000 packages from one kit',
      value: kitSeconds,
      unit: 's',
      target: '< 10 s',
      pass: kitSeconds < 10 && report.imported.length === 1000,
      detail: `${report.imported.length} imported`,
    });
    store = openStore(join(root, 'home-folders'));
    t = performance.now();
    report = await importSources(store, [
      { input: 'packages-1000', path: join(root, 'packages-1000') },
    ]);
    const folderSeconds = seconds(t);
    store.close();
    measures.push({
      name: 'import 1,000 package folders (a stick)',
      value: folderSeconds,
      unit: 's',
      target: '< 10 s',
      pass: folderSeconds < 10 && report.imported.length === 1000,
      detail: `${report.imported.length} imported`,
    });

    // 2. Search over 10,000 packages.
    await writePackagesKit(join(root, 'kit-10000'), 10_000, join(root, 'packages-10000'));
    store = openStore(join(root, 'home-10000'));
    t = performance.now();
    report = await importSources(store, [{ input: 'kit-10000', path: join(root, 'kit-10000') }]);
    const bigImport = seconds(t);
    const queries = [
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
    // A search box: the best 50 and how many match in all, per keystroke.
    for (let i = 0; i < 20; i++) searchCatalog(store.db, queries[i % queries.length] as string);
    const times: number[] = [];
    let results = 0;
    for (let i = 0; i < 800; i++) {
      const q = queries[i % queries.length] as string;
      const start = performance.now();
      results += searchCatalog(store.db, q).total;
      times.push(performance.now() - start);
    }
    store.close();
    times.sort((a, b) => a - b);
    const p95 = Math.round((times[Math.floor(times.length * 0.95)] as number) * 100) / 100;
    measures.push({
      name: 'catalog search p95 over 10,000 packages (best 50 + total count)',
      value: p95,
      unit: 'ms',
      target: '< 5 ms',
      pass: p95 < 5 && report.imported.length === 10_000,
      detail: `median ${Math.round((times[times.length >> 1] as number) * 100) / 100} ms, ${Math.round(results / 800)} matches per query on average; importing the 10,000 took ${bigImport} s`,
    });

    // 3. A kit with a 1 GiB image: peak memory of the importing process.
    const big = await makePackageFixture(join(root, 'big'), {
      imageLayers: [{ bigFile: { path: 'data/model.bin', bytes: 1024 ** 3 } }],
    });
    const bigKit = await makeKit(big, join(root, 'kit-1g'));
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'test/bench/import-child.ts'), join(root, 'home-1g'), bigKit],
      {
        cwd: REPO,
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    const result = JSON.parse(child.stdout) as {
      imported: number;
      seconds: number;
      maxRssBytes: number;
    };
    const rssMb = Math.round(result.maxRssBytes / 1024 ** 2);
    measures.push({
      name: 'import a kit with a 1 GiB image: peak memory',
      value: rssMb,
      unit: 'MiB',
      target: '< 200 MiB',
      pass: rssMb < 200 && result.imported === 3,
      detail: `${result.imported} imported in ${Math.round(result.seconds * 10) / 10} s`,
    });

    // 4. The hashing stage of that import vs `openssl dgst -sha256` on the same bytes.
    const blobs = join(root, 'home-1g', 'store', 'blobs', 'sha256');
    const layer = readdirSync(blobs).sort(
      (a, b) => statSync(join(blobs, b)).size - statSync(join(blobs, a)).size,
    )[0] as string;
    const layerPath = join(blobs, layer);
    const size = statSync(layerPath).size;
    execFileSync('openssl', ['dgst', '-sha256', layerPath]); // warm the page cache for both
    const opensslTimes: number[] = [];
    const ourTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      execFileSync('openssl', ['dgst', '-sha256', layerPath]);
      opensslTimes.push(performance.now() - t);
      t = performance.now();
      await verifyDigests([{ digest: `sha256:${layer}`, path: layerPath, size }]);
      ourTimes.push(performance.now() - t);
    }
    const best = (xs: number[]) => Math.min(...xs);
    const ratio = Math.round((best(opensslTimes) / best(ourTimes)) * 100) / 100;
    measures.push({
      name: 'hashing stage throughput vs openssl dgst -sha256 (same 1 GiB, same run)',
      value: ratio,
      unit: '×',
      target: '≥ 0.9',
      pass: ratio >= 0.9,
      detail: `ours ${Math.round(size / 1024 ** 2 / (best(ourTimes) / 1000))} MiB/s, openssl ${Math.round(size / 1024 ** 2 / (best(opensslTimes) / 1000))} MiB/s`,
    });
    return measures;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

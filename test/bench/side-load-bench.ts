import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { devicePlatform } from '../../electron/core/images/select-platform';
import { findImageRef, sideLoadImages } from '../../electron/core/images/side-load';
import { openStore } from '../../electron/core/store/store';
import {
  engineJson,
  engineRequest,
  fleetClientOptions,
  startFleet,
  type FleetDaemon,
} from '../support/docker-fleet';
import { writeDockerSaveArchive } from '../support/image-archive-fixture';
import { addArchive, importImageKit } from '../support/store-images';
import type { Measure } from './run';

const run = promisify(execFile);
const IMAGE = 'commissioner-bench/side-load:1';
/** Debian's docker.io client (20.10), not /usr/local/bin/docker. */
const DOCKER_CLI = '/usr/bin/docker';
const RUNS = 3;

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

/**
 * Side-loading a ~400 MiB image from the store (our docker-save stream into `POST
 * /images/load`) against `docker load -i` of the same image's `docker save` archive, on the
 * same fleet daemon, alternating, the image removed between runs; medians of 3 after a warm-up.
 */
export async function sideLoadBenchmarks(): Promise<Measure[]> {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-bench-side-load-'));
  const fleet = await startFleet({ count: 1 });
  const store = openStore(join(root, 'home'));
  try {
    const d = fleet.daemons[0] as FleetDaemon;
    const archive = join(root, 'image.tar');
    await writeDockerSaveArchive(archive, [
      {
        repoTags: [IMAGE],
        layers: [
          { bigFile: { path: 'data/model.bin', bytes: 256 * 1024 ** 2 } },
          { bigFile: { path: 'data/tables.bin', bytes: 128 * 1024 ** 2 } },
          { files: { 'etc/app.conf': 'mode=bench\n' } },
        ],
      },
    ]);
    const archiveBytes = statSync(archive).size;
    await importImageKit(store, join(root, 'kit'), async (writer) => {
      await addArchive(writer, archive);
    });
    const refName = findImageRef(store, IMAGE);
    if (!refName) throw new Error(`${IMAGE} did not reach the store`);
    const info = await engineJson<{ OSType: string; Architecture: string }>(d, 'GET', '/info');
    const platform = devicePlatform({ osType: info.OSType, architecture: info.Architecture });
    const docker = new Docker({ ...fleetClientOptions(d), timeout: 300_000 });
    const env = dockerCliEnv(d, join(root, 'cli'));

    const remove = async () => {
      const res = await engineRequest(d, 'DELETE', `/images/${IMAGE}?force=1`);
      if (res.status !== 200 && res.status !== 404)
        throw new Error(`removing ${IMAGE}: ${res.status} ${res.body.toString('utf8')}`);
    };
    const theirs = async (): Promise<number> => {
      await remove();
      const t = performance.now();
      await run(DOCKER_CLI, ['load', '-q', '-i', archive], { env });
      return performance.now() - t;
    };
    let bytesSent = 0;
    let peakRss = 0;
    const ours = async (): Promise<number> => {
      await remove();
      const t = performance.now();
      const [result] = await sideLoadImages(
        docker,
        store,
        [{ name: IMAGE, refName }],
        platform,
        () => {
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
        },
      );
      const ms = performance.now() - t;
      if (result?.action !== 'loaded')
        throw new Error(`${IMAGE} was not loaded: ${result?.action}`);
      bytesSent = result.bytesSent;
      return ms;
    };

    await theirs(); // warm: page cache, the daemon's layer store
    await ours();
    const theirTimes: number[] = [];
    const ourTimes: number[] = [];
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < RUNS; i++) {
      theirTimes.push(await theirs());
      ourTimes.push(await ours());
    }
    await remove();
    const mbps = (bytes: number, ms: number) => round(bytes / 1e6 / (ms / 1000), 0);
    const ourRate = mbps(bytesSent, median(ourTimes));
    const theirRate = mbps(archiveBytes, median(theirTimes));
    const ratio = round(ourRate / theirRate);
    return [
      {
        name: 'side-load a 400 MiB image from the store vs docker load -i (same daemon, same run)',
        value: ratio,
        unit: '×',
        target: '≥ 0.9',
        pass: ratio >= 0.9,
        detail: `ours ${ourRate} MB/s (${bytesSent} bytes sent, ${round(median(ourTimes) / 1000)} s), docker load ${theirRate} MB/s (${archiveBytes}-byte archive, ${round(median(theirTimes) / 1000)} s); medians of ${RUNS}; our peak RSS ${Math.round(peakRss / 2 ** 20)} MiB (${Math.round(rssBefore / 2 ** 20)} MiB before)`,
      },
    ];
  } finally {
    store.close();
    await fleet.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** The docker CLI pointed at the fleet daemon with its client certificate (mutual TLS). */
function dockerCliEnv(d: FleetDaemon, dir: string): NodeJS.ProcessEnv {
  const certs = join(dir, 'certs');
  mkdirSync(certs, { recursive: true });
  writeFileSync(join(certs, 'ca.pem'), d.tls.caPem);
  writeFileSync(join(certs, 'cert.pem'), d.tls.certPem);
  writeFileSync(join(certs, 'key.pem'), d.tls.keyPem, { mode: 0o600 });
  return {
    PATH: process.env.PATH,
    HOME: dir,
    DOCKER_CONFIG: join(dir, 'config'),
    DOCKER_HOST: d.url,
    DOCKER_TLS_VERIFY: '1',
    DOCKER_CERT_PATH: certs,
  };
}

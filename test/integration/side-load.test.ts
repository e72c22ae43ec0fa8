import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSaveArchive } from '../../electron/core/images/docker-save-stream';
import { devicePlatform, type Platform } from '../../electron/core/images/select-platform';
import {
  findImageRef,
  SideLoadError,
  sideLoadImages,
  type SideLoadImage,
  type SideLoadProgress,
} from '../../electron/core/images/side-load';
import { openStore, type Store } from '../../electron/core/store/store';
import { writeBusyboxDockerSave } from '../support/busybox-image';
import {
  engineJson,
  engineRequest,
  fleetClientOptions,
  startFleet,
  type Fleet,
  type FleetDaemon,
} from '../support/docker-fleet';
import { writeDockerSaveArchive } from '../support/image-archive-fixture';
import { addArchive, addGzipBusybox, addIndex, importImageKit } from '../support/store-images';

const BUSYBOX = 'commissioner-test/side:1';
const BUSYBOX_REF = 'docker.io/commissioner-test/side:1';
const GZIP = 'registry.example.com/gzip-busybox:1.0.0';
const MULTI = 'registry.example.com/multi:2.0';
const ARM_ONLY = 'registry.example.com/arm-only:2.0';
const ARM_SINGLE = 'commissioner-test/arm64-single:1';
const BIG = 'commissioner-test/big:1';
const BIG_LAYER = 200 * 1024 * 1024;

let fleet: Fleet;
let store: Store;
let work: string;
let platform: Platform;
let busyboxManifest: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'commissioner-side-load-'));
  const started = startFleet({ count: 2 });
  store = openStore(join(work, 'home'));

  // The busybox image as `docker save` writes it, through kit pack --image and import.
  const busyboxTar = join(work, 'busybox.tar');
  await writeBusyboxDockerSave(busyboxTar, [BUSYBOX]);
  const armTar = join(work, 'arm64.tar');
  await writeDockerSaveArchive(armTar, [
    { repoTags: [ARM_SINGLE], architecture: 'arm64', layers: [{ files: { 'bin/x': 'arm' } }] },
  ]);
  await importImageKit(store, join(work, 'kit-images'), async (writer) => {
    const [busybox] = await addArchive(writer, busyboxTar);
    const [arm] = await addArchive(writer, armTar);
    busyboxManifest = busybox!.descriptor.digest;
    await addGzipBusybox(writer, work, GZIP);
    await addIndex(writer, MULTI, [arm!.descriptor, busybox!.descriptor]);
    await addIndex(writer, ARM_ONLY, [arm!.descriptor]);
  });

  // ~200 MiB of incompressible bytes in one layer, written and imported as streams.
  const bigTar = join(work, 'big.tar');
  await writeDockerSaveArchive(bigTar, [
    { repoTags: [BIG], layers: [{ bigFile: { path: 'data/blob', bytes: BIG_LAYER } }] },
  ]);
  await importImageKit(store, join(work, 'kit-big'), async (writer) => {
    await addArchive(writer, bigTar);
  });
  await rm(bigTar);

  fleet = await started;
  const info = await engineJson<{ OSType: string; Architecture: string }>(
    device(0),
    'GET',
    '/info',
  );
  platform = devicePlatform({ osType: info.OSType, architecture: info.Architecture });
}, 180_000);

afterAll(async () => {
  store?.close();
  await fleet?.stop();
  await rm(work, { recursive: true, force: true });
}, 60_000);

function device(i: number): FleetDaemon {
  const d = fleet.daemons[i];
  if (!d) throw new Error(`no daemon ${i}`);
  return d;
}

function client(i: number): Docker {
  return new Docker({ ...fleetClientOptions(device(i)), timeout: 120_000 });
}

function image(name: string): SideLoadImage {
  const refName = findImageRef(store, name);
  if (!refName) throw new Error(`${name} is not in the test store`);
  return { name, refName };
}

/** stdout of a non-TTY container's log stream (8-byte frame headers). */
function stdoutOf(stream: Buffer): string {
  let out = '';
  for (let at = 0; at + 8 <= stream.length;) {
    const size = stream.readUInt32BE(at + 4);
    if (stream[at] === 1) out += stream.subarray(at + 8, at + 8 + size).toString('utf8');
    at += 8 + size;
  }
  return out;
}

/** Runs `sh -c 'echo ok'` in the image to its end: its exit code and output. */
async function runEcho(d: FleetDaemon, img: string): Promise<{ exitCode: number; out: string }> {
  const { Id } = await engineJson<{ Id: string }>(d, 'POST', '/containers/create', {
    json: { Image: img, Cmd: ['sh', '-c', 'echo ok'] },
  });
  try {
    await engineJson(d, 'POST', `/containers/${Id}/start`);
    const { StatusCode } = await engineJson<{ StatusCode: number }>(
      d,
      'POST',
      `/containers/${Id}/wait`,
    );
    const logs = await engineRequest(d, 'GET', `/containers/${Id}/logs?stdout=1&stderr=1`);
    return { exitCode: StatusCode, out: stdoutOf(logs.body) };
  } finally {
    await engineRequest(d, 'DELETE', `/containers/${Id}?force=1`);
  }
}

async function deviceImageId(d: FleetDaemon, name: string): Promise<string | undefined> {
  const res = await engineRequest(d, 'GET', `/images/${name}/json`);
  return res.status === 200
    ? (JSON.parse(res.body.toString('utf8')) as { Id: string }).Id
    : undefined;
}

async function drain(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('the docker save stream', () => {
  it('is a tar of manifest.json, config and layers, of the announced size, the same bytes every time', async () => {
    const archive = dockerSaveArchive(store.blobs, busyboxManifest, [BUSYBOX_REF]);
    const first = await drain(archive.stream());
    const second = await drain(archive.stream());
    expect(first.length).toBe(archive.totalBytes);
    expect(createHash('sha256').update(first).digest('hex')).toBe(
      createHash('sha256').update(second).digest('hex'),
    );
    const seen: { name: string; size: number; mtime: number; uid: number }[] = [];
    let manifest: unknown;
    const tar = extract();
    const read = (async () => {
      for await (const entry of tar) {
        const body = await drain(entry);
        seen.push({
          name: entry.header.name,
          size: body.length,
          mtime: entry.header.mtime?.getTime() ?? -1,
          uid: entry.header.uid ?? -1,
        });
        if (entry.header.name === 'manifest.json') manifest = JSON.parse(body.toString('utf8'));
      }
    })();
    tar.end(first);
    await read;
    expect(seen.map((s) => s.name)).toEqual(archive.members.map((m) => m.name));
    expect(seen.map((s) => s.size)).toEqual(archive.members.map((m) => m.size));
    expect(seen.every((s) => s.mtime === 0 && s.uid === 0)).toBe(true);
    const hex = archive.imageId.slice(7);
    expect(manifest).toEqual([
      {
        Config: `${hex}.json`,
        RepoTags: [BUSYBOX_REF],
        Layers: [expect.stringMatching(/^[0-9a-f]{64}\/layer\.tar$/)],
      },
    ]);
  });
});

describe('findImageRef', () => {
  it('normalizes compose names as Docker does, accepts digest references, and says undefined when absent', () => {
    expect(findImageRef(store, BUSYBOX)).toBe(BUSYBOX_REF);
    expect(findImageRef(store, `docker.io/${BUSYBOX}`)).toBe(BUSYBOX_REF);
    expect(findImageRef(store, MULTI)).toBe(MULTI);
    expect(findImageRef(store, 'commissioner-test/side:2')).toBeUndefined();
    expect(findImageRef(store, 'busybox')).toBeUndefined();
    expect(findImageRef(store, `commissioner-test/side@${busyboxManifest}`)).toBe(
      `docker.io/commissioner-test/side@${busyboxManifest}`,
    );
    expect(findImageRef(store, `commissioner-test/side:1@${busyboxManifest}`)).toBe(
      `docker.io/commissioner-test/side@${busyboxManifest}`,
    );
    expect(findImageRef(store, `x@sha256:${'0'.repeat(64)}`)).toBeUndefined();
    expect(findImageRef(store, 'x@sha256:nothex')).toBeUndefined();
  });
});

describe('side-loading images to a device', () => {
  it('loads a docker-save image that then runs; a second side-load finds it present and sends nothing', async () => {
    const d = device(0);
    const progress: SideLoadProgress[] = [];
    const [first] = await sideLoadImages(client(0), store, [image(BUSYBOX)], platform, (p) =>
      progress.push(p),
    );
    expect(first).toMatchObject({ image: BUSYBOX, action: 'loaded' });
    const total = progress.at(-1)?.totalBytes ?? 0;
    expect(first?.bytesSent).toBe(total);
    expect(progress.at(-1)?.bytesSent).toBe(total);
    expect(await deviceImageId(d, BUSYBOX)).toBe(first?.imageId);
    expect(await runEcho(d, BUSYBOX)).toEqual({ exitCode: 0, out: 'ok\n' });

    const again = await sideLoadImages(client(0), store, [image(BUSYBOX)], platform);
    expect(again).toEqual([
      { image: BUSYBOX, imageId: first?.imageId, action: 'present', bytesSent: 0 },
    ]);

    // The same content under another name: tagged on the device, nothing sent.
    const alias = 'plant.local:5000/line/side-alias:7';
    const [tagged] = await sideLoadImages(
      client(0),
      store,
      [{ name: alias, refName: BUSYBOX_REF }],
      platform,
    );
    expect(tagged).toEqual({
      image: alias,
      imageId: first?.imageId,
      action: 'present',
      bytesSent: 0,
    });
    expect(await deviceImageId(d, alias)).toBe(first?.imageId);

    // A digest reference: loaded (or found) by Id, as Docker keeps no repo digest for it.
    const byDigest = `commissioner-test/side@${busyboxManifest}`;
    const [digestResult] = await sideLoadImages(client(0), store, [image(byDigest)], platform);
    expect(digestResult).toMatchObject({ imageId: first?.imageId, action: 'present' });
  });

  it('loads an OCI image with gzip layers', async () => {
    const d = device(0);
    const [result] = await sideLoadImages(client(0), store, [image(GZIP)], platform);
    expect(result?.action).toBe('loaded');
    expect(await deviceImageId(d, GZIP)).toBe(result?.imageId);
    expect(await runEcho(d, GZIP)).toEqual({ exitCode: 0, out: 'ok\n' });
  });

  it('picks the entry of a multi-platform image for the device, and names the architectures when none fits', async () => {
    const d = device(0);
    expect(platform).toMatchObject({ os: 'linux', architecture: 'amd64' });
    const [result] = await sideLoadImages(client(0), store, [image(MULTI)], platform);
    // The amd64 entry is the busybox image, already on the device under another name.
    expect(result).toMatchObject({ image: MULTI, action: 'present', bytesSent: 0 });
    expect(result?.imageId).toBe(await deviceImageId(d, BUSYBOX));
    expect(await runEcho(d, MULTI)).toEqual({ exitCode: 0, out: 'ok\n' });

    const armOnly = sideLoadImages(client(0), store, [image(ARM_ONLY)], platform);
    await expect(armOnly).rejects.toBeInstanceOf(SideLoadError);
    await expect(armOnly).rejects.toMatchObject({
      kind: 'platform',
      message: `${ARM_ONLY} has no variant for the device's platform linux/amd64: the kit holds it for linux/arm64. Import a kit that carries ${ARM_ONLY} for linux/amd64`,
    });
    await expect(
      sideLoadImages(client(0), store, [image(ARM_SINGLE)], platform),
    ).rejects.toMatchObject({
      kind: 'platform',
      message: expect.stringContaining(
        `${ARM_SINGLE} is built for linux/arm64 and cannot run on the device's platform linux/amd64`,
      ),
    });
    expect(await deviceImageId(d, ARM_SINGLE)).toBeUndefined();
  });

  it('streams a 200 MiB layer without holding it: RSS and buffers grow far less than the layer', async () => {
    const before = process.memoryUsage();
    const peak = { rss: before.rss, arrayBuffers: before.arrayBuffers };
    const sample = () => {
      const now = process.memoryUsage();
      peak.rss = Math.max(peak.rss, now.rss);
      peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
    };
    const sampler = setInterval(sample, 5);
    let result;
    try {
      [result] = await sideLoadImages(client(0), store, [image(BIG)], platform, sample);
    } finally {
      clearInterval(sampler);
    }
    const mib = (n: number) => Math.round(n / 2 ** 20);
    process.stderr.write(
      `side-load of ${result?.bytesSent} bytes: RSS ${mib(before.rss)} → peak ${mib(peak.rss)} MiB, buffers ${mib(before.arrayBuffers)} → peak ${mib(peak.arrayBuffers)} MiB\n`,
    );
    expect(result?.action).toBe('loaded');
    expect(result?.bytesSent).toBeGreaterThan(BIG_LAYER);
    // Holding the layer would take 200 MiB of buffers; the stream keeps a few chunks of 1 MiB
    // alive, plus the sent chunks V8 has not collected yet (it collects every few tens of MiB).
    expect(peak.rss - before.rss).toBeLessThan(BIG_LAYER / 4);
    expect(peak.arrayBuffers - before.arrayBuffers).toBeLessThan(BIG_LAYER / 4);
    expect(await deviceImageId(device(0), BIG)).toBe(result?.imageId);
  }, 180_000);

  it('a device that goes away mid-load gives an error naming the image; one that is gone says nothing listens', async () => {
    const d = device(1);
    let stopping: Promise<void> | undefined;
    const failed = await sideLoadImages(client(1), store, [image(BIG)], platform, (p) => {
      if (!stopping && p.bytesSent > 48 * 1024 * 1024) stopping = d.stop();
    }).catch((e: unknown) => e);
    await stopping;
    process.stderr.write(`device gone mid-load: ${String(failed)}\n`);
    expect(failed).toBeInstanceOf(SideLoadError);
    expect((failed as SideLoadError).image).toBe(BIG);
    expect((failed as SideLoadError).kind).toBe('connection-lost');
    expect((failed as Error).message).toMatch(
      new RegExp(`^${BIG}: the connection to ${d.url} broke after [\\d.]+ MiB of 200 MiB`),
    );

    await expect(
      sideLoadImages(client(1), store, [image(BUSYBOX)], platform),
    ).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringMatching(
        new RegExp(`^${BUSYBOX} could not be side-loaded: nothing accepts connections at`),
      ),
    });
  }, 180_000);
});

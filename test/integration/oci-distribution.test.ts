import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoKit } from '../../electron/demo-kit/build-demo-kit';
import { importSources } from '../../electron/core/import/import-sources';
import { LayoutWriter } from '../../electron/core/kit/layout-writer';
import { createDistributionHandler } from '../../electron/core/registry-server/distribution-handler';
import { openStore, type Store } from '../../electron/core/store/store';
import type { Descriptor } from '../../shared/oci/descriptors';
import { MEDIA } from '../../shared/oci/media-types';
import { makeKit, makePackageFixture } from '../support/kit-fixture';

const root = mkdtempSync(join(tmpdir(), 'commissioner-oci-distribution-'));
let laptop: Store;
let server: http.Server;
let port: number;
let base: string;
const failures: unknown[] = [];
/** Digests of the extra layout: the busybox index, its children, the pinned probe manifest. */
const extra = { index: '', children: [] as string[], pinned: '' };

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const refDigest = (store: Store, name: string) =>
  store.db.prepare('SELECT digest FROM refs WHERE name = ?').pluck().get(name) as
    string | undefined;
const childrenOf = (store: Store, digest: string) =>
  store.db
    .prepare('SELECT child FROM manifest_children WHERE parent = ? ORDER BY child')
    .pluck()
    .all(digest) as string[];
/** Every blob a ref reaches, with its size: what a pull must bring over. */
const reachable = (store: Store, digest: string) =>
  store.db
    .prepare(
      `WITH RECURSIVE reach(digest) AS (
         SELECT ? UNION SELECT c.child FROM manifest_children c JOIN reach r ON c.parent = r.digest)
       SELECT b.digest, b.size FROM reach JOIN blobs b ON b.digest = reach.digest ORDER BY 1`,
    )
    .all(digest) as { digest: string; size: number }[];

/** A plain request with exactly this path and Host (fetch normalizes `..` and ignores Host). */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const errorOf = (body: Buffer | string) =>
  (JSON.parse(body.toString()) as { errors: { code: string; message: string; detail?: unknown }[] })
    .errors[0];

/** An image manifest (config + one layer) for `arch`, written to the layout. */
async function writeImage(layout: LayoutWriter, arch: string, text: string): Promise<Descriptor> {
  const layer = await layout.addBytes(gzipSync(Buffer.from(text)));
  const config = await layout.addBytes(
    JSON.stringify({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
  );
  return layout.addManifest(
    {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, ...config },
      layers: [{ mediaType: MEDIA.ociLayerGzip, ...layer }],
    },
    undefined,
    { platform: { architecture: arch, os: 'linux' } },
  );
}

/**
 * The laptop's store: the demo kit, plus a layout with a multi-platform Docker Hub image and
 * one repository path (`tools/probe`) held by two plant registries, one with many tags.
 */
beforeAll(async () => {
  const kit = await buildDemoKit();
  expect(kit, 'the demo kit could not be built on this machine').toBeDefined();
  laptop = openStore(join(root, 'laptop'));
  const fromKit = await importSources(laptop, [{ input: kit as string, path: kit as string }]);
  expect(fromKit.imported).toHaveLength(3);

  const layoutDir = join(root, 'extra-layout');
  const layout = await LayoutWriter.create(layoutDir);
  const amd64 = await writeImage(layout, 'amd64', 'busybox for amd64');
  const arm64 = await writeImage(layout, 'arm64', 'busybox for arm64');
  const index = await layout.addManifest(
    { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [amd64, arm64] },
    'docker.io/library/busybox:1.36',
  );
  layout.addRoot(index, 'docker.io/library/busybox:latest');
  extra.index = index.digest;
  extra.children = [amd64.digest, arm64.digest];
  const probeA = await writeImage(layout, 'amd64', 'probe from plant A');
  for (const tag of ['0.9', '1.0', '1.1', '2.0', 'latest'])
    layout.addRoot(probeA, `plant-a.local/tools/probe:${tag}`);
  layout.addRoot(
    await writeImage(layout, 'amd64', 'probe from plant B'),
    'plant-b.local/tools/probe:1.0',
  );
  const pinned = await writeImage(layout, 'arm64', 'probe from plant B, pinned');
  layout.addRoot(pinned, `plant-b.local/tools/probe@${pinned.digest}`);
  extra.pinned = pinned.digest;
  await layout.finish();
  const fromLayout = await importSources(laptop, [{ input: layoutDir, path: layoutDir }]);
  expect(fromLayout.imported).toHaveLength(9);

  const handler = createDistributionHandler(laptop, { onError: (e) => failures.push(e) });
  server = http.createServer((req, res) => {
    // Another route of the same server: proves the handler leaves what is not its own.
    if (!handler(req, res)) res.writeHead(418).end('not the registry');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  laptop?.close();
  rmSync(root, { recursive: true, force: true });
  expect(failures).toEqual([]);
});

describe('the base endpoint and routing', () => {
  it('GET /v2/ answers {} with the API version header; /v2 too', async () => {
    for (const path of ['/v2/', '/v2']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
      expect(await res.json()).toEqual({});
    }
  });

  it('leaves other paths to the caller', async () => {
    for (const path of ['/', '/v2x', '/api/v2/', '/v1/']) {
      const res = await raw(path);
      expect(res.status, path).toBe(418);
      expect(res.body.toString()).toBe('not the registry');
    }
  });

  it('endpoints a read-only registry lacks: 404 UNSUPPORTED', async () => {
    const res = await fetch(`${base}/v2/_catalog`);
    expect(res.status).toBe(404);
    expect(errorOf(await res.text())?.code).toBe('UNSUPPORTED');
  });
});

describe('tag lists', () => {
  it('lists the tags of a repository', async () => {
    const res = await fetch(`${base}/v2/demo/line-status/tags/list?ns=registry.plant.local`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('link')).toBeNull();
    expect(await res.json()).toEqual({ name: 'demo/line-status', tags: ['1.0.0'] });
  });

  it('pages with n and last, linking to the next page (keeping ns) until the end', async () => {
    const pages: string[][] = [];
    let url: string | undefined = `${base}/v2/tools/probe/tags/list?n=2&ns=plant-a.local`;
    while (url) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      pages.push(((await res.json()) as { tags: string[] }).tags);
      const link = res.headers.get('link');
      url = link
        ? new URL(/^<([^>]+)>; rel="next"$/.exec(link)?.[1] as string, base).href
        : undefined;
      if (link) expect(link).toContain('ns=plant-a.local');
    }
    expect(pages).toEqual([['0.9', '1.0'], ['1.1', '2.0'], ['latest']]);
  });

  it('last alone gives every later tag; n=0 none; a bad n is refused', async () => {
    const after = await fetch(`${base}/v2/plant-a.local/tools/probe/tags/list?last=1.1`);
    expect(((await after.json()) as { tags: string[] }).tags).toEqual(['2.0', 'latest']);
    const none = await fetch(`${base}/v2/plant-a.local/tools/probe/tags/list?n=0`);
    expect(await none.json()).toEqual({ name: 'plant-a.local/tools/probe', tags: [] });
    expect(none.headers.get('link')).toBeNull();
    const bad = await fetch(`${base}/v2/plant-a.local/tools/probe/tags/list?n=-1`);
    expect(bad.status).toBe(400);
    expect(errorOf(await bad.text())?.code).toBe('PAGINATION_NUMBER_INVALID');
  });

  it('a ref pinned by digest belongs to the repository but is no tag', async () => {
    const res = await fetch(`${base}/v2/tools/probe/tags/list?ns=plant-b.local`);
    expect(((await res.json()) as { tags: string[] }).tags).toEqual(['1.0']);
    const pinned = await fetch(`${base}/v2/tools/probe/manifests/${extra.pinned}?ns=plant-b.local`);
    expect(pinned.status).toBe(200);
    expect(sha256(new Uint8Array(await pinned.arrayBuffer()))).toBe(extra.pinned);
  });
});

describe('manifests', () => {
  const composeRef = 'registry.plant.local/compose/line-status:1.0.0';

  it('by tag: the stored bytes exactly, with media type, digest, length and ETag', async () => {
    const digest = refDigest(laptop, composeRef) as string;
    const res = await fetch(
      `${base}/v2/compose/line-status/manifests/1.0.0?ns=registry.plant.local`,
    );
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(sha256(bytes)).toBe(digest);
    expect(res.headers.get('docker-content-digest')).toBe(digest);
    expect(bytes.equals(laptop.blobs.read(digest))).toBe(true);
    expect(res.headers.get('content-type')).toBe(MEDIA.ociManifest);
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(res.headers.get('etag')).toBe(`"${digest}"`);
  });

  it('by digest, and HEAD with the same headers and no body', async () => {
    const digest = refDigest(laptop, composeRef) as string;
    const url = `${base}/v2/compose/line-status/manifests/${digest}?ns=registry.plant.local`;
    const get = await fetch(url);
    expect(get.status).toBe(200);
    expect(sha256(new Uint8Array(await get.arrayBuffer()))).toBe(digest);
    const head = await raw(url.slice(base.length), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(get.headers.get('content-length'));
    expect(head.headers['docker-content-digest']).toBe(digest);
    expect(head.headers['content-type']).toBe(MEDIA.ociManifest);
  });

  it("an index, and its children by digest; never another repository's manifest", async () => {
    const index = await fetch(`${base}/v2/library/busybox/manifests/1.36`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe(MEDIA.ociIndex);
    expect(index.headers.get('docker-content-digest')).toBe(extra.index);
    for (const child of extra.children) {
      const res = await fetch(`${base}/v2/library/busybox/manifests/${child}`);
      expect(res.status).toBe(200);
      expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(child);
    }
    const other = refDigest(laptop, composeRef) as string;
    const res = await fetch(`${base}/v2/library/busybox/manifests/${other}`);
    expect(res.status).toBe(404);
    expect(errorOf(await res.text())?.code).toBe('MANIFEST_UNKNOWN');
  });

  it('an unknown tag or digest: 404 MANIFEST_UNKNOWN (HEAD: no body)', async () => {
    const tag = await fetch(`${base}/v2/library/busybox/manifests/9.9`);
    expect(tag.status).toBe(404);
    expect(errorOf(await tag.text())).toMatchObject({ code: 'MANIFEST_UNKNOWN' });
    const head = await raw(`/v2/library/busybox/manifests/sha256:${'0'.repeat(64)}`, {
      method: 'HEAD',
    });
    expect(head.status).toBe(404);
    expect(head.body.length).toBe(0);
  });
});

describe('blobs', () => {
  const imageRef = 'registry.plant.local/demo/line-status:1.0.0';
  /** The demo image's layer: the biggest blob it holds. */
  const layer = () => {
    const manifest = JSON.parse(
      laptop.blobs.read(refDigest(laptop, imageRef) as string).toString(),
    ) as { layers: { digest: string; size: number }[] };
    return manifest.layers[0] as { digest: string; size: number };
  };
  const blobUrl = (digest: string) =>
    `${base}/v2/demo/line-status/blobs/${digest}?ns=registry.plant.local`;

  it('whole: the bytes of the digest, with length, digest and Accept-Ranges', async () => {
    const { digest, size } = layer();
    const res = await fetch(blobUrl(digest));
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBe(size);
    expect(sha256(bytes)).toBe(digest);
    expect(res.headers.get('content-length')).toBe(String(size));
    expect(res.headers.get('docker-content-digest')).toBe(digest);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
  });

  it('ranges: a-b, a-, -n give 206 with Content-Range; several ranges give it whole', async () => {
    const { digest, size } = layer();
    const whole = readFileSync(laptop.blobs.pathOf(digest));
    const cases: [string, number, number][] = [
      ['bytes=0-9', 0, 9],
      ['bytes=100-', 100, size - 1],
      ['bytes=-16', size - 16, size - 1],
      [`bytes=10-${size + 1000}`, 10, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetch(blobUrl(digest), { headers: { range } });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
      expect(res.headers.get('content-length')).toBe(String(end - start + 1));
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.equals(whole.subarray(start, end + 1)), range).toBe(true);
    }
    const multi = await fetch(blobUrl(digest), { headers: { range: 'bytes=0-1,4-5' } });
    expect(multi.status).toBe(200);
    expect((await multi.arrayBuffer()).byteLength).toBe(size);
  });

  it('a range past the end: 416 with the size', async () => {
    const { digest, size } = layer();
    for (const range of [`bytes=${size}-`, `bytes=${size + 5}-${size + 9}`, 'bytes=-0']) {
      const res = await fetch(blobUrl(digest), { headers: { range } });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${size}`);
      await res.arrayBuffer();
    }
  });

  it('HEAD: length and digest, no body', async () => {
    const { digest, size } = layer();
    const res = await raw(blobUrl(digest).slice(base.length), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(size));
    expect(res.headers['docker-content-digest']).toBe(digest);
    expect(res.body.length).toBe(0);
  });

  it("another repository's blob, or one the store lacks: 404 BLOB_UNKNOWN", async () => {
    const compose = refDigest(laptop, 'registry.plant.local/compose/line-status:1.0.0') as string;
    const imageBlobs = new Set(
      reachable(laptop, refDigest(laptop, imageRef) as string).map((r) => r.digest),
    );
    const archive = childrenOf(laptop, compose).find((d) => !imageBlobs.has(d)) as string;
    expect(archive).toBeDefined();
    const refused = await fetch(blobUrl(archive));
    expect(refused.status).toBe(404);
    expect(errorOf(await refused.text())).toMatchObject({
      code: 'BLOB_UNKNOWN',
      detail: { digest: archive },
    });
    // The same blob through its own repository.
    const own = await fetch(
      `${base}/v2/compose/line-status/blobs/${archive}?ns=registry.plant.local`,
    );
    expect(own.status).toBe(200);
    expect(sha256(new Uint8Array(await own.arrayBuffer()))).toBe(archive);
    const absent = await fetch(blobUrl(`sha256:${'e'.repeat(64)}`));
    expect(absent.status).toBe(404);
    expect(errorOf(await absent.text())?.code).toBe('BLOB_UNKNOWN');
  });
});

describe('refusals', () => {
  it('bad names: 400 NAME_INVALID, before any lookup, with no path normalization', async () => {
    for (const path of [
      '/v2/Demo/line-status/tags/list',
      '/v2/demo/../compose/line-status/tags/list',
      '/v2/demo/%2e%2e/x/manifests/1.0.0',
      '/v2//tags/list',
      '/v2/demo//x/blobs/sha256:' + 'a'.repeat(64),
      `/v2/${'a'.repeat(256)}/tags/list`,
    ]) {
      const res = await raw(path);
      expect(res.status, path).toBe(400);
      expect(errorOf(res.body)?.code, path).toBe('NAME_INVALID');
    }
  });

  it('bad digests: 400 DIGEST_INVALID; a path can never be smuggled in as one', async () => {
    for (const path of [
      '/v2/demo/line-status/blobs/sha256:abc',
      `/v2/demo/line-status/blobs/sha256:${'A'.repeat(64)}`,
      `/v2/demo/line-status/blobs/md5:${'a'.repeat(32)}`,
      '/v2/demo/line-status/blobs/..%2F..%2Fcommissioner.db',
      '/v2/demo/line-status/manifests/sha256:..%2Findex.json',
    ]) {
      const res = await raw(`${path}?ns=registry.plant.local`);
      expect(res.status, path).toBe(400);
      expect(errorOf(res.body)?.code, path).toBe('DIGEST_INVALID');
    }
  });

  it('writes: 405 UNSUPPORTED, the store is read-only', async () => {
    const writes: [string, string][] = [
      ['POST', '/v2/demo/line-status/blobs/uploads/'],
      ['PUT', '/v2/demo/line-status/manifests/2.0.0'],
      ['PATCH', '/v2/demo/line-status/blobs/uploads/x'],
      [
        'DELETE',
        `/v2/demo/line-status/manifests/${refDigest(laptop, 'registry.plant.local/demo/line-status:1.0.0')}`,
      ],
    ];
    for (const [method, path] of writes) {
      const res = await fetch(`${base}${path}`, {
        method,
        body: method === 'DELETE' ? null : '{}',
      });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      const error = errorOf(await res.text());
      expect(error?.code).toBe('UNSUPPORTED');
      expect(error?.message).toMatch(/read-only/);
    }
    expect(refDigest(laptop, 'registry.plant.local/demo/line-status:2.0.0')).toBeUndefined();
    expect(refDigest(laptop, 'registry.plant.local/demo/line-status:1.0.0')).toBeDefined();
  });

  it('an unknown repository: 404 NAME_UNKNOWN', async () => {
    const res = await fetch(`${base}/v2/nobody/here/manifests/1.0.0`);
    expect(res.status).toBe(404);
    expect(errorOf(await res.text())).toMatchObject({
      code: 'NAME_UNKNOWN',
      detail: { name: 'nobody/here' },
    });
  });
});

describe('repository names', () => {
  const tagsOf = async (path: string, headers: Record<string, string> = {}) => {
    const res = await raw(path, { headers });
    expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(200);
    return (JSON.parse(res.body.toString()) as { tags: string[] }).tags;
  };

  it('Host: the supplier registry name resolving to the laptop, with or without a port', async () => {
    const path = '/v2/demo/line-status/manifests/1.0.0';
    const digest = refDigest(laptop, 'registry.plant.local/demo/line-status:1.0.0');
    for (const host of ['registry.plant.local', 'registry.plant.local:5000']) {
      const res = await raw(path, { headers: { host } });
      expect(res.status, host).toBe(200);
      expect(res.headers['docker-content-digest']).toBe(digest);
    }
    // Host picks one of two registries holding the same path.
    expect(await tagsOf('/v2/tools/probe/tags/list', { host: 'plant-a.local' })).toHaveLength(5);
    expect(await tagsOf('/v2/tools/probe/tags/list', { host: 'plant-b.local:443' })).toEqual([
      '1.0',
    ]);
  });

  it('?ns= (containerd/k3s mirrors) wins over Host', async () => {
    expect(
      await tagsOf('/v2/tools/probe/tags/list?ns=plant-b.local', { host: 'plant-a.local' }),
    ).toEqual(['1.0']);
  });

  it('the full name in the path; host-less package refs by their name', async () => {
    expect(await tagsOf('/v2/plant-b.local/tools/probe/tags/list')).toEqual(['1.0']);
    expect(await tagsOf('/v2/org-commissioner-demo-line-status/tags/list')).toEqual(['1.0.0']);
  });

  it('a path one registry holds is found without hints; one two hold is ambiguous', async () => {
    expect(await tagsOf('/v2/compose/line-status/tags/list')).toEqual(['1.0.0']);
    const res = await raw('/v2/tools/probe/tags/list');
    expect(res.status).toBe(404);
    const error = errorOf(res.body);
    expect(error?.code).toBe('NAME_UNKNOWN');
    expect(error?.detail).toEqual({
      name: 'tools/probe',
      candidates: ['plant-a.local/tools/probe', 'plant-b.local/tools/probe'],
    });
    expect(error?.message).toContain('plant-a.local/tools/probe, plant-b.local/tools/probe');
  });

  it('Docker Hub names as Docker normalizes them', async () => {
    const expected = ['1.36', 'latest'];
    expect(await tagsOf('/v2/library/busybox/tags/list')).toEqual(expected);
    expect(await tagsOf('/v2/busybox/tags/list')).toEqual(expected);
    expect(await tagsOf('/v2/docker.io/busybox/tags/list')).toEqual(expected);
    expect(await tagsOf('/v2/index.docker.io/library/busybox/tags/list')).toEqual(expected);
    expect(await tagsOf('/v2/library/busybox/tags/list?ns=docker.io')).toEqual(expected);
    expect(await tagsOf('/v2/library/busybox/tags/list', { host: 'registry-1.docker.io' })).toEqual(
      expected,
    );
    expect(await tagsOf('/v2/busybox/tags/list', { host: 'registry-1.docker.io' })).toEqual(
      expected,
    );
  });
});

describe('pulling through our own registry client', () => {
  it('the demo kit: every repository arrives in a fresh store with the same digests', async () => {
    const device = openStore(join(root, 'device-demo'));
    try {
      const host = `127.0.0.1:${port}`;
      // [what the device pulls, the laptop's ref, the ref it gets on the device]
      const pulls: [string, string, string][] = [
        [
          `oci://${host}/compose/line-status:1.0.0`,
          'registry.plant.local/compose/line-status:1.0.0',
          `${host}/compose/line-status:1.0.0`,
        ],
        // No tag: every tag, through the tag list.
        [
          `oci://${host}/demo/line-status`,
          'registry.plant.local/demo/line-status:1.0.0',
          `${host}/demo/line-status:1.0.0`,
        ],
        [
          `oci://${host}/org-commissioner-demo-line-status:1.0.0`,
          'org-commissioner-demo-line-status:1.0.0',
          `${host}/org-commissioner-demo-line-status:1.0.0`,
        ],
      ];
      const report = await importSources(
        device,
        pulls.map(([input]) => ({ input, path: '' })),
        { registry: { plainHttp: true } },
      );
      expect(report.unreadable).toEqual([]);
      expect(report.refused).toEqual([]);
      expect(report.invalid).toEqual([]);
      expect(report.imported.map((i) => i.ref).sort()).toEqual(pulls.map((p) => p[2]).sort());
      for (const [, laptopRef, deviceRef] of pulls) {
        const digest = refDigest(laptop, laptopRef) as string;
        expect(refDigest(device, deviceRef), deviceRef).toBe(digest);
        expect(reachable(device, digest)).toEqual(reachable(laptop, digest));
      }
    } finally {
      device.close();
    }
  });

  it('--with-dependencies: a package, its compose archive and the image it runs, all from the laptop', async () => {
    // A package whose components and image name the laptop's address, as a supplier's kit
    // retargeted at the laptop would.
    const host = `127.0.0.1:${port}`;
    const fixture = await makePackageFixture(join(root, 'fixture'), { registryHost: host });
    const kit = await makeKit(fixture, join(root, 'fixture-kit.tar'));
    const onLaptop = await importSources(laptop, [{ input: kit, path: kit }]);
    expect(onLaptop.imported.map((i) => i.ref).sort()).toEqual([
      `${host}/compose/monitor:1.2.0`,
      `${host}/monitor:1.2.0`,
      'com-example-line-monitor:1.2.0',
    ]);

    const device = openStore(join(root, 'device-deps'));
    try {
      const report = await importSources(
        device,
        [{ input: `oci://${host}/com-example-line-monitor:1.2.0`, path: '' }],
        { registry: { plainHttp: true }, withDependencies: true },
      );
      expect(report.imported.map((i) => [i.kind, i.ref]).sort()).toEqual([
        ['application', `${host}/com-example-line-monitor:1.2.0`],
        ['compose', `${host}/compose/monitor:1.2.0`],
        ['image', `${host}/monitor:1.2.0`],
      ]);
      // The fixture's Helm component is on no registry: the laptop says so, the rest arrives.
      expect(report.unreadable).toEqual([
        {
          source: `oci://${host}/charts/monitor:1.2.0`,
          message: expect.stringMatching(/NAME_UNKNOWN/),
        },
      ]);
      for (const [laptopRef, deviceRef] of [
        ['com-example-line-monitor:1.2.0', `${host}/com-example-line-monitor:1.2.0`],
        [`${host}/compose/monitor:1.2.0`, `${host}/compose/monitor:1.2.0`],
        [`${host}/monitor:1.2.0`, `${host}/monitor:1.2.0`],
      ] as const) {
        const digest = refDigest(laptop, laptopRef) as string;
        expect(refDigest(device, deviceRef), deviceRef).toBe(digest);
        expect(reachable(device, digest)).toEqual(reachable(laptop, digest));
      }
    } finally {
      device.close();
    }
  });
});

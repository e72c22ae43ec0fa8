import {
  mkdtempSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findImageRef } from '../../electron/core/images/find-image-ref';
import { importSources, type ImportOptions } from '../../electron/core/import/import-sources';
import { LayoutWriter } from '../../electron/core/kit/layout-writer';
import { RegistryClient } from '../../electron/core/registry/registry-client';
import { listCatalog } from '../../electron/core/store/catalog-reader';
import { openStore, type Store } from '../../electron/core/store/store';
import { MEDIA } from '../../shared/oci/media-types';
import { makeKit, makePackageFixture } from '../support/kit-fixture';
import { pushLayout } from '../support/push-layout';
import { startRegistry, type TestRegistry } from '../support/registry';
import { runCli } from '../support/run-cli';
import { snapshotStore } from '../support/store-snapshot';

const root = mkdtempSync(join(tmpdir(), 'commissioner-registry-import-'));
let registry: TestRegistry;
let client: RegistryClient;
let appRef: string;

/** A plant registry holding a package (1.2.0 and 1.3.0), its compose component, chart and image. */
beforeAll(async () => {
  registry = await startRegistry();
  client = new RegistryClient({ registry: registry.host, plainHttp: true });
  const host = registry.host;
  appRef = `oci://${host}/apps/line-monitor`;
  for (const version of ['1.2.0', '1.3.0']) {
    const fixture = await makePackageFixture(join(root, `fixture-${version}`), {
      registryHost: host,
      version,
    });
    const kit = await makeKit(fixture, join(root, `kit-${version}`));
    await pushLayout(client, kit, {
      [`com-example-line-monitor:${version}`]: `apps/line-monitor:${version}`,
      [`${host}/compose/monitor:1.2.0`]: 'compose/monitor:1.2.0',
      [`${host}/monitor:1.2.0`]: 'monitor:1.2.0',
    });
  }
  // A Helm chart for the helm profile's component (its content does not matter here).
  const chart = await LayoutWriter.create(join(root, 'chart'));
  const config = await chart.addBytes(
    JSON.stringify({ apiVersion: 'v2', name: 'monitor-chart', version: '1.2.0' }),
  );
  const layer = await chart.addBytes(gzipSync(Buffer.from('monitor-chart/Chart.yaml')));
  await chart.addManifest(
    {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.helmConfig, ...config },
      layers: [{ mediaType: MEDIA.helmChart, ...layer }],
    },
    'chart',
  );
  await chart.finish();
  await pushLayout(client, join(root, 'chart'), { chart: 'charts/monitor:1.2.0' });
}, 60_000);

afterAll(async () => {
  client?.close();
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

let homes = 0;
const fresh = (): Store => openStore(join(root, `home-${++homes}`));
const plain: ImportOptions = { registry: { plainHttp: true } };
const refOf = (tag?: string) => ({ input: tag ? `${appRef}:${tag}` : appRef, path: '' });

describe('importing from a plant registry', () => {
  it('pulls one tag over the distribution API; the tag equals metadata.version', async () => {
    const store = fresh();
    try {
      const report = await importSources(store, [refOf('1.2.0')], plain);
      expect(report.imported).toEqual([
        expect.objectContaining({
          kind: 'application',
          id: 'com-example-line-monitor',
          version: '1.2.0',
          ref: `${registry.host}/apps/line-monitor:1.2.0`,
        }),
      ]);
      expect(listCatalog(store.db)).toHaveLength(1);
      const again = await importSources(store, [refOf('1.2.0')], plain);
      expect(again.unchanged).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  it('pulls every tag when none is given', async () => {
    const store = fresh();
    try {
      const report = await importSources(store, [refOf()], plain);
      expect(report.imported.map((i) => i.version).sort()).toEqual(['1.2.0', '1.3.0']);
      expect(listCatalog(store.db).map((e) => e.version)).toEqual(['1.3.0']);
    } finally {
      store.close();
    }
  });

  it('--with-dependencies also pulls the components the package names and the images their compose files run', async () => {
    const store = fresh();
    try {
      const report = await importSources(store, [refOf('1.2.0')], {
        ...plain,
        withDependencies: true,
      });
      expect(report.imported.map((i) => [i.kind, i.ref]).sort()).toEqual([
        ['application', `${registry.host}/apps/line-monitor:1.2.0`],
        ['compose', `${registry.host}/compose/monitor:1.2.0`],
        ['helm', `${registry.host}/charts/monitor:1.2.0`],
        ['image', `${registry.host}/monitor:1.2.0`],
      ]);
      expect(report.unreadable).toEqual([]);
      expect(findImageRef(store, `${registry.host}/monitor:1.2.0`)).toBe(
        `${registry.host}/monitor:1.2.0`,
      );
    } finally {
      store.close();
    }
  });

  it('a package whose tag differs from metadata.version is invalid', async () => {
    const manifest = await client.getManifest('apps/line-monitor', '1.2.0');
    await client.pushManifest('apps/line-monitor', 'latest', manifest.mediaType, manifest.bytes);
    const store = fresh();
    try {
      const report = await importSources(store, [refOf('latest')], plain);
      expect(report.invalid).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('is tagged latest but its metadata.version is 1.2.0'),
        }),
      ]);
      expect(report.imported).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('an unknown tag, a registry that is not there, or HTTPS to a plain registry: the source cannot be read', async () => {
    const store = fresh();
    try {
      const before = snapshotStore(store.paths.home);
      const missing = await importSources(store, [refOf('9.9.9')], plain);
      expect(missing.unreadable).toEqual([
        { source: `${appRef}:9.9.9`, message: expect.stringMatching(/not found|unknown/i) },
      ]);
      const nobody = await importSources(
        store,
        [{ input: 'oci://127.0.0.1:9/apps/x:1.0.0', path: '' }],
        plain,
      );
      expect(nobody.unreadable[0]?.message).toMatch(/nothing answers/);
      const https = await importSources(store, [refOf('1.2.0')], {});
      expect(https.unreadable[0]?.message).toMatch(/plain HTTP/);
      expect(snapshotStore(store.paths.home)).toEqual(before);
    } finally {
      store.close();
    }
  });
});

describe('registry faults, produced on the real registry', () => {
  let faulty: TestRegistry;
  let layerDigest: string;

  beforeAll(async () => {
    faulty = await startRegistry();
    const push = new RegistryClient({ registry: faulty.host, plainHttp: true });
    const fixture = await makePackageFixture(join(root, 'faulty'), { registryHost: faulty.host });
    const kit = await makeKit(fixture, join(root, 'kit-faulty'));
    await pushLayout(push, kit, { [`${faulty.host}/monitor:1.2.0`]: 'monitor:1.2.0' });
    const manifest = JSON.parse(
      (await push.getManifest('monitor', '1.2.0')).bytes.toString('utf8'),
    ) as { layers: { digest: string }[] };
    layerDigest = manifest.layers[0]?.digest as string;
    push.close();
  }, 60_000);
  afterAll(() => faulty?.stop());

  const image = () => ({ input: `oci://${faulty.host}/monitor:1.2.0`, path: '' });
  async function expectKept(kind: 'refused' | 'unreadable', pattern: RegExp) {
    const store = fresh();
    try {
      const before = snapshotStore(store.paths.home);
      const report = await importSources(store, [image()], plain);
      expect(report[kind], JSON.stringify(report)).toEqual([
        expect.objectContaining({ message: expect.stringMatching(pattern) }),
      ]);
      expect(report.imported).toEqual([]);
      expect(snapshotStore(store.paths.home)).toEqual(before);
    } finally {
      store.close();
    }
  }

  it('a healthy pull first (so the faults below are the only difference)', async () => {
    const store = fresh();
    try {
      expect((await importSources(store, [image()], plain)).imported).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  it('a blob whose bytes were altered in storage is refused (digest mismatch)', async () => {
    const path = faulty.blobDataPath(layerDigest);
    const original = readFileSync(path);
    const altered = Buffer.from(original);
    altered[altered.length - 600] = (altered[altered.length - 600] as number) ^ 0xff;
    writeFileSync(path, altered);
    try {
      await expectKept('refused', /digest/i);
    } finally {
      writeFileSync(path, original);
    }
  });

  it('a truncated blob is refused (size mismatch)', async () => {
    const path = faulty.blobDataPath(layerDigest);
    const original = readFileSync(path);
    truncateSync(path, 100);
    try {
      await expectKept('refused', /size|bytes/i);
    } finally {
      writeFileSync(path, original);
    }
  });

  it('a registry answering 500 for a blob: the source cannot be read', async () => {
    const path = faulty.blobDataPath(layerDigest);
    const original = readFileSync(path);
    unlinkSync(path);
    symlinkSync(path, path); // a link to itself: distribution fails its stat and answers 500
    try {
      await expectKept('unreadable', /server|500/i);
    } finally {
      unlinkSync(path);
      writeFileSync(path, original);
    }
  });
});

describe('registries with authentication and TLS', () => {
  it('basic auth (htpasswd) and a custom CA over HTTPS; wrong credentials are refused', async () => {
    const secured = await startRegistry({
      tls: true,
      basicAuth: { username: 'engineer', password: 's3cret' },
    });
    try {
      const push = new RegistryClient({
        registry: secured.host,
        ca: secured.caPem as string,
        credentials: { username: 'engineer', password: 's3cret' },
      });
      const fixture = await makePackageFixture(join(root, 'secured'), {
        registryHost: secured.host,
      });
      await pushLayout(push, await makeKit(fixture, join(root, 'kit-secured')), {
        'com-example-line-monitor:1.2.0': 'apps/line-monitor:1.2.0',
      });
      push.close();
      const source = { input: `oci://${secured.host}/apps/line-monitor:1.2.0`, path: '' };
      const store = fresh();
      try {
        const good = await importSources(store, [source], {
          registry: {
            ca: secured.caPem as string,
            credentials: { username: 'engineer', password: 's3cret' },
          },
        });
        expect(good.imported).toHaveLength(1);
        const wrong = await importSources(store, [source], {
          registry: {
            ca: secured.caPem as string,
            credentials: { username: 'engineer', password: 'guess' },
          },
        });
        expect(wrong.unreadable[0]?.message).toMatch(/refused the credentials|credentials/);
        expect(wrong.unreadable[0]?.message).not.toContain('guess');
        const untrusted = await importSources(store, [source], {
          registry: { credentials: { username: 'engineer', password: 's3cret' } },
        });
        expect(untrusted.unreadable[0]?.message).toMatch(/not trusted/);
      } finally {
        store.close();
      }
    } finally {
      await secured.stop();
    }
  }, 60_000);

  it('bearer tokens, and the CLI with --username and --password-stdin', async () => {
    const secured = await startRegistry({ tokenAuth: { username: 'engineer', password: 'tok3n' } });
    try {
      const push = new RegistryClient({
        registry: secured.host,
        plainHttp: true,
        credentials: { username: 'engineer', password: 'tok3n' },
      });
      const fixture = await makePackageFixture(join(root, 'token'), { registryHost: secured.host });
      await pushLayout(push, await makeKit(fixture, join(root, 'kit-token')), {
        'com-example-line-monitor:1.2.0': 'apps/line-monitor:1.2.0',
      });
      push.close();
      const home = join(root, 'cli-home');
      const run = await runCli(
        [
          'import',
          `oci://${secured.host}/apps/line-monitor:1.2.0`,
          '--plain-http',
          '--username',
          'engineer',
          '--password-stdin',
          '--json',
        ],
        {
          env: { COMMISSIONER_HOME: home },
          input: 'tok3n\n',
        },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).imported).toHaveLength(1);
      const denied = await runCli(
        ['import', `oci://${secured.host}/apps/line-monitor:1.2.0`, '--plain-http', '--json'],
        {
          env: { COMMISSIONER_HOME: home },
        },
      );
      expect(denied.code).toBe(2);
      expect(JSON.parse(denied.stdout).unreadable[0].message).toMatch(/credentials/);
      const fromEnv = await runCli(
        [
          'import',
          `oci://${secured.host}/apps/line-monitor:1.2.0`,
          '--plain-http',
          '--username',
          'engineer',
          '--json',
        ],
        {
          env: { COMMISSIONER_HOME: home, COMMISSIONER_REGISTRY_PASSWORD: 'tok3n' },
        },
      );
      expect(JSON.parse(fromEnv.stdout).unchanged).toHaveLength(1);
    } finally {
      await secured.stop();
    }
  }, 60_000);
});

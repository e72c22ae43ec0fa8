import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RegistryClient,
  RegistryError,
  type RegistryClientOptions,
} from '../../electron/core/registry/registry-client';
import { EMPTY_CONFIG, MEDIA } from '../../shared/oci/media-types';
import { startRegistry, type TestRegistry } from '../support/registry';

const MARGO_APP = 'application/vnd.margo.app.v1+json';
const EMPTY_DESCRIPTOR = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'commissioner-registry-test-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

let fileCounter = 0;
/** Writes bytes to a fresh file of the work directory and describes them as a blob. */
async function blobFile(
  content: string | Buffer,
): Promise<{ path: string; digest: string; size: number }> {
  const bytes = Buffer.from(content);
  const path = join(work, `blob-${++fileCounter}`);
  await writeFile(path, bytes);
  return { path, digest: sha256(bytes), size: bytes.length };
}

function destination(): string {
  return join(work, `fetched-${++fileCounter}`);
}

/** The RegistryError a promise rejects with; fails the test when it resolves or throws another error. */
async function registryError(promise: Promise<unknown>): Promise<RegistryError> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(RegistryError);
  return outcome as RegistryError;
}

/**
 * Pushes a Margo application artifact the way a supplier's pipeline would: the empty config
 * (`{}`), one layer with the application description, an OCI manifest with artifactType.
 */
async function pushArtifact(client: RegistryClient, repository: string, tag: string) {
  const config = await blobFile('{}');
  expect(config.digest).toBe(EMPTY_DESCRIPTOR.digest);
  const description = await blobFile(
    `apiVersion: margo.org/v1-alpha1\nkind: ApplicationDescription\nid: ${repository.replace(/\W/g, '-')}-${tag.replace(/\W/g, '-')}\n`,
  );
  await client.pushBlob(repository, config.path, config.digest);
  await client.pushBlob(repository, description.path, description.digest);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      artifactType: MARGO_APP,
      config: EMPTY_DESCRIPTOR,
      layers: [
        {
          mediaType: MEDIA.margoDescription,
          digest: description.digest,
          size: description.size,
          annotations: { 'org.opencontainers.image.title': 'margo.yaml' },
        },
      ],
    }),
  );
  const digest = await client.pushManifest(repository, tag, MEDIA.ociManifest, manifest);
  return { manifest, digest, description };
}

describe('RegistryClient against distribution 2.8 over plain HTTP', () => {
  let registry: TestRegistry;
  let client: RegistryClient;
  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ registry: registry.host, plainHttp: true });
  });
  afterAll(async () => {
    client?.close();
    await registry?.stop();
  });

  it('pushes a Margo artifact and reads it back: tags, manifest by tag and by digest, verified blobs', async () => {
    const repository = 'margo/line-monitor';
    const before = await blobFile('never pushed');
    expect(await client.hasBlob(repository, before.digest)).toBe(false);

    const { manifest, digest, description } = await pushArtifact(client, repository, '1.2.0');
    expect(digest).toBe(sha256(manifest));
    expect(await client.hasBlob(repository, description.digest)).toBe(true);
    // The bytes really are in distribution's storage, where the fault tests below damage them.
    expect(await readFile(registry.blobDataPath(description.digest))).toEqual(
      await readFile(description.path),
    );

    expect(await client.listTags(repository)).toEqual(['1.2.0']);

    const byTag = await client.getManifest(repository, '1.2.0');
    expect(byTag).toEqual({ mediaType: MEDIA.ociManifest, digest, bytes: manifest });
    const byDigest = await client.getManifest(repository, digest);
    expect(byDigest).toEqual({ mediaType: MEDIA.ociManifest, digest, bytes: manifest });
    expect(JSON.parse(byDigest.bytes.toString())).toMatchObject({ artifactType: MARGO_APP });

    const target = destination();
    const progress: number[] = [];
    await client.fetchBlob(repository, description, target, (bytes) => progress.push(bytes));
    expect(await readFile(target)).toEqual(await readFile(description.path));
    expect(progress.at(-1)).toBe(description.size);

    const config = destination();
    await client.fetchBlob(repository, EMPTY_CONFIG, config);
    expect(await readFile(config, 'utf8')).toBe('{}');
  });

  it('does not upload a blob the repository already has', async () => {
    const repository = 'margo/dedup';
    const blob = await blobFile('already there');
    await client.pushBlob(repository, blob.path, blob.digest);
    // Other content under the same digest: had it been uploaded, the registry would refuse it.
    const impostor = await blobFile('different bytes');
    await client.pushBlob(repository, impostor.path, blob.digest);
    const target = destination();
    await client.fetchBlob(repository, blob, target);
    expect(await readFile(target, 'utf8')).toBe('already there');
  });

  it('reports a file whose content does not match the digest as digest-mismatch', async () => {
    const blob = await blobFile('the real content');
    const other = await blobFile('other content');
    const error = await registryError(client.pushBlob('margo/mismatch', other.path, blob.digest));
    expect(error.kind).toBe('digest-mismatch');
    expect(error.message).toContain(other.path);
    expect(await client.hasBlob('margo/mismatch', blob.digest)).toBe(false);
  });

  it('refuses to push a manifest under a digest that is not its own', async () => {
    const bytes = Buffer.from('{"schemaVersion":2}');
    const error = await registryError(
      client.pushManifest('margo/x', EMPTY_DESCRIPTOR.digest, MEDIA.ociManifest, bytes),
    );
    expect(error.kind).toBe('digest-mismatch');
    expect(error.message).toContain(sha256(bytes));
  });

  it('reports a manifest the registry rejects (missing blobs) with its own words', async () => {
    const missing = sha256(Buffer.from('not uploaded'));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: { ...EMPTY_DESCRIPTOR, digest: missing },
        layers: [],
      }),
    );
    const error = await registryError(
      client.pushManifest('margo/incomplete', 'v1', MEDIA.ociManifest, manifest),
    );
    expect(error.kind).toBe('protocol');
    expect(error.status).toBe(400);
    expect(error.message).toContain('MANIFEST_BLOB_UNKNOWN');
    expect(error.message).toContain(missing);
  });

  it('lists every tag and every repository, following the registry pages', async () => {
    const repository = 'margo/paged';
    const tags = ['1.0.0', '1.1.0', '1.2.0', '2.0.0', '2.1.0'];
    for (const tag of tags) await pushArtifact(client, repository, tag);
    // distribution 2.8 ignores `n` for tags (it sends them all, unsorted): the page size must
    // not lose any.
    expect((await client.listTags(repository, { pageSize: 2 })).sort()).toEqual(tags);

    const names = ['margo/page-a', 'margo/page-b', 'margo/page-c'];
    for (const name of names) await pushArtifact(client, name, 'v1');
    const all = await client.listRepositories();
    expect(all).toEqual(expect.arrayContaining([repository, ...names]));
    // The catalog is paged by `n` with a `Link: <…>; rel="next"` to the next page: at two per
    // page, every repository beyond the second was reached through a link.
    expect(await client.listRepositories({ pageSize: 2 })).toEqual(all);
  });

  it('reads a Docker v2 manifest, a Docker manifest list and an OCI index with their media types', async () => {
    const repository = 'margo/images';
    const config = await blobFile(
      '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}',
    );
    const layer = await blobFile(
      Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    );
    await client.pushBlob(repository, config.path, config.digest);
    await client.pushBlob(repository, layer.path, layer.digest);
    const docker = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.dockerManifest,
        config: { mediaType: MEDIA.dockerConfig, digest: config.digest, size: config.size },
        layers: [{ mediaType: MEDIA.dockerLayerGzip, digest: layer.digest, size: layer.size }],
      }),
    );
    const dockerDigest = await client.pushManifest(
      repository,
      'docker',
      MEDIA.dockerManifest,
      docker,
    );
    const artifact = await pushArtifact(client, repository, 'artifact');
    const platform = { architecture: 'amd64', os: 'linux' };
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociIndex,
        manifests: [
          { mediaType: MEDIA.ociManifest, digest: artifact.digest, size: artifact.manifest.length },
        ],
      }),
    );
    const list = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.dockerManifestList,
        manifests: [
          { mediaType: MEDIA.dockerManifest, digest: dockerDigest, size: docker.length, platform },
        ],
      }),
    );
    await client.pushManifest(repository, 'index', MEDIA.ociIndex, index);
    await client.pushManifest(repository, 'list', MEDIA.dockerManifestList, list);

    expect(await client.getManifest(repository, 'docker')).toEqual({
      mediaType: MEDIA.dockerManifest,
      digest: dockerDigest,
      bytes: docker,
    });
    expect(await client.getManifest(repository, 'index')).toEqual({
      mediaType: MEDIA.ociIndex,
      digest: sha256(index),
      bytes: index,
    });
    expect(await client.getManifest(repository, 'list')).toEqual({
      mediaType: MEDIA.dockerManifestList,
      digest: sha256(list),
      bytes: list,
    });
  });

  it('reports unknown tags, digests, blobs and repositories as not-found, naming them', async () => {
    await pushArtifact(client, 'margo/known', '1.0.0');
    const tag = await registryError(client.getManifest('margo/known', 'no-such-tag'));
    expect(tag.kind).toBe('not-found');
    expect(tag.status).toBe(404);
    expect(tag.message).toContain('margo/known:no-such-tag');

    const unknownDigest = sha256(Buffer.from('no such manifest'));
    const digest = await registryError(client.getManifest('margo/known', unknownDigest));
    expect(digest.kind).toBe('not-found');
    expect(digest.message).toContain(`margo/known@${unknownDigest}`);

    const repository = await registryError(client.listTags('margo/unknown'));
    expect(repository.kind).toBe('not-found');
    expect(repository.message).toContain('margo/unknown');

    const target = destination();
    const blob = await registryError(
      client.fetchBlob('margo/known', { digest: unknownDigest, size: 3 }, target),
    );
    expect(blob.kind).toBe('not-found');
    expect(blob.message).toContain(unknownDigest);
    expect(existsSync(target)).toBe(false);
  });

  it('stops reading a manifest larger than maxBytes', async () => {
    const { manifest } = await pushArtifact(client, 'margo/big', '1.0.0');
    const error = await registryError(
      client.getManifest('margo/big', '1.0.0', { maxBytes: manifest.length - 1 }),
    );
    expect(error.kind).toBe('too-large');
    expect(error.message).toContain('margo/big:1.0.0');
    const fits = await client.getManifest('margo/big', '1.0.0', { maxBytes: manifest.length });
    expect(fits.bytes).toEqual(manifest);
  });
});

describe('RegistryClient against damaged registry storage', () => {
  let registry: TestRegistry;
  let client: RegistryClient;
  const repository = 'margo/damaged';
  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ registry: registry.host, plainHttp: true });
  });
  afterAll(async () => {
    client?.close();
    await registry?.stop();
  });

  /** A blob pushed for real, whose data file the test then damages. */
  async function storedBlob(content: string) {
    const blob = await blobFile(content);
    await client.pushBlob(repository, blob.path, blob.digest);
    const dataPath = registry.blobDataPath(blob.digest);
    expect(await readFile(dataPath, 'utf8')).toBe(content);
    return { ...blob, dataPath };
  }

  it('a truncated data file: size-mismatch, no file left behind', async () => {
    const blob = await storedBlob('a blob that loses its tail');
    await truncate(blob.dataPath, 10);
    const target = destination();
    const error = await registryError(client.fetchBlob(repository, blob, target));
    expect(error.kind).toBe('size-mismatch');
    expect(error.message).toContain(blob.digest);
    expect(existsSync(target)).toBe(false);
  });

  it('a data file with extra bytes: size-mismatch before anything is written', async () => {
    const blob = await storedBlob('a blob that grows');
    await writeFile(blob.dataPath, 'a blob that grows, and grows, and grows');
    const target = destination();
    const error = await registryError(client.fetchBlob(repository, blob, target));
    expect(error.kind).toBe('size-mismatch');
    expect(existsSync(target)).toBe(false);
  });

  it('a flipped byte: digest-mismatch, no file left behind', async () => {
    const blob = await storedBlob('a blob with one bad bit');
    const bytes = await readFile(blob.dataPath);
    bytes[5] = bytes[5]! ^ 0x01;
    await writeFile(blob.dataPath, bytes);
    const target = destination();
    const progress: number[] = [];
    const error = await registryError(
      client.fetchBlob(repository, blob, target, (n) => progress.push(n)),
    );
    expect(error.kind).toBe('digest-mismatch');
    expect(error.message).toContain(blob.digest);
    expect(error.message).toContain(sha256(bytes));
    // Every byte arrived and was written before the digest could be judged: the file existed.
    expect(progress.at(-1)).toBe(blob.size);
    expect(existsSync(target)).toBe(false);
  });

  it('a directory where the data file was: distribution calls the blob unknown (404)', async () => {
    // distribution's blob statter treats a directory at a blob path as "blob unknown", not
    // as an error, so this corruption surfaces as not-found.
    const blob = await storedBlob('a blob replaced by a directory');
    await rm(blob.dataPath);
    await mkdir(blob.dataPath);
    const target = destination();
    const error = await registryError(client.fetchBlob(repository, blob, target));
    expect(error.kind).toBe('not-found');
    expect(error.status).toBe(404);
    expect(existsSync(target)).toBe(false);
  });

  it('a data file the registry cannot stat (a symlink loop): the registry fails with 500 → server', async () => {
    const blob = await storedBlob('a blob replaced by a symlink loop');
    await rm(blob.dataPath);
    await symlink(blob.dataPath, blob.dataPath);
    const target = destination();
    const error = await registryError(client.fetchBlob(repository, blob, target));
    expect(error.kind).toBe('server');
    expect(error.status).toBe(500);
    expect(error.message).toContain(registry.host);
    expect(existsSync(target)).toBe(false);
    expect((await registryError(client.hasBlob(repository, blob.digest))).kind).toBe('server');
  });
});

describe('RegistryClient authentication', () => {
  const user = { username: 'plant-engineer', password: 'correct horse battery staple' };

  function checkSecretsStayOut(error: RegistryError): void {
    const everything = `${error.message} ${error.url ?? ''} ${JSON.stringify(error)}`;
    expect(everything).not.toContain(user.password);
    expect(everything).not.toContain('wrong password');
    expect(everything).not.toMatch(/Bearer|Basic [A-Za-z0-9+/=]{8,}|eyJ/);
  }

  describe('htpasswd (Basic)', () => {
    let registry: TestRegistry;
    beforeAll(async () => {
      registry = await startRegistry({ basicAuth: user });
    });
    afterAll(async () => {
      await registry?.stop();
    });
    const connect = (credentials?: RegistryClientOptions['credentials']) =>
      new RegistryClient({
        registry: registry.host,
        plainHttp: true,
        ...(credentials ? { credentials } : {}),
      });

    it('the right credentials push and pull', async () => {
      const client = connect(user);
      const { digest } = await pushArtifact(client, 'margo/basic', '1.0.0');
      expect((await client.getManifest('margo/basic', '1.0.0')).digest).toBe(digest);
      expect(await client.listTags('margo/basic')).toEqual(['1.0.0']);
      client.close();
    });

    it('wrong credentials: unauthorized, naming the user, never the password', async () => {
      const client = connect({ username: user.username, password: 'wrong password' });
      const error = await registryError(client.listTags('margo/basic'));
      expect(error.kind).toBe('unauthorized');
      expect(error.status).toBe(401);
      expect(error.message).toContain(`refused the credentials for user ${user.username}`);
      checkSecretsStayOut(error);
    });

    it('no credentials: unauthorized, saying credentials are needed', async () => {
      const error = await registryError(connect().listTags('margo/basic'));
      expect(error.kind).toBe('unauthorized');
      expect(error.message).toContain(`registry ${registry.host} requires credentials`);
      expect(error.message).toContain('--username');
    });
  });

  describe('token service (Bearer)', () => {
    let registry: TestRegistry;
    beforeAll(async () => {
      registry = await startRegistry({ tokenAuth: user });
    });
    afterAll(async () => {
      await registry?.stop();
    });
    const connect = (credentials?: RegistryClientOptions['credentials']) =>
      new RegistryClient({
        registry: registry.host,
        plainHttp: true,
        ...(credentials ? { credentials } : {}),
      });

    it('the right credentials push and pull with tokens scoped to the repository, fetched once per scope', async () => {
      const client = connect(user);
      const { digest, description } = await pushArtifact(client, 'margo/token', '1.0.0');
      const ours = (scope: string) => registry.tokenRequests.filter((r) => r.scopes[0] === scope);
      // Two blobs and a manifest, one token (the registry's own hint, pull, rides along).
      expect(ours('repository:margo/token:pull,push')).toEqual([
        {
          user: user.username,
          scopes: ['repository:margo/token:pull,push', 'repository:margo/token:pull'],
          issued: true,
        },
      ]);

      expect((await client.getManifest('margo/token', digest)).digest).toBe(digest);
      expect(await client.listTags('margo/token')).toEqual(['1.0.0']);
      const target = destination();
      await client.fetchBlob('margo/token', description, target);
      expect(await readFile(target)).toEqual(await readFile(description.path));
      // Three pulls, one token.
      expect(ours('repository:margo/token:pull')).toHaveLength(1);
      client.close();
    });

    it('a user who may only pull: forbidden on push, naming the user and the repository', async () => {
      const readOnly = await startRegistry({ tokenAuth: { ...user, actions: ['pull'] } });
      try {
        const client = new RegistryClient({
          registry: readOnly.host,
          plainHttp: true,
          credentials: user,
        });
        const blob = await blobFile('may not be pushed');
        const error = await registryError(client.pushBlob('margo/locked', blob.path, blob.digest));
        expect(error.kind).toBe('forbidden');
        expect(error.message).toContain(`user ${user.username} may not push to margo/locked`);
        checkSecretsStayOut(error);
        client.close();
      } finally {
        await readOnly.stop();
      }
    });

    it('wrong credentials: the token service refuses them → unauthorized, never the password', async () => {
      const client = connect({ username: user.username, password: 'wrong password' });
      const error = await registryError(client.listTags('margo/token'));
      expect(error.kind).toBe('unauthorized');
      expect(error.message).toContain(`refused the credentials for user ${user.username}`);
      checkSecretsStayOut(error);
      expect(registry.tokenRequests.at(-1)).toMatchObject({ user: user.username, issued: false });
    });

    it('no credentials: an anonymous token without access → unauthorized, saying credentials are needed', async () => {
      const error = await registryError(connect().listTags('margo/token'));
      expect(error.kind).toBe('unauthorized');
      expect(error.message).toContain('requires credentials');
      expect(registry.tokenRequests.at(-1)).toMatchObject({ user: '', issued: true });
      checkSecretsStayOut(error);
    });
  });
});

describe('RegistryClient against a registry that redirects blobs to storage', () => {
  const user = { username: 'plant-engineer', password: 'another secret' };
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ tokenAuth: user, storageRedirect: true });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('follows the redirect for blobs and never sends the credentials to the storage', async () => {
    const client = new RegistryClient({
      registry: registry.host,
      plainHttp: true,
      credentials: user,
    });
    const { description } = await pushArtifact(client, 'margo/redirected', '1.0.0');
    expect(await client.hasBlob('margo/redirected', description.digest)).toBe(true);
    const target = destination();
    await client.fetchBlob('margo/redirected', description, target);
    expect(await readFile(target)).toEqual(await readFile(description.path));
    const dataPath = registry.blobDataPath(description.digest).slice(registry.storageDir.length);
    const served = registry.storageRequests.filter((r) => r.path === dataPath);
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(registry.storageRequests.every((r) => !r.authorization)).toBe(true);
    client.close();
  });

  it('verifies what the storage serves: a flipped byte there is digest-mismatch', async () => {
    const client = new RegistryClient({
      registry: registry.host,
      plainHttp: true,
      credentials: user,
    });
    const blob = await blobFile('stored behind a redirect');
    await client.pushBlob('margo/redirected', blob.path, blob.digest);
    const dataPath = registry.blobDataPath(blob.digest);
    const bytes = await readFile(dataPath);
    bytes[0] = bytes[0]! ^ 0x20;
    await writeFile(dataPath, bytes);
    const target = destination();
    const error = await registryError(client.fetchBlob('margo/redirected', blob, target));
    expect(error.kind).toBe('digest-mismatch');
    expect(error.url).toContain(dataPath.slice(registry.storageDir.length));
    expect(existsSync(target)).toBe(false);
    client.close();
  });
});

describe('RegistryClient over TLS', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ tls: true });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('works with the registry CA', async () => {
    expect(registry.caPem).toContain('BEGIN CERTIFICATE');
    const client = new RegistryClient({ registry: registry.host, ca: registry.caPem! });
    const { digest } = await pushArtifact(client, 'margo/tls', '1.0.0');
    expect((await client.getManifest('margo/tls', '1.0.0')).digest).toBe(digest);
    client.close();
  });

  it('fails with tls without the CA, telling to pass it', async () => {
    const error = await registryError(
      new RegistryClient({ registry: registry.host }).listTags('margo/tls'),
    );
    expect(error.kind).toBe('tls');
    expect(error.message).toContain('not trusted');
    expect(error.message).toContain('--ca');
  });

  it('fails with tls when the certificate names another host', async () => {
    const elsewhere = await startRegistry({
      tls: { ipAddresses: ['192.0.2.1'], dnsNames: ['registry.invalid'] },
    });
    try {
      const client = new RegistryClient({ registry: elsewhere.host, ca: elsewhere.caPem! });
      const error = await registryError(client.listTags('margo/tls'));
      expect(error.kind).toBe('tls');
      expect(error.message).toContain('not issued for 127.0.0.1');
    } finally {
      await elsewhere.stop();
    }
  });

  it('plain HTTP to an HTTPS registry: tls, telling to drop --plain-http', async () => {
    const client = new RegistryClient({ registry: registry.host, plainHttp: true });
    const error = await registryError(client.listTags('margo/tls'));
    expect(error.kind).toBe('tls');
    expect(error.message).toContain('--plain-http');
  });

  describe('a plain-HTTP registry', () => {
    let plain: TestRegistry;
    beforeAll(async () => {
      plain = await startRegistry();
    });
    afterAll(async () => {
      await plain?.stop();
    });

    it('contacted over HTTPS (the default): tls, telling it speaks plain HTTP', async () => {
      const error = await registryError(
        new RegistryClient({ registry: plain.host }).listTags('margo/x'),
      );
      expect(error.kind).toBe('tls');
      expect(error.message).toContain('plain HTTP');
      expect(error.message).toContain('--plain-http');
    });

    it('contacted with plainHttp: works', async () => {
      const client = new RegistryClient({ registry: plain.host, plainHttp: true });
      await pushArtifact(client, 'margo/plain', '1.0.0');
      expect(await client.listTags('margo/plain')).toEqual(['1.0.0']);
      client.close();
    });
  });
});

describe('RegistryClient network faults', () => {
  it('nothing listening: network, "nothing answers"', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = new RegistryClient({ registry: `127.0.0.1:${port}`, plainHttp: true });
    const error = await registryError(client.listTags('margo/x'));
    expect(error.kind).toBe('network');
    expect(error.message).toContain(`nothing answers at http://127.0.0.1:${port}`);
  });

  describe('a server that stalls: silent, or mid-blob', () => {
    let silent: Server;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        // A blob request gets its head and one byte of two, then nothing; the rest nothing at all.
        socket.once('data', (request) => {
          if (request.toString('latin1').startsWith('GET /v2/margo/stall/blobs/')) {
            socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{');
          }
        });
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('timeout, for the manifest and for the blob (no file left behind)', async () => {
      const { port } = silent.address() as AddressInfo;
      const client = new RegistryClient({
        registry: `127.0.0.1:${port}`,
        plainHttp: true,
        timeoutMs: 200,
      });
      const manifest = await registryError(client.getManifest('margo/x', '1.0.0'));
      expect(manifest.kind).toBe('timeout');
      expect(manifest.message).toContain(`127.0.0.1:${port}`);
      const target = destination();
      const blob = await registryError(client.fetchBlob('margo/x', EMPTY_CONFIG, target));
      expect(blob.kind).toBe('timeout');
      expect(existsSync(target)).toBe(false);
    });

    it('timeout when the blob stops half-way, and the partial file is removed', async () => {
      const { port } = silent.address() as AddressInfo;
      const client = new RegistryClient({
        registry: `127.0.0.1:${port}`,
        plainHttp: true,
        timeoutMs: 200,
      });
      const target = destination();
      const progress: number[] = [];
      const error = await registryError(
        client.fetchBlob('margo/stall', EMPTY_CONFIG, target, (n) => progress.push(n)),
      );
      expect(error.kind).toBe('timeout');
      expect(progress).toEqual([1]);
      expect(existsSync(target)).toBe(false);
    });
  });
});

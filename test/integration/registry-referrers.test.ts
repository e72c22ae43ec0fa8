import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../electron/core/registry/registry-client';
import { MEDIA } from '../../shared/oci/media-types';

const NOTARY_SIGNATURE = 'application/vnd.cncf.notary.signature';
const SUBJECT = `sha256:${'a'.repeat(64)}`;
const descriptor = (n: number, artifactType: string) => ({
  mediaType: MEDIA.ociManifest,
  digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
  size: 100 + n,
  artifactType,
});

/**
 * A test double of a registry WITH the OCI 1.1 referrers API: the real registry the tests run
 * (distribution 2.8) has none, so this path cannot be produced for real here. It ignores the
 * artifactType filter (as registries may) and pages its answer with a Link header.
 */
let server: http.Server;
let host: string;
const requests: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://registry');
    if (url.pathname === `/v2/apps/line/referrers/${SUBJECT}`) {
      const second = url.searchParams.get('page') === '2';
      const manifests = second
        ? [descriptor(3, NOTARY_SIGNATURE)]
        : [descriptor(1, NOTARY_SIGNATURE), descriptor(2, 'application/vnd.example.sbom')];
      res.writeHead(200, {
        'content-type': MEDIA.ociIndex,
        ...(second ? {} : { link: `</v2/apps/line/referrers/${SUBJECT}?page=2>; rel="next"` }),
      });
      res.end(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[]}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('finding signatures on a registry with the referrers API', () => {
  it('reads every page of the referrers index and keeps only the artifact type asked for', async () => {
    const client = new RegistryClient({ registry: host, plainHttp: true });
    try {
      const found = await client.referrers('apps/line', SUBJECT, NOTARY_SIGNATURE);
      expect(found.map((d) => d.digest)).toEqual([
        descriptor(1, '').digest,
        descriptor(3, '').digest,
      ]);
      expect(requests[0]).toBe(
        `/v2/apps/line/referrers/${SUBJECT}?artifactType=${encodeURIComponent(NOTARY_SIGNATURE)}`,
      );
      // The API answered: no tag-schema lookup was made.
      expect(requests.some((r) => r.includes('/manifests/sha256-'))).toBe(false);
    } finally {
      client.close();
    }
  });
});

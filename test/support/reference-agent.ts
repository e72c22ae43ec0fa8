import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { margoExchange, type MargoAnswer, type MargoClientBundle } from './margo-device-client';

const MANIFEST = 'application/vnd.margo.manifest.v1+json';
const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface StateManifest {
  manifestVersion: number;
  bundle: { digest: string; sizeBytes?: number; url: string } | null;
  deployments: { deploymentId: string; digest: string; url: string }[];
}

/** One request the agent made and what it got, in order. */
export interface AgentRequest {
  method: string;
  path: string;
  ifNoneMatch?: string;
  status: number;
}

/** The files of a tar archive (ustar, regular files only: what a bundle holds). */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const name = header.subarray(0, 100).toString().replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString().replace(/\0.*$/s, '').trim(), 8);
    files.set(name, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/**
 * The margo/sandbox reference device agent's requests, as docs/margo-conformance.md describes
 * its behaviour (read from its source, not copied): capabilities under its client id with the
 * device id in the body; polling with the last ETag; the bundle by digest when the manifest
 * has one (If-None-Match when it holds it), each deployment by digest as its fallback; every
 * digest checked; status reports without adoptedManifestVersion or deviceId, whose answers
 * it does not read. Every request on a connection of its own (it turns keep-alive off).
 */
export class ReferenceAgent {
  /** What the agent holds: the last ETag and version, and its deployments' YAML by id. */
  etag: string | undefined;
  manifestVersion = 0;
  readonly deployments = new Map<string, { digest: string; yaml: Buffer }>();
  /** Deployments the last manifest no longer lists: the agent removes them. */
  readonly removing = new Set<string>();
  readonly log: AgentRequest[] = [];
  private bundle: { digest: string; bytes: Buffer } | undefined;

  constructor(
    private readonly client: MargoClientBundle,
    /** The id its client is known by: the agent puts it in the capabilities path. */
    private readonly clientId: string,
  ) {}

  private async send(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ): Promise<MargoAnswer> {
    const answer = await margoExchange(this.client, {
      method,
      path,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: Buffer.from(JSON.stringify(body)) }),
    });
    this.log.push({
      method,
      path,
      ...(headers['If-None-Match'] ? { ifNoneMatch: headers['If-None-Match'] } : {}),
      status: answer.status,
    });
    return answer;
  }

  /** Its first call: the capabilities file, under the client id. */
  async reportCapabilities(capabilities: unknown): Promise<number> {
    return (await this.send('PUT', `/api/v1/capabilities/${this.clientId}`, {}, capabilities))
      .status;
  }

  /** One state sync: the manifest, then what changed in it, fetched and checked. */
  async sync(options: { perDeployment?: boolean } = {}): Promise<number> {
    const answer = await this.send('GET', '/api/v1/deployments', {
      Accept: MANIFEST,
      ...(this.etag ? { 'If-None-Match': this.etag } : {}),
    });
    if (answer.status !== 200) return answer.status;
    const manifest = JSON.parse(answer.body.toString()) as StateManifest;
    if (manifest.manifestVersion < this.manifestVersion)
      throw new Error(`manifest version ${manifest.manifestVersion} went back: a rollback attack`);
    const listed = new Set(manifest.deployments.map((d) => d.deploymentId));
    for (const id of this.deployments.keys()) if (!listed.has(id)) this.removing.add(id);
    const changed = manifest.deployments.filter(
      (d) => this.deployments.get(d.deploymentId)?.digest !== d.digest,
    );
    if (changed.length > 0) {
      const files = options.perDeployment ? undefined : await this.fetchBundle(manifest.bundle);
      for (const d of changed) {
        const yaml = files?.get(`${d.deploymentId}.yaml`) ?? (await this.fetchDeployment(d));
        if (digestOf(yaml) !== d.digest) throw new Error(`digest mismatch for ${d.deploymentId}`);
        this.deployments.set(d.deploymentId, { digest: d.digest, yaml });
      }
    }
    this.manifestVersion = manifest.manifestVersion;
    this.etag = String(answer.headers.etag);
    return 200;
  }

  /** The bundle when there is one (sizeBytes under 50 MiB), or undefined. */
  async fetchBundle(bundle: StateManifest['bundle']): Promise<Map<string, Buffer> | undefined> {
    if (!bundle || (bundle.sizeBytes ?? Infinity) >= 50 * 1024 * 1024) return undefined;
    const cached = this.bundle?.digest === bundle.digest;
    const answer = await this.send(
      'GET',
      `/api/v1/bundles/${bundle.digest}`,
      cached ? { 'If-None-Match': `"${bundle.digest}"` } : {},
    );
    const bytes = answer.status === 304 && this.bundle ? this.bundle.bytes : answer.body;
    if (answer.status !== 200 && answer.status !== 304) return undefined;
    if (digestOf(bytes) !== bundle.digest) throw new Error('bundle digest mismatch');
    this.bundle = { digest: bundle.digest, bytes };
    return untar(gunzipSync(bytes));
  }

  async fetchDeployment(d: StateManifest['deployments'][number]): Promise<Buffer> {
    const held = this.deployments.get(d.deploymentId);
    const answer = await this.send(
      'GET',
      `/api/v1/deployments/${d.deploymentId}/${d.digest}`,
      held?.digest === d.digest ? { 'If-None-Match': `"${d.digest}"` } : {},
    );
    if (answer.status === 304 && held) return held.yaml;
    if (answer.status !== 200) throw new Error(`deployment fetch: HTTP ${answer.status}`);
    return answer.body;
  }

  /**
   * A status report as the agent sends it: the overall state (the most severe of its
   * components) and one entry per component; no adoptedManifestVersion, no deviceId.
   */
  async reportStatus(
    deploymentId: string,
    state: string,
    components: { name: string; state: string; error?: Record<string, string> }[],
    error?: { code: string; message: string },
  ): Promise<number> {
    const answer = await this.send(
      'POST',
      `/api/v1/deployments/${deploymentId}/status`,
      {},
      {
        deploymentId,
        status: { state, ...(error ? { error } : {}) },
        components,
      },
    );
    if (state === 'removed') {
      this.deployments.delete(deploymentId);
      this.removing.delete(deploymentId);
    }
    return answer.status;
  }
}

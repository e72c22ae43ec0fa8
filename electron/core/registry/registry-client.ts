import { createReadStream } from 'node:fs';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import http from 'node:http';
import type { Agent } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { rootCertificates } from 'node:tls';
import { MEDIA } from '../../../shared/oci/media-types';
import { ImageIndex, type Descriptor } from '../../../shared/oci/descriptors';
import { parseAuthChallenges } from './auth-challenge';
import { BlobVerifier } from './blob-verifier';
import { digestOf, parseDigest, requireDigest, type ParsedDigest } from '../store/content-digest';
import { parseErrorBody } from './error-body';
import { sendRequest, type ExchangeRequest, type RegistryResponse } from './http-exchange';
import { nextPageLink } from './link-header';
import { RegistryAuth, type AccessScope, type RegistryCredentials } from './registry-auth';
import { RegistryError } from './registry-error';

export type { RegistryCredentials } from './registry-auth';
export { RegistryError, type RegistryErrorKind } from './registry-error';

export interface RegistryClientOptions {
  /** `host[:port]`. */
  registry: string;
  /** Default false: HTTPS. Plain HTTP only when explicitly true. */
  plainHttp?: boolean;
  /** An extra trusted CA (PEM) for HTTPS, on top of the system's. */
  ca?: string | Buffer;
  credentials?: RegistryCredentials;
  /** Per request inactivity timeout, default 30 000 ms. */
  timeoutMs?: number;
  /** Never connect to the station itself, wherever the registry's answers point. */
  refuseLocal?: boolean;
}

export interface FetchedManifest {
  mediaType: string;
  /** The digest of `bytes`, computed here. */
  digest: string;
  bytes: Buffer;
}

export interface ListOptions {
  /** Entries per page (`?n=`); registries may ignore it. Every page is fetched either way. */
  pageSize?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MANIFEST_LIMIT = 4 * 1024 * 1024;
const LIST_PAGE_LIMIT = 32 * 1024 * 1024;
const ERROR_BODY_LIMIT = 64 * 1024;
const MAX_REDIRECTS = 5;
const MAX_PAGES = 100_000;
const MAX_REFERRER_PAGES = 16;
const REFERRERS_LIMIT = 4 * 1024 * 1024;
const USER_AGENT = 'margo-commissioner';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const MANIFEST_ACCEPT = [
  MEDIA.ociManifest,
  MEDIA.ociIndex,
  MEDIA.dockerManifest,
  MEDIA.dockerManifestList,
].join(', ');
// Content types that say nothing about the manifest kind (proxies, misconfigured servers).
const GENERIC_TYPES = new Set(['', 'application/json', 'text/plain', 'application/octet-stream']);

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const REPOSITORY =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^\w[\w.-]{0,127}$/;

type Reference = { tag: string; digest?: undefined } | { tag?: undefined; digest: ParsedDigest };

interface Exchange {
  method: ExchangeRequest['method'];
  url: URL;
  access: AccessScope;
  headers?: Record<string, string>;
  /** A factory, so the body can be sent again after an authentication challenge. */
  body?: Buffer | (() => Readable);
  followRedirects?: boolean;
}

/** What a request was about, for the messages of its failures. */
interface Subject {
  access: AccessScope;
  repository?: string;
  /** `manifest plant/app:1.0`: completes "… is not on registry x". */
  notFound: string;
  /** `push blob sha256:…`: completes "registry x rejected …". */
  operation: string;
}

/**
 * A client of the OCI Distribution API for plant-local registries: pull manifests and blobs
 * with verification, push blobs and manifests. Speaks node:http(s) directly, for custom CAs
 * and streamed, size-bounded bodies.
 */
export class RegistryClient {
  private readonly registry: string;
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly auth: RegistryAuth;
  private readonly refuseLocal: { refuseLocal?: true };
  /** Set once the registry answered the referrers API with 404: later lookups use tags only. */
  private referrersApiMissing = false;

  constructor(options: RegistryClientOptions) {
    if (!HOST.test(options.registry)) {
      throw new RangeError(`"${options.registry}" is not a registry host[:port]`);
    }
    this.registry = options.registry;
    this.base = new URL(`${options.plainHttp === true ? 'http' : 'https'}://${options.registry}/`);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.refuseLocal = options.refuseLocal ? { refuseLocal: true } : {};
    this.httpAgent = new http.Agent({ keepAlive: true });
    // Node's `ca` replaces the system roots; keep them so a registry with a public certificate
    // (or a token service behind one) still works when a plant CA is added.
    const ca = options.ca === undefined ? undefined : [...rootCertificates, options.ca.toString()];
    this.httpsAgent = new https.Agent({ keepAlive: true, ...(ca ? { ca } : {}) });
    this.auth = new RegistryAuth(options.registry, options.credentials, (url, authorization) =>
      sendRequest({
        method: 'GET',
        url,
        headers: {
          'user-agent': USER_AGENT,
          accept: 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        agent: this.agentFor(url),
        timeoutMs: this.timeoutMs,
        registry: this.registry,
        ...this.refuseLocal,
      }),
    );
  }

  /** Every tag of a repository, following `Link: <…>; rel="next"` pages. */
  async listTags(repository: string, options: ListOptions = {}): Promise<string[]> {
    requireRepository(repository);
    const tags: string[] = [];
    const subject = {
      access: pull(repository),
      repository,
      notFound: `repository ${repository}`,
      operation: `listing the tags of ${repository}`,
    };
    for await (const page of this.pages(`/v2/${repository}/tags/list`, subject, options)) {
      const list = (page as { tags?: unknown } | null)?.tags;
      if (list === null || list === undefined) continue;
      if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
        throw this.protocolError(`the tag list of ${repository} is not a list of names`);
      }
      tags.push(...(list as string[]));
    }
    return tags;
  }

  /** Every repository of the registry (`/v2/_catalog`), following pages. */
  async listRepositories(options: ListOptions = {}): Promise<string[]> {
    const repositories: string[] = [];
    const subject = {
      access: { scope: 'registry:catalog:*', action: 'list the repositories' },
      notFound: 'the repository catalog',
      operation: 'listing the repositories',
    };
    for await (const page of this.pages('/v2/_catalog', subject, options)) {
      const list = (page as { repositories?: unknown } | null)?.repositories;
      if (list === null || list === undefined) continue;
      if (!Array.isArray(list) || !list.every((r) => typeof r === 'string')) {
        throw this.protocolError('the repository catalog is not a list of names');
      }
      repositories.push(...(list as string[]));
    }
    return repositories;
  }

  /**
   * A manifest or index by tag or digest, with the digest of its exact bytes. When `reference`
   * is a digest the bytes must match it.
   */
  async getManifest(
    repository: string,
    reference: string,
    options: { maxBytes?: number } = {},
  ): Promise<FetchedManifest> {
    requireRepository(repository);
    const ref = requireReference(reference);
    const maxBytes = options.maxBytes ?? DEFAULT_MANIFEST_LIMIT;
    const name = `${repository}${ref.digest ? '@' : ':'}${reference}`;
    const subject = {
      access: pull(repository),
      repository,
      notFound: `manifest ${name}`,
      operation: `fetching manifest ${name}`,
    };
    const response = await this.exchange({
      method: 'GET',
      url: this.url(`/v2/${repository}/manifests/${reference}`),
      access: subject.access,
      headers: { accept: MANIFEST_ACCEPT },
      followRedirects: true,
    });
    if (response.status !== 200) throw await this.failure(response, subject);
    const bytes = await response.read(maxBytes).catch((e: unknown) => {
      if (e instanceof RegistryError && e.kind === 'too-large') {
        throw new RegistryError(
          'too-large',
          `manifest ${name} on registry ${this.registry} is larger than ${maxBytes} bytes`,
          { url: response.url, status: response.status },
        );
      }
      throw e;
    });
    const digest = digestOf(bytes, ref.digest?.algorithm);
    if (ref.digest && digest !== reference) {
      throw new RegistryError(
        'digest-mismatch',
        `registry ${this.registry} answered manifest ${name} with content whose digest is ${digest}`,
        { url: response.url, status: response.status },
      );
    }
    return { mediaType: this.manifestMediaType(response, bytes, name), digest, bytes };
  }

  /**
   * The manifests that refer to `digest` (their `subject`), of `artifactType` when given: from
   * the referrers API, or — when the registry has none (404, as distribution 2.x) — from the
   * `sha256-<hex>` tag schema index that clients push beside the referrers. The filter is
   * applied here too, since a registry may ignore it. Empty when there are none.
   */
  async referrers(
    repository: string,
    digest: string,
    artifactType?: string,
  ): Promise<Descriptor[]> {
    requireRepository(repository);
    const parsed = requireDigest(digest);
    const subject = {
      access: pull(repository),
      repository,
      notFound: `the referrers of ${repository}@${digest}`,
      operation: `listing the referrers of ${repository}@${digest}`,
    };
    const wanted = (d: Descriptor) => artifactType === undefined || d.artifactType === artifactType;
    const tag = `${parsed.algorithm}-${parsed.hex}`;
    if (this.referrersApiMissing) return this.tagSchemaReferrers(repository, tag, wanted);
    let url: URL | undefined = this.url(`/v2/${repository}/referrers/${digest}`);
    if (artifactType !== undefined) url.searchParams.set('artifactType', artifactType);
    const found: Descriptor[] = [];
    for (let page = 0; url && page < MAX_REFERRER_PAGES; page++) {
      const response = await this.exchange({
        method: 'GET',
        url,
        access: subject.access,
        headers: { accept: MEDIA.ociIndex },
        followRedirects: true,
      });
      if (response.status === 404 && page === 0) {
        response.discard();
        this.referrersApiMissing = true;
        return this.tagSchemaReferrers(repository, tag, wanted);
      }
      if (response.status !== 200) throw await this.failure(response, subject);
      found.push(
        ...this.referrersIndex(await response.read(REFERRERS_LIMIT), digest).filter(wanted),
      );
      const next = nextPageLink(response.headerValues('link'));
      url = next === undefined ? undefined : new URL(next, response.url);
      if (url && url.origin !== this.base.origin) {
        throw this.protocolError(`registry ${this.registry} links the next page to another server`);
      }
    }
    return found;
  }

  private async tagSchemaReferrers(
    repository: string,
    tag: string,
    wanted: (d: Descriptor) => boolean,
  ): Promise<Descriptor[]> {
    // Tags are at most 128 characters: a sha512 subject has no tag-schema name.
    if (tag.length > 128) return [];
    let fetched: FetchedManifest;
    try {
      fetched = await this.getManifest(repository, tag, { maxBytes: REFERRERS_LIMIT });
    } catch (e) {
      if (e instanceof RegistryError && e.kind === 'not-found') return [];
      throw e;
    }
    return this.referrersIndex(fetched.bytes, tag).filter(wanted);
  }

  private referrersIndex(bytes: Buffer, what: string): Descriptor[] {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw this.protocolError(
        `registry ${this.registry} answered the referrers of ${what} with no JSON`,
      );
    }
    const index = ImageIndex.safeParse(json);
    if (!index.success) {
      throw this.protocolError(
        `registry ${this.registry} answered the referrers of ${what} with something other than an image index`,
      );
    }
    return index.data.manifests;
  }

  /**
   * Streams a blob to `destinationPath`, verifying size and digest on the way; on any failure
   * the partial file is removed. `onProgress` receives the bytes received so far.
   */
  async fetchBlob(
    repository: string,
    descriptor: { digest: string; size: number },
    destinationPath: string,
    onProgress?: (bytes: number) => void,
  ): Promise<void> {
    requireRepository(repository);
    const parsed = requireDigest(descriptor.digest);
    if (!Number.isSafeInteger(descriptor.size) || descriptor.size < 0) {
      throw new RangeError(`blob size ${descriptor.size} is not a byte count`);
    }
    const subject = {
      access: pull(repository),
      repository,
      notFound: `blob ${descriptor.digest} of ${repository}`,
      operation: `fetching blob ${descriptor.digest}`,
    };
    const response = await this.exchange({
      method: 'GET',
      url: this.url(`/v2/${repository}/blobs/${descriptor.digest}`),
      access: subject.access,
      followRedirects: true,
    });
    if (response.status !== 200) throw await this.failure(response, subject);
    const declared = response.contentLength;
    if (declared !== undefined && declared !== descriptor.size) {
      response.stream.destroy();
      throw new RegistryError(
        'size-mismatch',
        `${this.registry} offers ${declared} bytes for blob ${descriptor.digest}, the descriptor says ${descriptor.size}`,
        { url: response.url, status: response.status },
      );
    }
    const verifier = new BlobVerifier(
      { digest: descriptor.digest, parsed, size: descriptor.size },
      { registry: this.registry, url: response.url },
      onProgress,
    );
    let file: FileHandle;
    try {
      file = await open(destinationPath, 'w');
    } catch (e) {
      response.stream.destroy();
      throw e;
    }
    const out = file.createWriteStream();
    let writeFailure: unknown;
    out.once('error', (e) => (writeFailure = e));
    try {
      await pipeline(response.stream, verifier, out);
    } catch (e) {
      // Removed only once closed: Windows cannot delete an open file.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      await rm(destinationPath, { force: true }).catch(() => undefined);
      // A local write error (disk full) is the caller's to report as such, not a network fault.
      if (e === writeFailure) throw e;
      throw response.failure(e);
    }
  }

  /** Whether the repository has the blob (HEAD). */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    requireRepository(repository);
    requireDigest(digest);
    return this.headBlob(repository, digest, pull(repository));
  }

  /**
   * Uploads a file as one blob (POST, then a monolithic PUT streamed from the file); nothing is
   * sent when the repository already has it. The registry checks the digest.
   */
  async pushBlob(repository: string, sourcePath: string, digest: string): Promise<void> {
    requireRepository(repository);
    requireDigest(digest);
    const info = await stat(sourcePath);
    if (!info.isFile()) throw new RangeError(`${sourcePath} is not a regular file`);
    const access = push(repository);
    // HEAD with the push scope: one token serves the whole upload.
    if (await this.headBlob(repository, digest, access)) return;
    const subject = {
      access,
      repository,
      notFound: `repository ${repository}`,
      operation: `the upload of blob ${digest} to ${repository}`,
    };
    const started = await this.exchange({
      method: 'POST',
      url: this.url(`/v2/${repository}/blobs/uploads/`),
      access,
      headers: { 'content-length': '0' },
      body: Buffer.alloc(0),
    });
    if (started.status !== 202) throw await this.failure(started, subject);
    started.discard();
    const location = started.header('location');
    if (!location)
      throw this.protocolError(`registry ${this.registry} started an upload without a Location`);
    const target = new URL(location, started.url);
    // Appended by hand: URLSearchParams would re-encode the opaque upload state.
    target.search = `${target.search ? `${target.search}&` : '?'}digest=${encodeURIComponent(digest)}`;
    const done = await this.exchange({
      method: 'PUT',
      url: target,
      access,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(info.size),
      },
      body: () => createReadStream(sourcePath),
    });
    if (done.status !== 201 && done.status !== 204) {
      throw await this.failure(done, subject, (codes) => {
        if (codes.includes('DIGEST_INVALID')) {
          return new RegistryError(
            'digest-mismatch',
            `registry ${this.registry} refused ${sourcePath} as blob ${digest}: its content has another digest`,
            { url: done.url, status: done.status },
          );
        }
        if (codes.includes('SIZE_INVALID')) {
          return new RegistryError(
            'size-mismatch',
            `registry ${this.registry} received another size than ${info.size} bytes for blob ${digest}: was ${sourcePath} changed during the upload?`,
            { url: done.url, status: done.status },
          );
        }
        return undefined;
      });
    }
    done.discard();
  }

  /** Uploads a manifest under a tag or its digest; returns its digest. */
  async pushManifest(
    repository: string,
    reference: string,
    mediaType: string,
    bytes: Buffer,
  ): Promise<string> {
    requireRepository(repository);
    const ref = requireReference(reference);
    const digest = digestOf(bytes, ref.digest?.algorithm);
    if (ref.digest && digest !== reference) {
      throw new RegistryError(
        'digest-mismatch',
        `the manifest to push as ${repository}@${reference} has the digest ${digest}`,
      );
    }
    const name = `${repository}${ref.digest ? '@' : ':'}${reference}`;
    const response = await this.exchange({
      method: 'PUT',
      url: this.url(`/v2/${repository}/manifests/${reference}`),
      access: push(repository),
      headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
      body: bytes,
    });
    if (response.status !== 201 && response.status !== 200 && response.status !== 202) {
      throw await this.failure(response, {
        access: push(repository),
        repository,
        notFound: `repository ${repository}`,
        operation: `manifest ${name}`,
      });
    }
    response.discard();
    const stored = response.header('docker-content-digest');
    if (
      stored &&
      parseDigest(stored)?.algorithm === (ref.digest?.algorithm ?? 'sha256') &&
      stored !== digest
    ) {
      throw new RegistryError(
        'digest-mismatch',
        `registry ${this.registry} stored manifest ${name} as ${stored}, not as the ${digest} that was sent`,
        { url: response.url, status: response.status },
      );
    }
    return digest;
  }

  /** Closes idle connections; the client stays usable. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private async headBlob(
    repository: string,
    digest: string,
    access: AccessScope,
  ): Promise<boolean> {
    const response = await this.exchange({
      method: 'HEAD',
      url: this.url(`/v2/${repository}/blobs/${digest}`),
      access,
      followRedirects: true,
    });
    if (response.status === 200 || response.status === 404) {
      response.discard();
      return response.status === 200;
    }
    throw await this.failure(response, {
      access,
      repository,
      notFound: `blob ${digest} of ${repository}`,
      operation: `checking blob ${digest}`,
    });
  }

  private async *pages(
    path: string,
    subject: Subject,
    options: ListOptions,
  ): AsyncGenerator<unknown> {
    let url: URL | undefined = this.url(path);
    if (options.pageSize !== undefined) {
      if (!Number.isSafeInteger(options.pageSize) || options.pageSize < 1) {
        throw new RangeError(`page size ${options.pageSize} is not a positive integer`);
      }
      url.searchParams.set('n', String(options.pageSize));
    }
    const seen = new Set<string>();
    while (url) {
      if (seen.has(url.href) || seen.size >= MAX_PAGES) {
        throw this.protocolError(
          `registry ${this.registry} keeps sending the same page of ${path}`,
        );
      }
      seen.add(url.href);
      const response = await this.exchange({
        method: 'GET',
        url,
        access: subject.access,
        headers: { accept: 'application/json' },
        followRedirects: true,
      });
      if (response.status !== 200) throw await this.failure(response, subject);
      const body = await response.read(LIST_PAGE_LIMIT);
      try {
        yield JSON.parse(body.toString('utf8')) as unknown;
      } catch (e) {
        if (e instanceof SyntaxError) {
          throw this.protocolError(`registry ${this.registry} answered ${path} with no JSON`);
        }
        throw e;
      }
      const next = nextPageLink(response.headerValues('link'));
      url = next === undefined ? undefined : new URL(next, response.url);
      if (url && url.origin !== this.base.origin) {
        throw this.protocolError(`registry ${this.registry} links the next page to another server`);
      }
    }
  }

  /**
   * Sends a request, answering one authentication challenge and following redirects (GET and
   * HEAD only). Credentials go to the registry's own origin only, never to a storage redirect.
   */
  private async exchange(exchange: Exchange): Promise<RegistryResponse> {
    let url = exchange.url;
    let challenged = false;
    let redirects = 0;
    for (;;) {
      const own = url.origin === this.base.origin;
      const authorization = own ? this.auth.headerFor(exchange.access) : undefined;
      const body = typeof exchange.body === 'function' ? exchange.body() : exchange.body;
      const response = await sendRequest({
        method: exchange.method,
        url,
        headers: {
          'user-agent': USER_AGENT,
          ...exchange.headers,
          ...(authorization ? { authorization } : {}),
        },
        ...(body === undefined ? {} : { body }),
        agent: this.agentFor(url),
        timeoutMs: this.timeoutMs,
        registry: this.registry,
        ...this.refuseLocal,
      });
      if (response.status === 401 && own) {
        const challenges = parseAuthChallenges(response.headerValues('www-authenticate'));
        response.discard();
        if (challenged) throw this.auth.rejected(challenges, exchange.access, url);
        challenged = true;
        await this.auth.answer(challenges, exchange.access, url);
        continue;
      }
      if (exchange.followRedirects && REDIRECTS.has(response.status)) {
        const location = response.header('location');
        response.discard();
        if (!location)
          throw this.protocolError(`registry ${this.registry} redirected without a Location`);
        if (++redirects > MAX_REDIRECTS) {
          throw this.protocolError(
            `registry ${this.registry} redirected more than ${MAX_REDIRECTS} times`,
          );
        }
        url = new URL(location, url);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          throw this.protocolError(`registry ${this.registry} redirected to a ${url.protocol} URL`);
        }
        continue;
      }
      return response;
    }
  }

  /** The RegistryError for an unexpected status, with distribution's own words when it sent any. */
  private async failure(
    response: RegistryResponse,
    subject: Subject,
    refine?: (codes: string[]) => RegistryError | undefined,
  ): Promise<RegistryError> {
    const status = response.status;
    const body = await response.read(ERROR_BODY_LIMIT).catch(() => Buffer.alloc(0));
    const { codes, text, httpsServer } = parseErrorBody(body);
    const refined = refine?.(codes);
    if (refined) return refined;
    const said = text ? `: ${text}` : '';
    const details = { status, url: response.url };
    const registry = `registry ${this.registry}`;
    if (status === 404) {
      const message =
        codes.includes('NAME_UNKNOWN') && subject.repository
          ? `repository ${subject.repository} is not on ${registry}`
          : `${subject.notFound} is not on ${registry}`;
      return new RegistryError(
        'not-found',
        `${message}${codes.length ? ` (${codes.join(', ')})` : ''}`,
        details,
      );
    }
    if (status === 401) {
      return new RegistryError(
        'unauthorized',
        `${response.url.host} refused access (401)${said}`,
        details,
      );
    }
    if (status === 403) return this.auth.forbidden(subject.access, response.url, status, text);
    if (status === 413) {
      return new RegistryError(
        'too-large',
        `${registry} refused ${subject.operation} as too large (413)${said}`,
        details,
      );
    }
    if (status === 429) {
      return new RegistryError(
        'server',
        `${registry} is overloaded (429): try again later`,
        details,
      );
    }
    if (status >= 500) {
      return new RegistryError(
        'server',
        `${registry} failed at ${subject.operation} (${status})${said}`,
        details,
      );
    }
    if (response.url.protocol === 'http:' && status === 400 && httpsServer) {
      return new RegistryError(
        'tls',
        `${registry} speaks HTTPS: drop --plain-http (and pass its CA with --ca if it is not public)`,
        details,
      );
    }
    return new RegistryError(
      'protocol',
      `${registry} rejected ${subject.operation} (${status})${said}`,
      details,
    );
  }

  private manifestMediaType(response: RegistryResponse, bytes: Buffer, name: string): string {
    const declared =
      (response.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!GENERIC_TYPES.has(declared)) return declared;
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch {
      // Reported below.
    }
    if (typeof parsed.mediaType === 'string' && parsed.mediaType) return parsed.mediaType;
    // An OCI manifest may omit mediaType; its fields still say what it is.
    if (Array.isArray(parsed.manifests)) return MEDIA.ociIndex;
    if (parsed.config !== undefined && Array.isArray(parsed.layers)) return MEDIA.ociManifest;
    throw this.protocolError(
      `registry ${this.registry} sent manifest ${name} without saying what it is`,
    );
  }

  private url(path: string): URL {
    return new URL(path, this.base);
  }

  private agentFor(url: URL): Agent {
    return url.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
  }

  private protocolError(message: string): RegistryError {
    return new RegistryError('protocol', message);
  }
}

function pull(repository: string): AccessScope {
  return { scope: `repository:${repository}:pull`, action: `pull ${repository}` };
}

function push(repository: string): AccessScope {
  return { scope: `repository:${repository}:pull,push`, action: `push to ${repository}` };
}

function requireRepository(repository: string): void {
  if (repository.length > 255 || !REPOSITORY.test(repository)) {
    throw new RangeError(
      `"${repository}" is not a repository name (lower-case path components separated by /)`,
    );
  }
}

function requireReference(reference: string): Reference {
  if (TAG.test(reference)) return { tag: reference };
  if (reference.includes(':')) return { digest: requireDigest(reference) };
  throw new RangeError(`"${reference}" is neither a tag nor a digest`);
}

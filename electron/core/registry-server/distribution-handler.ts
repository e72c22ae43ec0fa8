import type { FileHandle } from 'node:fs/promises';
import { open, readFile } from 'node:fs/promises';
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Store } from '../store/store';
import { parseByteRange } from './byte-range';
import {
  isDistributionPath,
  parseRoute,
  requestTarget,
  type RequestTarget,
} from './distribution-route';
import { OciError, sendError } from './oci-error';
import { createRepositoryContent, type StoredManifest } from './repository-content';
import { createRepositoryResolver, type Resolution } from './repository-resolver';
import { tagPage } from './tag-page';

export interface DistributionHandlerOptions {
  /**
   * Told of unexpected failures (answered 500, or a response cut short). Refusals the spec
   * defines (unknown names, bad digests, writes) are answers, not failures, and are not told.
   */
  onError?: (error: unknown, req: http.IncomingMessage) => void;
}

/** True when the request was the registry's (path `/v2` or under `/v2/`) and is being answered. */
export type DistributionHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Serves the store as a read-only OCI distribution registry (spec v1.1, pull side): the base
 * endpoint, tag lists, manifests and blobs of the repositories the store's refs name, resolved
 * as `repository-resolver.ts` describes. Mounted by the caller beside its other routes on its
 * own server, which owns TLS and client authentication; this decides nothing about who asks.
 * Every answer is read from the store at request time, so imports and removals show at once.
 */
export function createDistributionHandler(
  store: Pick<Store, 'db' | 'blobs'>,
  options: DistributionHandlerOptions = {},
): DistributionHandler {
  const resolve = createRepositoryResolver(store);
  const content = createRepositoryContent(store);

  const serve = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: RequestTarget,
    head: boolean,
  ): Promise<void> => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      // The body of a refused upload is not read; let it drain so the connection stays usable.
      req.resume();
      throw new OciError(
        405,
        'UNSUPPORTED',
        WRITE_METHODS.has(method)
          ? "this registry is read-only: it serves the commissioning laptop's store to devices; push to the supplier registry and import from there"
          : `method ${method} is not supported`,
        { method },
        { Allow: 'GET, HEAD' },
      );
    }
    const route = parseRoute(target.path);
    if (route instanceof OciError) throw route;
    if (route.kind === 'base') return sendJson(res, 200, {}, head);
    const resolution = resolve(route.name, {
      namespace: target.query.get('ns'),
      host: req.headers.host,
    });
    if (!resolution.found) throw nameUnknown(route.name, resolution);
    const { refs } = resolution;
    switch (route.kind) {
      case 'tags': {
        const tags = refs.flatMap((r) => (r.tag === undefined ? [] : [r.tag]));
        const page = tagPage(tags, target.query.get('n'), target.query.get('last'));
        if (page instanceof OciError) throw page;
        if (page.nextPageSize !== undefined) {
          const next = new URLSearchParams({
            n: String(page.nextPageSize),
            last: page.tags[page.tags.length - 1] as string,
          });
          // The next page must resolve the name the way this one did.
          const ns = target.query.get('ns');
          if (ns !== null) next.set('ns', ns);
          res.setHeader('Link', `</v2/${route.name}/tags/list?${next}>; rel="next"`);
        }
        return sendJson(res, 200, { name: route.name, tags: page.tags }, head);
      }
      case 'manifest': {
        const { tag, digest } = route.reference;
        const manifest =
          tag !== undefined
            ? content.manifestByTag(refs, tag)
            : content.manifestByDigest(refs, digest);
        if (!manifest) throw manifestUnknown(route.name, tag ?? digest);
        return sendManifest(res, manifest, head, route.name);
      }
      case 'blob':
        if (!content.reachesBlob(refs, route.digest)) throw blobUnknown(route.name, route.digest);
        return sendBlob(req, res, route.digest, head, route.name);
    }
  };

  const sendManifest = async (
    res: http.ServerResponse,
    manifest: StoredManifest,
    head: boolean,
    name: string,
  ): Promise<void> => {
    // Manifests are small (imports refuse more than 4 MiB) and sent as stored, byte for byte:
    // the digest a device verifies is of these exact bytes.
    let bytes: Buffer | undefined;
    if (!head) {
      try {
        bytes = await readFile(store.blobs.pathOf(manifest.digest));
      } catch (e) {
        // Removed by a concurrent `catalog remove` after the lookup.
        if (isMissing(e)) throw manifestUnknown(name, manifest.digest);
        throw e;
      }
    }
    res.writeHead(200, {
      'Content-Type': manifest.mediaType,
      'Content-Length': String(bytes?.length ?? manifest.size),
      'Docker-Content-Digest': manifest.digest,
      ETag: `"${manifest.digest}"`,
    });
    res.end(bytes);
  };

  const sendBlob = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    digest: string,
    head: boolean,
    name: string,
  ): Promise<void> => {
    // Opened once: the size and the bytes sent come from the same file even if a removal
    // unlinks it meanwhile (the open descriptor keeps it readable).
    let handle: FileHandle | undefined;
    try {
      handle = await open(store.blobs.pathOf(digest), 'r');
    } catch (e) {
      if (isMissing(e)) throw blobUnknown(name, digest);
      throw e;
    }
    try {
      const { size } = await handle.stat();
      const range = parseByteRange(req.headers.range, size);
      const headers: http.OutgoingHttpHeaders = {
        'Content-Type': 'application/octet-stream',
        'Docker-Content-Digest': digest,
        'Accept-Ranges': 'bytes',
        ETag: `"${digest}"`,
      };
      if (range.kind === 'unsatisfiable') {
        res.writeHead(416, {
          ...headers,
          'Content-Range': `bytes */${size}`,
          'Content-Length': '0',
        });
        res.end();
        return;
      }
      const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, size - 1];
      if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
      headers['Content-Length'] = String(end - start + 1);
      res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
      if (head || size === 0) {
        res.end();
        return;
      }
      // Streamed, never buffered: layers run to gigabytes. The stream owns the handle now.
      const stream = handle.createReadStream({ start, end });
      handle = undefined;
      await pipeline(stream, res).catch((e: unknown) => {
        // A device that hangs up mid-layer (it resumes with a Range later) is no failure.
        if ((e as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw e;
      });
    } finally {
      await handle?.close();
    }
  };

  return (req, res) => {
    const target = requestTarget(req.url);
    if (!isDistributionPath(target.path)) return false;
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    const head = req.method === 'HEAD';
    serve(req, res, target, head).catch((e: unknown) => {
      try {
        if (res.headersSent || res.destroyed) {
          // A device that hung up is no failure; anything else cut short is.
          if (!res.destroyed) options.onError?.(e, req);
          res.destroy();
        } else if (e instanceof OciError) {
          sendError(res, e, head);
        } else {
          options.onError?.(e, req);
          sendError(res, new OciError(500, 'UNKNOWN', 'unknown error'), head);
        }
      } catch {
        // Answering failed too (onError threw): that must not become an unhandled rejection,
        // which ends the process and every other device's download with it.
        res.destroy();
      }
    });
    return true;
  };
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, head: boolean): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(body.length),
  });
  res.end(head ? undefined : body);
}

function nameUnknown(name: string, resolution: Extract<Resolution, { found: false }>): OciError {
  const { candidates } = resolution;
  // The candidates go in the message too: clients print messages, few print details.
  return candidates.length > 1
    ? new OciError(
        404,
        'NAME_UNKNOWN',
        `repository name ${name} is ambiguous here: ${candidates.join(', ')} (ask with ?ns=<registry>, or for the full name)`,
        { name, candidates },
      )
    : new OciError(404, 'NAME_UNKNOWN', 'repository name not known to registry', { name });
}

function manifestUnknown(name: string, reference: string): OciError {
  return new OciError(404, 'MANIFEST_UNKNOWN', 'manifest unknown', { name, reference });
}

function blobUnknown(name: string, digest: string): OciError {
  return new OciError(404, 'BLOB_UNKNOWN', 'blob unknown to registry', { name, digest });
}

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

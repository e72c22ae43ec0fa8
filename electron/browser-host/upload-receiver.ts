import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import type http from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ContractError } from '../../shared/contract/contract-error';
import { FilePurpose } from '../../shared/contract/picked-file';
import { formatBytes } from '../../shared/units/quantity';
import type { AppCore } from '../core/contract-handlers/app-core-api';

/** What `--max-upload` is when not given. */
export const DEFAULT_MAX_UPLOAD = 16 * 1024 ** 3;

/** A folder upload: many requests, one cap, all or nothing. */
interface Group {
  bytes: number;
  state: 'open' | 'failed' | 'done';
}

/** The body went past the cap while it streamed (no Content-Length, or more files of a folder). */
class TooLarge extends Error {}

/** The browser went away before the body was complete (closed, reloaded, lost the link). */
class Aborted extends Error {}

/**
 * Streams a request body through `counter` into a new file at `target`; resolves when the file
 * is complete and closed. On any failure the file is closed before this rejects, so removing
 * it afterwards leaves nothing (a file still being opened would reappear after the removal).
 * The request is piped rather than put in the pipeline, which would destroy its socket on the
 * first error and leave no way to answer.
 */
async function receive(req: http.IncomingMessage, counter: Transform, target: string) {
  mkdirSync(join(target, '..'), { recursive: true, mode: 0o700 });
  const file = createWriteStream(target, { mode: 0o600 });
  const closed = new Promise<void>((done) => file.once('close', () => done()));
  const gone = () => {
    if (!req.complete) counter.destroy(new Aborted());
  };
  req.once('close', gone);
  req.pipe(counter);
  try {
    await pipeline(counter, file);
  } catch (e) {
    req.unpipe(counter);
    file.destroy();
    await closed;
    throw e;
  } finally {
    req.off('close', gone);
  }
}

/**
 * Uploads (`PUT /api/upload`, `POST /api/upload/done`), the browser's way of handing the core a
 * file or a folder. One upload (a file, or all files of a folder together) may not exceed
 * `maxBytes`; it is refused before its body is read when its Content-Length says so or when the
 * data home has less room than that, and stopped at the cap when the body runs past it. Whatever
 * fails (the cap, a full disk, a browser that went away) leaves no partial file behind; a
 * folder with a failed file is removed whole. Refusals are contract errors, so the page shows
 * their words.
 */
export class UploadReceiver {
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly core: AppCore,
    private readonly maxBytes: number,
  ) {}

  async upload(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const purpose = FilePurpose.safeParse(url.searchParams.get('purpose'));
    const name = safeSegment(url.searchParams.get('name') ?? '');
    const groupId = url.searchParams.get('group');
    if (!purpose.success || !name) {
      return refuse(req, res, 400, invalid('an upload names its purpose and its file name'));
    }
    let target: string;
    let removeOnFailure: string;
    let group: Group | undefined;
    if (groupId !== null) {
      const relative = safeRelative(url.searchParams.get('path') ?? '');
      if (!isGroupId(groupId) || !relative) {
        return refuse(
          req,
          res,
          400,
          invalid('a folder upload names its group and a relative path inside it'),
        );
      }
      group = this.groups.get(groupId) ?? { bytes: 0, state: 'open' };
      this.groups.set(groupId, group);
      if (group.state !== 'open') {
        return refuse(req, res, 409, {
          name: 'refused',
          message: `the upload of ${name} ${group.state === 'failed' ? 'failed' : 'is complete'} already: choose the folder again`,
          details: { reasons: [] },
        });
      }
      removeOnFailure = join(this.core.uploadsDir, groupId);
      target = join(removeOnFailure, name, relative);
    } else {
      removeOnFailure = join(this.core.uploadsDir, randomUUID());
      target = join(removeOnFailure, name);
    }
    const what = group ? `the folder ${name}` : name;

    const declared = declaredLength(req);
    const already = group?.bytes ?? 0;
    if (declared !== undefined && already + declared > this.maxBytes) {
      this.fail(group, removeOnFailure);
      return refuse(req, res, 413, this.tooLarge(what));
    }
    const free = freeBytes(this.core.uploadsDir);
    if (declared !== undefined && free !== undefined && declared > free) {
      this.fail(group, removeOnFailure);
      return refuse(req, res, 507, {
        name: 'storage',
        message: `the data folder of this Commissioner has ${formatBytes(free)} free, not enough for ${what} (${formatBytes(declared)}): free some space there, then upload again`,
        details: {},
      });
    }

    let received = 0;
    const maxBytes = this.maxBytes;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        if (group) group.bytes += chunk.length;
        if ((group ? group.bytes : received) > maxBytes) done(new TooLarge());
        else done(null, chunk);
      },
    });
    try {
      await receive(req, counter, target);
    } catch (e) {
      this.fail(group, removeOnFailure);
      if (e instanceof TooLarge) return refuse(req, res, 413, this.tooLarge(what));
      if (e instanceof Aborted) {
        res.destroy();
        return;
      }
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') {
        return refuse(req, res, 507, {
          name: 'storage',
          message: `the data folder of this Commissioner filled up while ${what} was uploaded: free some space there, then upload again`,
          details: {},
        });
      }
      throw e;
    }
    if (group) {
      json(res, 200, { ok: true });
      return;
    }
    const picked = this.core.registerPicked({ path: target, kind: 'file' }, name);
    json(res, 200, { ...picked, size: statSync(target).size });
  }

  done(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const groupId = url.searchParams.get('group') ?? '';
    const name = safeSegment(url.searchParams.get('name') ?? '');
    const group = this.groups.get(groupId);
    const dir = name && isGroupId(groupId) ? join(this.core.uploadsDir, groupId, name) : '';
    if (!group || group.state !== 'open' || !name || !isDirectory(dir)) {
      return refuse(req, res, 400, invalid('no such folder upload: choose the folder again'));
    }
    group.state = 'done';
    json(res, 200, this.core.registerPicked({ path: dir, kind: 'folder' }, name));
  }

  private fail(group: Group | undefined, path: string): void {
    if (group) group.state = 'failed';
    rmSync(path, { recursive: true, force: true });
  }

  private tooLarge(what: string): ContractError {
    return {
      name: 'refused',
      message: `${what} is larger than the ${formatBytes(this.maxBytes)} this Commissioner takes in one upload: whoever started it can raise the limit`,
      details: { reasons: [`larger than ${formatBytes(this.maxBytes)}`] },
    };
  }
}

function invalid(message: string): ContractError {
  return { name: 'invalid-input', message, details: {} };
}

/**
 * A refusal, possibly before the body was read: the connection is closed after the answer,
 * so the rest of a large body is never received (browsers read such an early answer).
 */
function refuse(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  status: number,
  error: ContractError,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.setHeader('Connection', 'close');
  json(res, status, { error });
  req.resume();
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(JSON.stringify(body));
}

function declaredLength(req: http.IncomingMessage): number | undefined {
  const text = req.headers['content-length'];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** Bytes this user may still write where uploads go; undefined when the system cannot say. */
function freeBytes(dir: string): number | undefined {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return undefined;
  }
}

function isGroupId(id: string): boolean {
  return /^[0-9a-f-]{8,64}$/i.test(id);
}

/** One path segment a browser named: no separators, no `..`, not empty. */
function safeSegment(name: string): string | undefined {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base && base !== '.' && base !== '..' && !base.includes('\0') ? base : undefined;
}

/** A relative path inside an upload: every segment safe, nothing absolute. */
function safeRelative(path: string): string | undefined {
  const parts = path.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..' || p.includes('\0'))) return undefined;
  return parts.join('/');
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

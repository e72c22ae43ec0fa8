import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DownloadTicket } from '../../../shared/contract/margo';

/**
 * A file an operation made for the browser to save: its bytes in memory, or (a backup, GiBs)
 * a file on disk made for this download alone, streamed from there and removed once handed
 * out or forgotten. One of `bytes` and `file`.
 */
export interface Download {
  name: string;
  mediaType: string;
  bytes?: Uint8Array;
  /** The file and the folder made for it, both removed with the download. */
  file?: { path: string; size: number };
}

/** Long enough for the browser to ask right after the answer, short for a key left in memory. */
const DOWNLOAD_TTL_MS = 5 * 60_000;

/**
 * Files made for the browser host to hand out (a client's bundle, key included): held in
 * memory only, each under a random token, handed out once and forgotten after five minutes.
 * The token names a download; the host's access cookie is still needed to fetch it.
 */
export class Downloads {
  private readonly byToken = new Map<string, Download & { expires: number }>();

  constructor(
    private readonly ttlMs = DOWNLOAD_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  offer(download: Download): DownloadTicket {
    this.forgetExpired();
    const token = randomBytes(32).toString('base64url');
    this.byToken.set(token, { ...download, expires: this.now() + this.ttlMs });
    return {
      token,
      name: download.name,
      size: download.file?.size ?? download.bytes?.length ?? 0,
    };
  }

  /**
   * The download once; undefined when unknown, taken already, or expired. A file download's
   * file is the taker's to remove (`removeDownloadFile`) once sent.
   */
  take(token: string): Download | undefined {
    this.forgetExpired();
    const found = this.byToken.get(token);
    if (!found) return undefined;
    this.byToken.delete(token);
    const { expires: _, ...download } = found;
    return download;
  }

  /** Forgets every download (the core closes): files made for them are removed. */
  clear(): void {
    for (const download of this.byToken.values()) removeDownloadFile(download);
    this.byToken.clear();
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [token, download] of this.byToken) {
      if (download.expires <= now) {
        this.byToken.delete(token);
        removeDownloadFile(download);
      }
    }
  }
}

/** Removes the folder made for a file download (nothing for one held in memory). */
export function removeDownloadFile(download: Download): void {
  if (download.file) rmSync(dirname(download.file.path), { recursive: true, force: true });
}

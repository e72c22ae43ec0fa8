import { randomBytes } from 'node:crypto';
import type { DownloadTicket } from '../../../shared/contract/margo';

/** A file an operation made for the browser to save. */
export interface Download {
  name: string;
  mediaType: string;
  bytes: Uint8Array;
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
    return { token, name: download.name, size: download.bytes.length };
  }

  /** The download once; undefined when unknown, taken already, or expired. */
  take(token: string): Download | undefined {
    this.forgetExpired();
    const found = this.byToken.get(token);
    if (!found) return undefined;
    this.byToken.delete(token);
    return { name: found.name, mediaType: found.mediaType, bytes: found.bytes };
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [token, download] of this.byToken) {
      if (download.expires <= now) this.byToken.delete(token);
    }
  }
}

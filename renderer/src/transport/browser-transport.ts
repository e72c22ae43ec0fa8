import type { OperationName, RequestOf, ResponseOf } from '../../../shared/contract/operations';
import type { FilePurpose, PickedFile } from '../../../shared/contract/picked-file';
import type { DownloadTicket } from '../../../shared/contract/margo';
import { WIRE } from '../../../shared/contract/wire';
import { checkedEvent, checkedResult } from './contract-check';
import { pickLocalFiles } from './local-files';
import {
  type ContractEvent,
  type LocalFiles,
  type Transport,
  type TransportEvent,
  type UploadProgress,
} from './transport';
import { disconnected, protocolError } from './transport-errors';
import { Uploader } from './upload';

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/**
 * The browser host: calls are `POST /api/call`, events come over the `/api/events`
 * WebSocket (reconnected on loss), files are uploaded. The access token travels in the host's
 * HttpOnly cookie, which the browser adds to every same-origin request: this page never sees
 * it, so nothing running in it can read it.
 */
export class BrowserTransport implements Transport {
  readonly host = 'browser' as const;
  private readonly eventListeners = new Set<(event: TransportEvent) => void>();
  private readonly uploadListeners = new Set<(upload: UploadProgress) => void>();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();
  private readonly uploader = new Uploader((u) => this.uploadListeners.forEach((l) => l(u)));
  private socket: WebSocket | null = null;
  private connected = false;
  private everConnected = false;
  private retryMs = RECONNECT_MIN_MS;
  private retryTimer: number | undefined;

  async call<N extends OperationName>(op: N, request: RequestOf<N>): Promise<ResponseOf<N>> {
    let response: Response;
    try {
      response = await fetch(new URL(WIRE.call, window.location.origin), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ op, request }),
        cache: 'no-store',
      });
    } catch {
      throw disconnected(
        `The Commissioner host at ${window.location.host} does not answer: check that it still runs, then try again.`,
      );
    }
    const body: unknown = await response.json().catch(() => null);
    const login = loginPage(body);
    if (response.status === 401 && login) {
      // The station has accounts and this window's session ended (or never began).
      window.location.assign(login);
      throw disconnected('Your session ended: log in again.');
    }
    if (response.status === 401 || response.status === 403) {
      // The host is there but will not take calls from this window: to the person, the core is
      // out of reach until they open the address it printed.
      throw disconnected(
        'The browser host refused this window: open the address it printed (the one with ?token=…) again.',
      );
    }
    if (!response.ok && (body === null || typeof body !== 'object' || !('ok' in body))) {
      throw protocolError(
        `The Commissioner host answered ${op} with HTTP ${response.status} ${response.statusText}, not with the contract's answer.`,
      );
    }
    return checkedResult(op, body);
  }

  async logout(): Promise<void> {
    // The host ends the session and clears its cookie; the page then goes to the login page
    // whatever the answer was (a host that is gone has no session to end).
    await fetch(new URL('/api/logout', window.location.origin), {
      method: 'POST',
      redirect: 'manual',
      cache: 'no-store',
    }).catch(() => undefined);
    window.location.assign('/login?notice=logged-out');
  }

  onEvent(listener: (event: TransportEvent) => void): () => void {
    this.eventListeners.add(listener);
    this.connect();
    return () => {
      this.eventListeners.delete(listener);
    };
  }

  onUpload(listener: (upload: UploadProgress) => void): () => void {
    this.uploadListeners.add(listener);
    return () => {
      this.uploadListeners.delete(listener);
    };
  }

  onConnection(listener: (connected: boolean) => void): () => void {
    this.connectionListeners.add(listener);
    listener(this.connected || !this.everConnected);
    return () => {
      this.connectionListeners.delete(listener);
    };
  }

  async pickFile(purpose: FilePurpose, kind: 'file' | 'folder'): Promise<PickedFile | null> {
    const local = await pickLocalFiles(purpose, kind);
    return local ? this.uploadLocal(local, purpose) : null;
  }

  uploadLocal(files: LocalFiles, purpose: FilePurpose): Promise<PickedFile> {
    return this.uploader.upload(files, purpose);
  }

  /**
   * The browser's own download of `GET /api/download` (the host's cookie goes with it): a link
   * clicked, so the file is saved where the browser saves files and the page stays.
   */
  download(ticket: DownloadTicket): void {
    const link = document.createElement('a');
    link.href = `${WIRE.download}?token=${encodeURIComponent(ticket.token)}`;
    link.download = ticket.name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  private setConnected(connected: boolean) {
    if (this.connected === connected) return;
    this.connected = connected;
    this.connectionListeners.forEach((l) => l(connected));
  }

  private connect() {
    if (this.socket) return;
    const url = new URL(WIRE.events, window.location.origin);
    url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      const reconnected = this.everConnected;
      this.everConnected = true;
      this.retryMs = RECONNECT_MIN_MS;
      this.setConnected(true);
      // Events sent while the socket was down are lost: every view refreshes instead.
      if (reconnected) {
        this.dispatch({
          event: 'store.changed',
          payload: { what: ['catalog', 'devices', 'jobs', 'margo'] },
        });
      }
    };
    socket.onmessage = (message) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(message.data));
      } catch {
        console.error('Commissioner: an event that is not JSON was ignored');
        return;
      }
      const event = checkedEvent(parsed);
      if (event) this.dispatch(event);
    };
    socket.onclose = () => {
      this.socket = null;
      this.setConnected(false);
      window.clearTimeout(this.retryTimer);
      this.retryTimer = window.setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
    };
  }

  private dispatch(event: ContractEvent) {
    for (const listener of this.eventListeners) listener(event);
  }
}

/** Where the host sends a window without a session (the browser host with accounts). */
function loginPage(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || !('login' in body)) return undefined;
  const login = (body as { login: unknown }).login;
  return typeof login === 'string' && login.startsWith('/login') ? login : undefined;
}

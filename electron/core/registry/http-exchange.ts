import http from 'node:http';
import https from 'node:https';
import type { Agent, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import { lookupRefusingLocal } from '../local-targets/guarded-lookup';
import { localAddressKind } from '../local-targets/local-address';
import { describeConnectionError } from './connection-error';
import { RegistryError } from './registry-error';

export interface ExchangeRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: Buffer | Readable;
  agent: Agent;
  timeoutMs: number;
  /** host[:port] as configured, for messages. */
  registry: string;
  /**
   * Refuse to connect to the station itself (loopback, link-local, its own addresses): the
   * registry, a redirect or a token service could otherwise point the laptop at them.
   */
  refuseLocal?: boolean;
}

// Bodies of error answers are read for their message only; a proxy's 10 MB HTML page is not.
const DISCARD_LIMIT = 1024 * 1024;

/** One HTTP response whose body is still to be read, with errors already in registry terms. */
export class RegistryResponse {
  constructor(
    readonly url: URL,
    readonly stream: IncomingMessage,
    private readonly registry: string,
  ) {}

  get status(): number {
    return this.stream.statusCode ?? 0;
  }

  get headers(): IncomingHttpHeaders {
    return this.stream.headers;
  }

  header(name: string): string | undefined {
    return this.stream.headersDistinct[name]?.[0];
  }

  /** Every value of a header that may repeat (`WWW-Authenticate`, `Link`). */
  headerValues(name: string): string[] {
    return this.stream.headersDistinct[name] ?? [];
  }

  /** The declared body length, when the server sent a valid one. */
  get contentLength(): number | undefined {
    const text = this.header('content-length');
    return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
  }

  /** The whole body; more than `limit` bytes is a 'too-large' error and stops the download. */
  read(limit: number): Promise<Buffer> {
    const tooLarge = (): RegistryError =>
      new RegistryError(
        'too-large',
        `${this.registry} answered ${this.url.pathname} with more than ${limit} bytes`,
        { url: this.url, status: this.status },
      );
    const declared = this.contentLength;
    if (declared !== undefined && declared > limit) {
      this.stream.destroy();
      return Promise.reject(tooLarge());
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      this.stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          this.stream.destroy();
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      this.stream.on('end', () => resolve(Buffer.concat(chunks)));
      this.stream.on('error', (e) => reject(this.failure(e)));
    });
  }

  /** Throws the body away; small bodies are read so the connection can be reused. */
  discard(): void {
    const declared = this.contentLength;
    if (declared === undefined || declared > DISCARD_LIMIT) this.stream.destroy();
    else this.stream.resume();
  }

  /** A stream error of the body (reset, timeout) in registry terms. */
  failure(error: unknown): RegistryError {
    return describeConnectionError(error, this.url, this.registry);
  }
}

/**
 * Sends one request and resolves with the response head. The inactivity timeout covers the
 * whole exchange, body included: a registry that stalls mid-blob fails with 'timeout' instead
 * of hanging the import.
 */
export function sendRequest(request: ExchangeRequest): Promise<RegistryResponse> {
  const { url, registry } = request;
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    let bodyFailure: unknown;
    if (request.refuseLocal) {
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      const kind = isIP(literal) ? localAddressKind(literal) : undefined;
      if (kind) {
        reject(localTarget(url, kind));
        return;
      }
    }
    const req = transport.request(url, {
      method: request.method,
      headers: request.headers,
      agent: request.agent,
      ...(request.refuseLocal
        ? {
            lookup: lookupRefusingLocal((host, address, kind) =>
              localTarget(url, `${host} resolves to ${address}, ${kind}`),
            ),
          }
        : {}),
    });
    req.setTimeout(request.timeoutMs, () => {
      if (response?.complete) return;
      const error = new RegistryError(
        'timeout',
        `${registry} sent nothing for ${request.timeoutMs / 1000} s: the registry or the network is stalled`,
        { url },
      );
      if (response) response.destroy(error);
      else req.destroy(error);
    });
    req.on('error', (e) => reject(bodyFailure ?? describeConnectionError(e, url, registry)));
    req.on('response', (res) => {
      response = res;
      resolve(new RegistryResponse(url, res, registry));
    });
    const body = request.body;
    if (body instanceof Readable) {
      // A local read error (the file vanished) is reported as itself, not as a network fault.
      body.once('error', (e) => (bodyFailure = e));
      pipeline(body, req, () => undefined);
    } else {
      req.end(body);
    }
  });
}

function localTarget(url: URL, reason: string): RegistryError {
  return new RegistryError(
    'local-target',
    `${url.protocol}//${url.host} is on the station this Commissioner runs on (${reason}): this Commissioner refuses registries on its own station; whoever started it can allow them`,
    { url },
  );
}

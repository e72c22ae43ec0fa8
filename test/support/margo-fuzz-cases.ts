import fc from 'fast-check';
import type { RawAnswer } from './raw-tls-exchange';

/** One hostile request to the WFM port, and the bytes that carry it. */
export interface FuzzCase {
  /** What it is, for the failure message. */
  label: string;
  bytes: Buffer;
  /** May promise more body than it sends: then only a request deadline ends it. */
  stalls: boolean;
}

export interface FuzzTargets {
  /** A deployment id the client was given, and a blob the registry serves (for Range). */
  deploymentId: string;
  blobPath: string;
}

type Header = [string, string];
type Framing = 'length' | 'chunked' | 'broken-chunks' | 'short' | 'none';

const HEX64 = 'ab'.repeat(32);

// Percent-encoding that decodes to nothing (truncated, not hex, overlong UTF-8, surrogates,
// lone continuation bytes), traversal in its spellings, encoded NULs and separators: all of
// it passes the HTTP parser and reaches the routes. Rarely, raw bytes the parser refuses.
const PATH_PIECES = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      '%',
      '%E0%A4%A',
      '%E0%A4',
      '%zz',
      '%C0%AF',
      '%ED%A0%80',
      '%FF',
      '%80',
      '%00',
      '%0a',
      '..',
      '%2e%2e',
      '.%2E',
      '%2F',
      '%5C',
      '//',
      ';',
      '~',
      'gw-1',
      '/plc-1',
      `sha256:${HEX64}`,
      'sha256:',
      '?a=%zz&b',
      '?n=-1&last=%ff',
      '#frag',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\u0001', '\u007f', ' ', '\t', 'é') },
);

// Method and path start shaped like the routes (so bodies and headers reach the handlers),
// other combinations, and methods that are no methods.
const TARGETS: fc.Arbitrary<[string, string]> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<[string, string]>(
      ['PUT', '/api/v1/capabilities/'],
      ['DELETE', '/api/v1/capabilities/'],
      ['GET', '/api/v1/deployments'],
      ['GET', '/api/v1/deployments/{id}/'],
      ['GET', '/api/v1/bundles/'],
      ['POST', '/api/v1/deployments/{id}/status'],
      ['GET', '{blob}'],
      ['HEAD', '{blob}'],
      ['GET', '/v2/library/busybox/manifests/'],
      ['GET', '/v2/library/busybox/tags/list'],
      ['PUT', '/v2/library/busybox/blobs/uploads/'],
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'),
      fc.constantFrom('/api/', '/api/v1/deployments/', '/v2/', '/', '', '*', 'http://localhost'),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constantFrom('TRACE', 'CONNECT', 'BREW', 'get', 'G\u0000T'),
      fc.constantFrom('/api/v1/deployments', '/v2/', '/'),
    ),
  },
);

const HEADERS: fc.Arbitrary<Header[]> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Header[]>([]) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom('Accept', 'If-None-Match', 'Range', 'Content-Type', 'Accept-Encoding'),
        fc.oneof(
          fc.constantFrom(
            '*',
            'W/"x"',
            '"',
            '"'.repeat(2000),
            ','.repeat(4000),
            'application/vnd.margo.manifest.v1+json;q=0',
            'text/html, */*;q=0.1',
            'application/json; charset=utf-16',
            'bytes=abc',
            'bytes=-0',
            'bytes=5-1',
            'bytes=0-',
            'bytes=-99999999999999999999',
            'bytes=0-99999999999999999999999',
            'bytes=0-1,2-3',
            'items=0-1',
            'bytes=' + '0-1,'.repeat(1000),
          ),
          fc.string({ maxLength: 200 }),
        ),
      )
      .map(([name, value]): Header[] => [[name, value]]),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom<Header[]>(
      [
        ['Content-Length', '5'],
        ['Content-Length', '7'],
      ],
      [['Content-Length', 'abc']],
      [['Content-Length', '-1']],
      [['Content-Length', '1e3']],
      [['Content-Length', '99999999999999999999999']],
      [['Content-Length', '5, 5']],
      [
        ['Transfer-Encoding', 'chunked'],
        ['Content-Length', '3'],
      ],
      [['Transfer-Encoding', 'gzip, chunked']],
      [['Transfer-Encoding', 'chunked, identity']],
      [['Expect', '100-continue']],
      [['Expect', 'teapot']],
      [
        ['Host', 'a'],
        ['Host', 'b'],
      ],
      [['Bad Header', 'x']],
      [['X\u0000Null', 'x']],
      [['X-Control', 'a\u0001b']],
      [
        ['Connection', 'Upgrade'],
        ['Upgrade', 'websocket'],
      ],
      [['Content-Type', 'application/json; charset=\u0001']],
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Header[]>(
      [['X-Huge', 'a'.repeat(20_000)]],
      Array.from({ length: 300 }, (_, i): Header => [`X-Many-${i}`, 'x'.repeat(60)]),
    ),
  },
);

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

const BODIES: fc.Arbitrary<Buffer | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 5,
    arbitrary: fc
      .constantFrom(
        '{not json',
        'null',
        '1e400',
        '"\\ud800"',
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}',
        deepArray(100_000),
        deepObject(20_000),
        deepObject(60),
        JSON.stringify({ properties: { id: 'gw-1' } }),
        JSON.stringify({ deploymentId: 'x', status: { state: 'exploded' } }),
        JSON.stringify({ kind: 'DeploymentStatusManifest', deploymentId: 1, components: {} }),
      )
      .map((text) => Buffer.from(text)),
  },
  { weight: 1, arbitrary: fc.constant(Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0x00, 0x7b])) },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(300 * 1024, 0x20)) },
  { weight: 1, arbitrary: fc.constant(Buffer.from(`[${'1,'.repeat(200_000)}1]`)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)) },
);

/** The bytes of one request: head, then the body in the framing asked for. */
function requestBytes(
  method: string,
  path: string,
  headers: Header[],
  json: boolean,
  body: Buffer | undefined,
  framing: Framing,
): { bytes: Buffer; stalls: boolean } {
  // A length of the headers' own choosing may promise more than the body holds.
  const framedByHeaders = headers.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n));
  const content = body ?? Buffer.alloc(0);
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: localhost', 'Connection: close'];
  if (json) lines.push('Content-Type: application/json');
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  let payload = content;
  if (framedByHeaders || framing === 'none') {
    payload = framedByHeaders ? content : Buffer.alloc(0);
  } else if (framing === 'length' || framing === 'short') {
    lines.push(`Content-Length: ${content.length + (framing === 'short' ? 100 : 0)}`);
  } else {
    lines.push('Transfer-Encoding: chunked');
    payload =
      framing === 'chunked'
        ? Buffer.concat([
            Buffer.from(`${content.length.toString(16)}\r\n`),
            content,
            Buffer.from('\r\n0\r\n\r\n'),
          ])
        : Buffer.concat([Buffer.from('zz;\r\n'), content, Buffer.from('\r\n-1\r\n\r\n')]);
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return {
    bytes: Buffer.concat([head, payload]),
    stalls: framedByHeaders || framing === 'short',
  };
}

/**
 * Hostile requests to the WFM port, built as raw bytes: malformed paths (bad percent-encoding,
 * overlong, NULs, traversal), odd methods, headers (huge, many, duplicated, contradicting
 * lengths, bad Accept, If-None-Match and Range), bodies (not JSON, deeply nested, huge, not
 * UTF-8) in every framing. Most are shaped like the routes so that they reach the handlers.
 * Deterministic for a seed. Without `stalling`, no case may promise more body than it sends
 * (those wait for the request deadline: a minute by default).
 */
export function fuzzCases(
  targets: FuzzTargets,
  options: { seed: number; count: number; stalling: boolean },
): FuzzCase[] {
  const arbitrary = fc.record({
    target: TARGETS,
    pieces: fc.array(PATH_PIECES, { maxLength: 3 }),
    overlong: fc.oneof({ weight: 10, arbitrary: fc.constant(0) }, fc.constantFrom(3000, 70_000)),
    headers: HEADERS,
    body: BODIES,
    framing: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom<Framing>('length', 'length', 'chunked', 'none') },
      { weight: 1, arbitrary: fc.constant<Framing>('broken-chunks') },
      { weight: 1, arbitrary: fc.constant<Framing>('short') },
    ),
    json: fc.constantFrom(true, true, true, false),
  });
  const cases = fc
    .sample(arbitrary, { seed: options.seed, numRuns: options.count * 3 })
    .map((c): FuzzCase => {
      const [method, prefix] = c.target;
      const path =
        prefix.replace('{id}', targets.deploymentId).replace('{blob}', targets.blobPath) +
        c.pieces.join('') +
        'a'.repeat(c.overlong);
      const framing = c.body === undefined && c.framing !== 'short' ? 'none' : c.framing;
      const shown = path.length > 80 ? `${path.slice(0, 80)}…(${path.length})` : path;
      const headers = c.headers
        .slice(0, 4)
        .map(([n, v]) => `${n}: ${v.slice(0, 24)}${v.length > 24 ? '…' : ''}`);
      return {
        label: `${JSON.stringify(method)} ${JSON.stringify(shown)} headers ${JSON.stringify(headers)} body ${c.body?.length ?? 'none'} ${framing}`,
        ...requestBytes(method, path, c.headers, c.json, c.body, framing),
      };
    });
  return cases.filter((c) => options.stalling || !c.stalls).slice(0, options.count);
}

/**
 * What is wrong with the server's answer to a hostile request, or undefined when nothing is:
 * it must close or answer within the bound, never with a 5xx, and a JSON error must be a
 * problem matching its status (the WFM API) or the OCI error shape (the registry endpoint).
 */
export function misanswered(c: FuzzCase, answer: RawAnswer): string | undefined {
  if (answer.ended !== 'closed') return `${c.label}: no answer and not closed within the bound`;
  if (answer.status === undefined) return undefined;
  if (answer.status >= 500) return `${c.label}: answered ${answer.status}`;
  const type = answer.headers['content-type'] ?? '';
  const length = Number(answer.headers['content-length']);
  if (!/json/.test(type) || !(length > 0) || c.bytes.subarray(0, 5).toString() === 'HEAD ')
    return undefined;
  let body: { type?: string; status?: number; errors?: { code?: string }[] };
  try {
    body = JSON.parse(answer.body.subarray(0, length).toString('utf8')) as typeof body;
  } catch {
    return `${c.label}: a ${type} body that is not JSON`;
  }
  if (type.startsWith('application/problem+json')) {
    if (
      body.status !== answer.status ||
      !/^(https:\/\/docs\.margo\.org|about:blank)/.test(body.type ?? '')
    )
      return `${c.label}: a problem that does not match its status: ${JSON.stringify(body)}`;
  } else if (answer.status >= 400 && typeof body.errors?.[0]?.code !== 'string') {
    return `${c.label}: an error without the OCI error shape: ${JSON.stringify(body)}`;
  }
  return undefined;
}

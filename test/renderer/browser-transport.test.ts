import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { asContractError } from '../../renderer/src/transport/contract-check';
import { BrowserTransport } from '../../renderer/src/transport/browser-transport';

/**
 * An HTTP server on a free loopback port that answers every call with `status` and `body`: the
 * answers a host gives when it is gone, refuses, or is not a Commissioner at all, which the real
 * browser host (tested in test/integration) does not give on demand. The transport is the real one.
 */
async function host(status: number, body: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

/** The page is served by `origin` (happy-dom's own way to set the address). */
function pageAt(origin: string): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${origin}/`);
}

async function failureOf(transport: BrowserTransport) {
  try {
    await transport.call('app.info', {});
  } catch (e) {
    return asContractError(e);
  }
  throw new Error('the call did not fail');
}

let running: Server | null = null;
afterEach(async () => {
  await new Promise((done) => (running ? running.close(done) : done(undefined)));
  running = null;
});

describe('the browser transport', () => {
  it('says the core is out of reach when nothing answers', async () => {
    const { server, origin } = await host(200, '{}');
    await new Promise((done) => server.close(done));
    pageAt(origin);
    const error = await failureOf(new BrowserTransport());
    expect(error.name).toBe('disconnected');
    expect(error.message).toContain('does not answer');
  });

  it('says so too when the host refuses this window, and how to get in', async () => {
    const { server, origin } = await host(
      401,
      '{"error":"this Commissioner needs its access token"}',
    );
    running = server;
    pageAt(origin);
    const error = await failureOf(new BrowserTransport());
    expect(error.name).toBe('disconnected');
    expect(error.message).toContain('?token=');
  });

  it('calls an answer that is no contract envelope a protocol error', async () => {
    const { server, origin } = await host(500, 'not json');
    running = server;
    pageAt(origin);
    const error = await failureOf(new BrowserTransport());
    expect(error).toMatchObject({ name: 'protocol', details: {} });
    expect(error.message).toContain('HTTP 500');
  });

  it('passes the core’s own error through', async () => {
    const { server, origin } = await host(
      200,
      JSON.stringify({
        ok: false,
        error: { name: 'not-supported', message: 'Not in a browser.', details: {} },
      }),
    );
    running = server;
    pageAt(origin);
    expect(await failureOf(new BrowserTransport())).toEqual({
      name: 'not-supported',
      message: 'Not in a browser.',
      details: {},
    });
  });
});

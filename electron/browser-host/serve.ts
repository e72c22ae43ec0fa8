import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { buildDemoKit } from '../demo-kit/build-demo-kit';
import { createAppCore } from '../core/contract-handlers/app-core';
import { toContractError } from '../core/errors/to-contract-error';
import { startWebHost } from './web-host';
import { ensureRenderer, RENDERER_OUT } from './ensure-renderer';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * `npm run serve -- [--port <n>] [--host <addr>]`: the desktop app's UI and core in a
 * browser. On 127.0.0.1 by default; any other address needs the explicit flag and gets a
 * generated access token, part of the URL printed on its own line.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4780' },
      host: { type: 'string', default: '127.0.0.1' },
      margo: { type: 'boolean', default: false },
      'margo-host': { type: 'string', default: '0.0.0.0' },
      'margo-port': { type: 'string', default: '8443' },
      'margo-trust-port': { type: 'string', default: '8444' },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(
      'npm run serve -- [--port <n>] [--host <address>] [--margo [--margo-host <a>] [--margo-port <n>] [--margo-trust-port <n>]]\n  the Commissioner UI in a browser; 127.0.0.1 unless --host is given (then an access token is required);\n  --margo also serves Margo devices (as margo serve: 0.0.0.0:8443, trust bundle on 8444)\n',
    );
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`serve: --port ${values.port} is not a port number\n`);
    return 2;
  }
  const host = values.host as string;
  const token = LOOPBACK.has(host) ? undefined : randomBytes(24).toString('base64url');
  const log = (line: string) => process.stderr.write(`serve: ${line}\n`);
  ensureRenderer(log);
  const demoKit = await buildDemoKit(log);
  let core;
  try {
    core = await createAppCore({
      host: 'browser',
      ...(demoKit ? { demoKit } : {}),
      ...(values.margo
        ? {
            margo: {
              host: values['margo-host'] as string,
              port: Number(values['margo-port']),
              trustPort: Number(values['margo-trust-port']),
            },
          }
        : {}),
    });
  } catch (e) {
    const error = toContractError(e, 'starting the app');
    process.stderr.write(`serve: ${error.message}\n`);
    return error.name === 'invalid-input' ? 2 : 1;
  }
  const info = await core.call('app.info', {});
  if (info.ok && (info.result as { margo: { url: string } | null }).margo) {
    log(`serving Margo devices at ${(info.result as { margo: { url: string } }).margo.url}`);
  }
  let web;
  try {
    web = await startWebHost({
      core,
      host,
      port,
      rendererDir: RENDERER_OUT,
      ...(token ? { token } : {}),
    });
  } catch (e) {
    await core.close();
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `serve: port ${port} on ${host} is in use (another Commissioner, or another program): pass --port <n>, or --port 0 for any free port\n`
        : code === 'EADDRNOTAVAIL'
          ? `serve: ${host} is not an address of this machine: pass one of its addresses with --host\n`
          : `serve: cannot listen on ${host}:${port}: ${(e as Error).message}\n`,
    );
    return 1;
  }
  if (token) {
    process.stderr.write(
      `serve: listening on ${host}: anyone on that network with the URL below can use this Commissioner\n`,
    );
  }
  process.stdout.write(`${web.url}\n`);
  const stop = async () => {
    await web.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return -1;
}

const code = await main();
if (code >= 0) process.exitCode = code;

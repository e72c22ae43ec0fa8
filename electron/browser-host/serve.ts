import { parseArgs } from 'node:util';
import { formatBytes } from '../../shared/units/quantity';
import { buildDemoKit } from '../demo-kit/build-demo-kit';
import { createAppCore } from '../core/contract-handlers/app-core';
import { toContractError } from '../core/errors/to-contract-error';
import { isLoopback } from '../core/local-targets/local-address';
import { dataHome } from '../core/store/data-home';
import { newAccessToken } from './access-gate';
import { parseByteSize } from './byte-size';
import { browserHostCertificate, type ServerTls } from './server-certificate';
import { DEFAULT_MAX_UPLOAD } from './upload-receiver';
import { startWebHost } from './web-host';
import { ensureRenderer, RENDERER_OUT } from './ensure-renderer';

const USAGE = `npm run serve -- [--port <n>] [--host <address>] [--allow-local-targets] [--max-upload <size>]
                 [--margo [--margo-host <a>] [--margo-port <n>] [--margo-trust-port <n>]]
  the Commissioner UI in a browser, at the URL printed on a line of its own (it carries the
  access token: only whoever has it can use this Commissioner).
  --host <address>        listen there instead of 127.0.0.1; off loopback over HTTPS, with a
                          certificate signed by the plant CA (its fingerprint printed too)
  --allow-local-targets   allow devices and registries on this station (unix sockets, loopback
                          and link-local addresses): whoever uses the page then acts as the station
  --max-upload <size>     the largest upload (a file, or a folder's files together), e.g. 500MiB,
                          16GiB, or bytes; default 16GiB
  --session-idle <time>   with named accounts (commissioner users add): a session ends after
                          this long without a request, e.g. 15m; default 30m
  --session-max <time>    and this long after its login whatever happens, e.g. 8h; default 12h
  --margo                 also serve Margo devices (as margo serve: 0.0.0.0:8443, trust bundle on 8444)
`;

/**
 * `npm run serve`: the desktop app's UI and core in a browser. On 127.0.0.1 by default; any
 * other address needs the explicit flag and is served over HTTPS. Either way the printed URL
 * carries a random access token.
 */
async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({
      options: {
        port: { type: 'string', default: '4780' },
        host: { type: 'string', default: '127.0.0.1' },
        'allow-local-targets': { type: 'boolean', default: false },
        'max-upload': { type: 'string' },
        'session-idle': { type: 'string', default: '30m' },
        'session-max': { type: 'string', default: '12h' },
        margo: { type: 'boolean', default: false },
        'margo-host': { type: 'string', default: '0.0.0.0' },
        'margo-port': { type: 'string', default: '8443' },
        'margo-trust-port': { type: 'string', default: '8444' },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (e) {
    process.stderr.write(`serve: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`serve: --port ${values.port} is not a port number\n`);
    return 2;
  }
  const maxUpload =
    values['max-upload'] === undefined ? DEFAULT_MAX_UPLOAD : parseByteSize(values['max-upload']);
  if (maxUpload === undefined || maxUpload < 1) {
    process.stderr.write(
      `serve: --max-upload ${values['max-upload']} is not a size: write bytes, or a number with KiB, MiB, GiB or TiB (e.g. 500MiB, 16GiB)\n`,
    );
    return 2;
  }
  const idleMs = parseDuration(values['session-idle'] as string);
  const absoluteMs = parseDuration(values['session-max'] as string);
  if (idleMs === undefined || absoluteMs === undefined) {
    process.stderr.write(
      `serve: ${idleMs === undefined ? `--session-idle ${values['session-idle']}` : `--session-max ${values['session-max']}`} is not a time: write a number with s, m or h (e.g. 30m, 12h)\n`,
    );
    return 2;
  }
  const host = values.host as string;
  const home = dataHome();
  const log = (line: string) => process.stderr.write(`serve: ${line}\n`);
  let tls: ServerTls | undefined;
  try {
    // A browser elsewhere on the network: the token and the page must not cross it in clear.
    tls = isLoopback(host) ? undefined : browserHostCertificate(home, host);
  } catch (e) {
    const error = toContractError(e, 'making the HTTPS certificate');
    process.stderr.write(`serve: ${error.message}\n`);
    return 1;
  }
  ensureRenderer(log);
  const demoKit = await buildDemoKit(log);
  let core;
  try {
    core = await createAppCore({
      host: 'browser',
      home,
      allowLocalTargets: values['allow-local-targets'] === true,
      liveState: true,
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
      token: newAccessToken(),
      maxUploadBytes: maxUpload,
      sessionLimits: { idleMs, absoluteMs },
      ...(tls ? { tls: { key: tls.key, cert: tls.cert } } : {}),
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
  if (tls) {
    log(
      `listening on ${host} over HTTPS: anyone on that network with the URL below can use this Commissioner`,
    );
    log(
      `the certificate is signed by the plant CA (${tls.caPath}): a browser that trusts that CA opens the page without a warning; otherwise check that the certificate it shows has the fingerprint below`,
    );
  }
  if (values['allow-local-targets']) {
    log('devices and registries on this station are allowed: whoever uses the page acts as it');
  }
  if (maxUpload !== DEFAULT_MAX_UPLOAD) log(`uploads up to ${formatBytes(maxUpload)}`);
  if (core.accounts.any()) {
    log(`this station has named accounts: each person logs in at ${web.origin}/login`);
  }
  process.stdout.write(`${web.url}\n`);
  if (tls) process.stdout.write(`SHA-256 fingerprint ${tls.fingerprint}\n`);
  const stop = async () => {
    await web.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return -1;
}

/** `30m`, `12h`, `90s`: milliseconds, or undefined when it is not such a time. */
function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(s|m|h)$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
  return ms > 0 ? ms : undefined;
}

const code = await main();
if (code >= 0) process.exitCode = code;

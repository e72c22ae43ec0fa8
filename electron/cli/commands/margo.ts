import { advertisedHost, startWfmServer } from '../../core/margo-server/wfm-server';
import {
  addClient,
  listClients,
  MargoClientError,
  revokeClient,
} from '../../core/identity/margo-clients';
import { plantIdentity } from '../../core/identity/plant-identity';
import {
  BundleExistsError,
  writeProvisioningBundle,
} from '../../core/identity/provisioning-bundle';
import type { Store } from '../../core/store/store';
import { resolveFromCaller } from '../caller-directory';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';

/** The WFM's port unless --port: 443 needs privileges a laptop user does not have. */
export const DEFAULT_PORT = 8443;
export const DEFAULT_TRUST_PORT = 8444;

function paths(store: Store) {
  return store.paths;
}

/**
 * `margo serve [--host <addr>] [--port <n>] [--trust-port <n>]`: the Workload Management API
 * for Margo devices (mutual TLS) and the Trust Bundle API. Prints the WFM URL on a line of
 * its own and runs until interrupted.
 */
export async function runMargoServe(
  store: Store,
  options: { host?: string; port?: string; trustPort?: string; tls12?: boolean },
  output: Output,
): Promise<ExitCode> {
  const port = Number(options.port ?? DEFAULT_PORT);
  const trustPort = Number(options.trustPort ?? DEFAULT_TRUST_PORT);
  for (const [flag, value] of [
    ['--port', port],
    ['--trust-port', trustPort],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      output.err(`commissioner margo serve: ${flag} must be a port number (0–65535)`);
      return EXIT.usage;
    }
  }
  const identity = plantIdentity(paths(store));
  const host = options.host ?? '0.0.0.0';
  let server;
  try {
    server = await startWfmServer({
      store,
      identity,
      host,
      port,
      trustPort,
      ...(options.tls12 ? { allowTls12: true } : {}),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    output.err(
      code === 'EADDRINUSE'
        ? `commissioner margo serve: a port is in use (${port} or ${trustPort}): pass --port/--trust-port`
        : code === 'EACCES'
          ? `commissioner margo serve: not allowed to listen on port ${port} (ports below 1024 need privileges): pass --port`
          : `commissioner margo serve: cannot listen on ${host}: ${(e as Error).message}`,
    );
    return EXIT.findings;
  }
  output.err(
    `margo: trust domain ${identity.trustDomain}, ${identity.wfmSpiffeId}; trust bundle at ${server.trustUrl}/.well-known/margo`,
  );
  output.out(server.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return EXIT.ok;
}

/** `margo client add <client-id> -o <dir> [--url <wfm-url>]`: accept a client, write its bundle. */
export function runClientAdd(
  store: Store,
  clientId: string,
  options: { output: string; url?: string; json?: boolean },
  output: Output,
): ExitCode {
  const identity = plantIdentity(paths(store));
  const url =
    options.url ?? identity.serve?.url ?? `https://${advertisedHost('0.0.0.0')}:${DEFAULT_PORT}`;
  if (!/^https:\/\/[^/]+/.test(url)) {
    output.err(`commissioner margo client add: --url must be an https:// URL (is ${url})`);
    return EXIT.usage;
  }
  const dir = resolveFromCaller(options.output);
  try {
    const { client, svid } = addClient(store, identity, clientId);
    try {
      const files = writeProvisioningBundle(dir, identity, clientId, svid, url);
      if (options.json) output.out(JSON.stringify({ ...client, url, dir, files }));
      else {
        output.out(`client ${clientId} accepted: ${client.spiffeId}`);
        output.out(`provisioning bundle in ${dir}: ${files.join(', ')} (WFM ${url})`);
      }
      return EXIT.ok;
    } catch (e) {
      // Nothing half-done: a client whose bundle could not be written is not left accepted.
      revokeClient(store, clientId);
      throw e;
    }
  } catch (e) {
    if (e instanceof MargoClientError || e instanceof BundleExistsError) {
      output.err(`commissioner margo client add: ${e.message}`);
      return EXIT.findings;
    }
    throw e;
  }
}

export function runClientList(store: Store, options: { json?: boolean }, output: Output): ExitCode {
  const clients = listClients(store);
  if (options.json) {
    output.out(JSON.stringify(clients));
    return EXIT.ok;
  }
  if (clients.length === 0) {
    output.out('no clients yet: margo client add <client-id> -o <dir> makes one');
    return EXIT.ok;
  }
  output.out(
    textTable([
      ['CLIENT', 'STATE', 'MANIFEST', 'LAST SEEN', 'SPIFFE ID'],
      ...clients.map((c) => [
        c.clientId,
        c.state,
        String(c.manifestVersion),
        c.lastSeen ?? 'never',
        c.spiffeId,
      ]),
    ]),
  );
  return EXIT.ok;
}

export function runClientRevoke(store: Store, clientId: string, output: Output): ExitCode {
  try {
    const client = revokeClient(store, clientId);
    output.out(
      `client ${clientId} revoked at ${client.revokedAt}: its requests get 403 from now on`,
    );
    return EXIT.ok;
  } catch (e) {
    if (e instanceof MargoClientError) {
      output.err(`commissioner margo client revoke: ${e.message}`);
      return EXIT.findings;
    }
    throw e;
  }
}

import type { Store } from '../../core/store/store';
import { DEFAULT_TRUST_PORT, DEFAULT_WFM_PORT } from '../../core/margo-server/wfm-ports';
import {
  addMargoClient,
  listMargoClients,
  revokeMargoClient,
} from '../../core/use-cases/margo-clients';
import { serveMargo } from '../../core/use-cases/serve-margo';
import { resolveFromCaller } from '../caller-directory';
import { reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';

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
  let served;
  try {
    served = await serveMargo(store, {
      ...(options.host !== undefined ? { host: options.host } : {}),
      port: Number(options.port ?? DEFAULT_WFM_PORT),
      trustPort: Number(options.trustPort ?? DEFAULT_TRUST_PORT),
      ...(options.tls12 ? { tls12: true } : {}),
    });
  } catch (e) {
    return reportFailure(output, 'margo serve', e);
  }
  const { server, identity } = served;
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
  try {
    const added = addMargoClient(store, {
      clientId,
      dir: resolveFromCaller(options.output),
      ...(options.url !== undefined ? { url: options.url } : {}),
    });
    if (options.json) {
      output.out(
        JSON.stringify({ ...added.client, url: added.url, dir: added.dir, files: added.files }),
      );
    } else {
      output.out(`client ${clientId} accepted: ${added.client.spiffeId}`);
      output.out(
        `provisioning bundle in ${added.dir}: ${added.files.join(', ')} (WFM ${added.url})`,
      );
    }
    return EXIT.ok;
  } catch (e) {
    // A wrong client id is a refusal of the request (exit 1); only a wrong URL is a usage error.
    return reportFailure(output, 'margo client add', e, (error) =>
      error.name === 'invalid-input' && error.details.field !== 'url' ? EXIT.findings : undefined,
    );
  }
}

export function runClientList(store: Store, options: { json?: boolean }, output: Output): ExitCode {
  const clients = listMargoClients(store);
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
    const client = revokeMargoClient(store, clientId);
    output.out(
      `client ${clientId} revoked at ${client.revokedAt}: its requests get 403 from now on`,
    );
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'margo client revoke', e);
  }
}

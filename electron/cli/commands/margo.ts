import type { Store } from '../../core/store/store';
import { DEFAULT_TRUST_PORT, DEFAULT_WFM_PORT } from '../../core/margo-server/wfm-ports';
import {
  addMargoClient,
  expiringCertificates,
  listMargoClients,
  renewMargoClient,
  revokeMargoClient,
  type ExpiringCertificate,
  type ProvisionedClient,
} from '../../core/use-cases/margo-clients';
import { serveMargo, stopServingMargo } from '../../core/use-cases/serve-margo';
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
  await stopServingMargo(store, server);
  return EXIT.ok;
}

type ProvisionOptions = { output: string; url?: string; json?: boolean };

/** Writes a client's bundle through `provision`; says what was written (JSON: client, url, dir, files). */
function runProvisioning(
  store: Store,
  command: string,
  provision: (
    store: Store,
    input: { clientId: string; dir: string; url?: string },
  ) => ProvisionedClient,
  describe: (client: ProvisionedClient['client']) => string,
  clientId: string,
  options: ProvisionOptions,
  output: Output,
): ExitCode {
  try {
    const done = provision(store, {
      clientId,
      dir: resolveFromCaller(options.output),
      ...(options.url !== undefined ? { url: options.url } : {}),
    });
    if (options.json) {
      output.out(
        JSON.stringify({ ...done.client, url: done.url, dir: done.dir, files: done.files }),
      );
    } else {
      output.out(describe(done.client));
      output.out(`provisioning bundle in ${done.dir}: ${done.files.join(', ')} (WFM ${done.url})`);
    }
    return EXIT.ok;
  } catch (e) {
    // A wrong client id is a refusal of the request (exit 1); only a wrong URL is a usage error.
    return reportFailure(output, command, e, (error) =>
      error.name === 'invalid-input' && error.details.field !== 'url' ? EXIT.findings : undefined,
    );
  }
}

/** `margo client add <client-id> -o <dir> [--url <wfm-url>]`: accept a client, write its bundle. */
export function runClientAdd(
  store: Store,
  clientId: string,
  options: ProvisionOptions,
  output: Output,
): ExitCode {
  return runProvisioning(
    store,
    'margo client add',
    addMargoClient,
    (client) => `client ${clientId} accepted: ${client.spiffeId}`,
    clientId,
    options,
    output,
  );
}

/**
 * `margo client renew <client-id> -o <dir> [--url <wfm-url>] [--json]`: a new certificate for
 * an accepted client, written as a bundle; the one it holds stays accepted until it expires.
 */
export function runClientRenew(
  store: Store,
  clientId: string,
  options: ProvisionOptions,
  output: Output,
): ExitCode {
  return runProvisioning(
    store,
    'margo client renew',
    renewMargoClient,
    (client) =>
      `client ${clientId} renewed: a new certificate until ${client.notAfter ?? '?'}; the ones it holds stay accepted until they expire`,
    clientId,
    options,
    output,
  );
}

/** What to do about an expiring certificate, for people at the command line. */
function expiryAdvice(warning: ExpiringCertificate): string {
  switch (warning.certificate) {
    case 'ca':
      return 'start a CA rotation (margo ca rotate), renew every client, then finish it (margo ca rotate --finish)';
    case 'next-ca':
      return 'finish the rotation and start a new one';
    case 'wfm':
      return 'start margo serve again: it mints a new one';
    case 'client':
      return `margo client renew ${warning.clientId ?? ''} -o <dir> writes a new bundle for the device`;
  }
}

export function runClientList(store: Store, options: { json?: boolean }, output: Output): ExitCode {
  const clients = listMargoClients(store);
  const expiring = expiringCertificates(store);
  // On stderr in both forms: --json keeps stdout to the list (each client carries its notAfter).
  for (const warning of expiring) {
    output.err(`warning: ${warning.message}: ${expiryAdvice(warning)}`);
  }
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
      ['CLIENT', 'STATE', 'MANIFEST', 'LAST SEEN', 'EXPIRES', 'SPIFFE ID'],
      ...clients.map((c) => [
        c.clientId,
        c.state,
        String(c.manifestVersion),
        c.lastSeen ?? 'never',
        c.notAfter?.slice(0, 10) ?? '-',
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

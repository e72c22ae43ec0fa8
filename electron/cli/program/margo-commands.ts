import type { runClientAdd, runClientRenew, runMargoServe } from '../commands/margo';
import type { runCaRotate } from '../commands/margo-ca';
import type { Command, CommandContext } from './command-context';

/** `margo`: serving Margo devices and their clients. */
export function registerMargoCommands(
  program: Command,
  { output, withStore }: CommandContext,
): void {
  const margo = program
    .command('margo')
    .description('serve Margo devices: the Workload Management API and their client identities');
  margo
    .command('serve')
    .description('serve the Workload Management API (mutual TLS) and the Trust Bundle API')
    .option('--host <addr>', 'the address to listen on (default: every address, 0.0.0.0)')
    .option('--port <n>', 'the API port (default 8443)')
    .option('--trust-port <n>', 'the Trust Bundle API port, without client auth (default 8444)')
    .option('--tls12', 'also accept TLS 1.2 (TLS 1.3 only by default)')
    .action(async (options: Parameters<typeof runMargoServe>[1]) => {
      const { runMargoServe } = await import('../commands/margo');
      await withStore((store) => runMargoServe(store, options, output));
    });
  const client = margo
    .command('client')
    .description("the WFM's accepted clients (devices' Margo clients)");
  client
    .command('add')
    .description(
      'accept a client and write its provisioning bundle (ca.pem, cert.pem, key.pem, wfm.json)',
    )
    .argument('<client-id>', 'a name for the client, e.g. press-line-gateway')
    .requiredOption('-o, --output <dir>', 'the folder to write the bundle to (empty or new)')
    .option(
      '--url <wfm-url>',
      'the WFM URL the client uses (default: the configured serve address)',
    )
    .option('--json', 'print the client and the files as JSON')
    .action(async (clientId: string, options: Parameters<typeof runClientAdd>[2]) => {
      const { runClientAdd } = await import('../commands/margo');
      await withStore((store) => runClientAdd(store, clientId, options, output));
    });
  client
    .command('renew')
    .description(
      'issue a new certificate for an accepted client and write its bundle; the old one stays accepted until it expires',
    )
    .argument('<client-id>')
    .requiredOption('-o, --output <dir>', 'the folder to write the bundle to (empty or new)')
    .option(
      '--url <wfm-url>',
      'the WFM URL the client uses (default: the configured serve address)',
    )
    .option('--json', 'print the client and the files as JSON')
    .action(async (clientId: string, options: Parameters<typeof runClientRenew>[2]) => {
      const { runClientRenew } = await import('../commands/margo');
      await withStore((store) => runClientRenew(store, clientId, options, output));
    });
  client
    .command('list')
    .description(
      'list the clients with their state, last contact and certificate expiry; warns of certificates expiring within 30 days',
    )
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      const { runClientList } = await import('../commands/margo');
      await withStore((store) => runClientList(store, options, output));
    });
  client
    .command('revoke')
    .description('revoke a client: refused at once, also by a running server')
    .argument('<client-id>')
    .action(async (clientId: string) => {
      const { runClientRevoke } = await import('../commands/margo');
      await withStore((store) => runClientRevoke(store, clientId, output));
    });
  const ca = margo.command('ca').description("the trust domain's certificate authority (CA)");
  ca.command('show')
    .description('show the trust domain, its CA(s) and a rotation under way')
    .option('--json', 'print it as JSON (null when there is no trust domain yet)')
    .action(async (options: { json?: boolean }) => {
      const { runCaShow } = await import('../commands/margo-ca');
      await withStore((store) => runCaShow(store, options, output));
    });
  ca.command('init')
    .description('create the trust domain (otherwise made on first use, with ECDSA P-256)')
    .option('--key-type <type>', 'ecdsa-p256 (default) or rsa-3072, for devices that need RSA')
    .option('--json', 'print the trust domain as JSON')
    .action(async (options: { keyType?: string; json?: boolean }) => {
      const { runCaInit } = await import('../commands/margo-ca');
      await withStore((store) => runCaInit(store, options, output));
    });
  ca.command('rotate')
    .description(
      'start moving the trust domain to a new CA (devices trust both meanwhile); --finish makes it the only one',
    )
    .option('--key-type <type>', 'the new CA: ecdsa-p256 (default) or rsa-3072')
    .option(
      '--finish',
      'finish the rotation: the WFM presents the new chain, the old CA is dropped',
    )
    .option('--force', 'with --finish: also when clients hold no certificate from the new CA yet')
    .option('--json', 'print the trust domain as JSON')
    .action(async (options: Parameters<typeof runCaRotate>[1]) => {
      const { runCaRotate } = await import('../commands/margo-ca');
      await withStore((store) => runCaRotate(store, options, output));
    });
}

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { Store } from '../core/store/store';
import type { DeployOptions } from './commands/deploy';
import type { RenderOptions } from './commands/deployments';
import type { AddOptions, DescribeOptions } from './commands/devices';
import type { DevicesUpdateOptions } from './commands/devices-update';
import type { runImport } from './commands/import';
import type { runKitPack } from './commands/kit';
import type { runClientAdd, runMargoServe } from './commands/margo';
import { EXIT, type ExitCode } from './exit-codes';
import { processOutput, type Output } from './output';

// Command modules are imported inside their actions, so a command loads only its own
// dependencies and `--help` none of them (zod, yaml, SQLite, Docker): most of start-up.

/** The version in package.json, read where the sources are (the bundle keeps that meaning). */
function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/**
 * Builds the `commissioner` program. Options may come before or after positionals; usage
 * errors exit with 2. Commands report their own exit codes (see each issue's contract).
 */
export function buildProgram(output: Output, setExit: (code: ExitCode) => void): Command {
  const program = new Command('commissioner')
    .description(
      'Commissioner: import, check and deploy Margo applications on plant-floor devices, offline',
    )
    .showHelpAfterError('(run with --help for usage)')
    .option('--debug', 'on failure, also print the raw error (for support)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) })
    .version(packageVersion(), '-V, --version', 'print the version');

  program
    .command('validate')
    .description(
      'check a Margo file (margo.yaml, deployment, capabilities, …) or a package directory',
    )
    .argument('<path...>', 'a YAML/JSON file or a package directory')
    .option('--json', 'print one JSON object {valid, diagnostics} on stdout')
    .action(async (paths: string[], options: { json?: boolean }) => {
      const { runValidate } = await import('./commands/validate');
      setExit(await runValidate(paths, options, output));
    });

  const withStore = async (run: (store: Store) => Promise<ExitCode> | ExitCode) => {
    const { openStore } = await import('../core/store/store');
    const store = openStore();
    try {
      setExit(await run(store));
    } finally {
      store.close();
    }
  };
  const collect = (value: string, previous: string[]) => [...previous, value];

  program
    .command('import')
    .description(
      'import application packages, components and images from folders, kits and registries',
    )
    .argument(
      '<source...>',
      'a package folder, an OCI layout folder, a kit (.tar, .tar.gz), a folder to scan (USB stick), or oci://host[:port]/repo[:tag]',
    )
    .option('--json', 'print the summary as one JSON object on stdout')
    .option(
      '--with-dependencies',
      'also pull the components (compose archives, Helm charts) packages from a registry name',
    )
    .option('--plain-http', 'talk to the registry over plain HTTP (only when it has no TLS)')
    .option('--ca <file>', 'trust this CA certificate (PEM) for the registry')
    .option(
      '--username <user>',
      'registry user name (password from --password-stdin or COMMISSIONER_REGISTRY_PASSWORD)',
    )
    .option('--password-stdin', 'read the registry password from standard input')
    .action(async (sources: string[], options: Parameters<typeof runImport>[2]) => {
      const { runImport } = await import('./commands/import');
      await withStore((store) => runImport(store, sources, options, output, readStdin));
    });

  const catalog = program
    .command('catalog')
    .description('browse and manage the imported applications');
  catalog
    .command('list')
    .description('list applications at their latest version')
    .option(
      '--search <query>',
      'only applications matching every word (name, tagline, description, tags, organization)',
    )
    .option('--json', 'print a JSON array')
    .action(async (options: { search?: string; json?: boolean }) => {
      const { runCatalogList } = await import('./commands/catalog');
      await withStore((store) => runCatalogList(store, options, output));
    });
  catalog
    .command('show')
    .description('show one application (its latest version, or id@version)')
    .argument('<app>', 'id or id@version')
    .option('--json', 'print one JSON object')
    .action(async (ref: string, options: { json?: boolean }) => {
      const { runCatalogShow } = await import('./commands/catalog');
      await withStore((store) => runCatalogShow(store, ref, options, output));
    });
  catalog
    .command('remove')
    .description('remove an application version (id@version) or every version (id)')
    .argument('<app>', 'id or id@version')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print what was removed as JSON')
    .action(async (ref: string, options: { yes?: boolean; json?: boolean }) => {
      const { runCatalogRemove } = await import('./commands/catalog');
      await withStore((store) => runCatalogRemove(store, ref, options, output));
    });

  const describeOptions = (command: Command) =>
    command
      .option('--vendor <text>', 'device vendor (the Docker API does not tell)')
      .option('--model <text>', 'device model number')
      .option('--serial <text>', 'device serial number')
      .option('--storage <amount>', 'storage available to workloads, e.g. 64Gi')
      .option(
        '--peripheral <type[:manufacturer[:model]]>',
        'a peripheral, e.g. gpu:NVIDIA:T4 (repeatable; the list is then complete)',
        collect,
        [],
      )
      .option(
        '--interface <type>',
        'a communication interface, e.g. ethernet, canbus (repeatable; the list is then complete)',
        collect,
        [],
      );

  const devices = program
    .command('devices')
    .description('the Docker devices on the LAN: inventory, probing, labels');
  describeOptions(
    devices
      .command('add')
      .description('add a device (recorded even when it cannot be reached now)')
      .argument('<kind>', 'docker')
      .argument('<name>', 'a name for the device, e.g. press-42')
      .requiredOption(
        '--host <url>',
        'tcp://<ip>:2376, ssh://user@host or unix:///var/run/docker.sock',
      )
      .option('--tls-ca <file>', 'CA certificate that signed the device (PEM)')
      .option('--tls-cert <file>', "the laptop's client certificate (PEM)")
      .option('--tls-key <file>', "the laptop's client key (PEM)")
      .option(
        '--plain-tcp',
        'Docker over TCP without TLS (unsafe: only on a trusted isolated network)',
      )
      .option('--identity <file>', 'SSH private key for ssh://')
      .option(
        '--ssh-host-key-fingerprint <SHA256:…>',
        "ssh://: the fingerprint of the device's host key, as ssh-keygen -l prints it on the device (otherwise its key is accepted on first use and shown)",
      )
      .option(
        '--ssh-agent',
        "ssh://: let this computer's SSH agent (SSH_AUTH_SOCK) log in to the device; never used otherwise",
      )
      .option('--label <key=value>', 'a label (repeatable)', collect, [])
      .option('--json', 'print the device and its first probe as JSON'),
  ).action(async (kind: string, name: string, options: AddOptions) => {
    const { runDevicesAdd } = await import('./commands/devices');
    await withStore((store) => runDevicesAdd(store, kind, name, options, output));
  });
  devices
    .command('list')
    .description('list the devices with their last probe')
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      const { runDevicesList } = await import('./commands/devices');
      await withStore((store) => runDevicesList(store, options, output));
    });
  devices
    .command('probe')
    .description('ask devices for their facts (all when no name is given), in parallel')
    .argument('[name...]', 'device names')
    .option('--timeout <seconds>', 'give up on a device after this long (default 5)')
    .option('--json', 'print a JSON array')
    .action(async (names: string[], options: { json?: boolean; timeout?: string }) => {
      const { runDevicesProbe } = await import('./commands/devices');
      await withStore((store) => runDevicesProbe(store, names, options, output));
    });
  devices
    .command('label')
    .description('set labels (key=value) or remove them (key-)')
    .argument('<name>', 'device name')
    .argument('<labels...>', 'key=value or key-')
    .action(async (name: string, labels: string[]) => {
      const { runDevicesLabel } = await import('./commands/devices');
      await withStore((store) => runDevicesLabel(store, name, labels, output));
    });
  describeOptions(
    devices
      .command('describe')
      .description('tell what the Docker API cannot: vendor, peripherals, interfaces…')
      .argument('<name>', 'device name'),
  ).action(async (name: string, options: DescribeOptions) => {
    const { runDevicesDescribe } = await import('./commands/devices');
    await withStore((store) => runDevicesDescribe(store, name, options, output));
  });
  devices
    .command('update')
    .description('change a device setting: whether apps may have access to the device itself')
    .argument('<name>', 'device name')
    .option(
      '--host-access <allow|deny>',
      'deny: apps that need access to the device itself (privileged, Docker socket…) are incompatible',
    )
    .option('--json', 'print the device setting as JSON')
    .action(async (name: string, options: DevicesUpdateOptions) => {
      const { runDevicesUpdate } = await import('./commands/devices-update');
      await withStore((store) => runDevicesUpdate(store, name, options, output));
    });
  devices
    .command('remove')
    .description('remove a device and its TLS files from the inventory')
    .argument('<name>', 'device name')
    .action(async (name: string) => {
      const { runDevicesRemove } = await import('./commands/devices');
      await withStore((store) => runDevicesRemove(store, name, output));
    });

  program
    .command('compat')
    .description('which devices can run an application, profile by profile, and why not')
    .argument('<app>', 'id or id@version')
    .option('--device <name>', 'only this device (repeatable)', collect, [])
    .option('--probe', 'probe the devices first')
    .option('--json', 'print a JSON array of {device, profile, verdict, checks}')
    .action(
      async (ref: string, options: { device?: string[]; json?: boolean; probe?: boolean }) => {
        const { runCompat } = await import('./commands/compat');
        await withStore((store) => runCompat(store, ref, options, output));
      },
    );

  const config = program
    .command('config')
    .description('the configuration forms of applications (settings, rules, defaults)');
  config
    .command('schema')
    .description('the configuration form of an application as JSON Schema and uiSchema')
    .argument('<app>', 'id or id@version')
    .option('--profile <id>', 'the deployment profile (needed when the application has several)')
    .option('--json', 'print {schema, uiSchema, …} as one JSON object')
    .action(async (ref: string, options: { profile?: string; json?: boolean }) => {
      const { runConfigSchema } = await import('./commands/config');
      await withStore((store) => runConfigSchema(store, ref, options, output));
    });

  const deployments = program
    .command('deployments')
    .description('ApplicationDeployments: the desired state of an application on a device');
  deployments
    .command('render')
    .description('build the ApplicationDeployment YAML of an application for a device')
    .argument('<app>', 'id or id@version')
    .requiredOption(
      '--device <id>',
      'the device id, written as given into metadata.deviceId (need not be in the inventory)',
    )
    .option('--profile <id>', 'the deployment profile (needed when the application has several)')
    .option(
      '--set <parameter=value>',
      'a parameter value, e.g. pollFrequency=60; lists as a,b or [a, b] (repeatable)',
      collect,
      [],
    )
    .option('--values <file>', 'a YAML file of parameter values (parameter: value); --set wins')
    .option(
      '-o, --output <file>',
      'write the deployment (secrets included) to a file only you can read',
    )
    .option(
      '--update <deployment.yaml>',
      'update this installed deployment: keep its id and names, refuse changes to immutable settings',
    )
    .option('--id <uuid>', 'the deployment id (default: derived from application and device)')
    .option('--json', 'print {valid, id, digest, yaml, warnings} or {valid, errors} as JSON')
    .action(async (ref: string, options: RenderOptions) => {
      const { runDeploymentsRender } = await import('./commands/deployments');
      await withStore((store) => runDeploymentsRender(store, ref, options, output));
    });

  deployments
    .command('list')
    .description('every deployment: application, device, state, revision')
    .option(
      '--json',
      'print a JSON array of {id, appId, version, device, profile, state, revision, updatedAt}',
    )
    .action(async (options: { json?: boolean }) => {
      const { runDeploymentsList } = await import('./commands/deployment-admin');
      await withStore((store) => runDeploymentsList(store, options, output));
    });
  deployments
    .command('show')
    .description('one deployment: state per component, revisions, timeline, its YAML')
    .argument('<id>', 'deployment id (or a unique prefix of 4+ characters)')
    .option('--refresh', 'ask the device first: record what its containers say now')
    .option('--json', 'print one JSON object')
    .action(async (id: string, options: { json?: boolean; refresh?: boolean }) => {
      const { runDeploymentsShow } = await import('./commands/deployment-admin');
      await withStore((store) => runDeploymentsShow(store, id, options, output));
    });
  deployments
    .command('logs')
    .description("what a deployment's containers printed last")
    .argument('<id>', 'deployment id (or a unique prefix)')
    .option('--component <name>', 'only this component')
    .option('--service <name>', 'only this service')
    .option('--tail <lines>', 'lines per container (default 200)')
    .action(
      async (id: string, options: { component?: string; service?: string; tail?: string }) => {
        const { runDeploymentsLogs } = await import('./commands/deployment-admin');
        await withStore((store) => runDeploymentsLogs(store, id, options, output));
      },
    );
  deployments
    .command('rollback')
    .description('run the previous known-good revision again')
    .argument('<id>', 'deployment id (or a unique prefix)')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print {id, from, to, ok, error} as JSON')
    .action(async (id: string, options: { yes?: boolean; json?: boolean }) => {
      const { runDeploymentsRollback } = await import('./commands/deployment-admin');
      await withStore((store) => runDeploymentsRollback(store, id, options, output));
    });
  deployments
    .command('remove')
    .description('remove a deployment from its device (data volumes stay unless purged)')
    .argument('<id>', 'deployment id (or a unique prefix)')
    .option('--purge-volumes', 'also delete its data volumes')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print what was removed as JSON')
    .action(
      async (id: string, options: { purgeVolumes?: boolean; yes?: boolean; json?: boolean }) => {
        const { runDeploymentsRemove } = await import('./commands/deployment-admin');
        await withStore((store) => runDeploymentsRemove(store, id, options, output));
      },
    );

  program
    .command('deploy')
    .description('deploy an application (compose profile) to Docker devices: plan, confirm, apply')
    .argument('<app>', 'id or id@version')
    .requiredOption('--device <name[,name…]>', 'devices of the inventory (repeatable)', collect, [])
    .option(
      '--profile <id>',
      'the deployment profile (needed when the application has several compose profiles)',
    )
    .option(
      '--set <parameter=value>',
      'a parameter value (repeatable); on an update the others keep their installed values',
      collect,
      [],
    )
    .option('--values <file>', 'a YAML file of parameter values (parameter: value); --set wins')
    .option('--dry-run', 'show what would change on each device, change nothing')
    .option('--no-rollback', 'do not restore the previous revision when the new one fails')
    .option(
      '--allow-host-access',
      'allow the access to the devices themselves that the plan shows (privileged, Docker socket, device folders…)',
    )
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print one JSON array, one object per device')
    .action(async (ref: string, options: DeployOptions) => {
      const { runDeploy } = await import('./commands/deploy');
      await withStore((store) => runDeploy(store, ref, options, output));
    });

  const kit = program.command('kit').description('make kits (OCI layouts) for USB sticks');
  kit
    .command('pack')
    .description('pack a package, its compose components and images into a kit')
    .argument('<package-dir>', 'the application package folder (margo.yaml + resources/)')
    .option(
      '--component <name@revision=dir>',
      'a compose component folder to pack (repeatable)',
      collect,
      [],
    )
    .option(
      '--image <archive>',
      'a docker save or OCI image archive to include (repeatable)',
      collect,
      [],
    )
    .requiredOption('-o, --output <out>', 'the kit to write: a .tar or .tar.gz file, or a folder')
    .option('--json', 'print what was packed as JSON')
    .action(async (packageDir: string, options: Parameters<typeof runKitPack>[1]) => {
      const { runKitPack } = await import('./commands/kit');
      setExit(await runKitPack(packageDir, options, output));
    });

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
      const { runMargoServe } = await import('./commands/margo');
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
      const { runClientAdd } = await import('./commands/margo');
      await withStore((store) => runClientAdd(store, clientId, options, output));
    });
  client
    .command('list')
    .description('list the clients with their state and last contact')
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      const { runClientList } = await import('./commands/margo');
      await withStore((store) => runClientList(store, options, output));
    });
  client
    .command('revoke')
    .description('revoke a client: refused at once, also by a running server')
    .argument('<client-id>')
    .action(async (clientId: string) => {
      const { runClientRevoke } = await import('./commands/margo');
      await withStore((store) => runClientRevoke(store, clientId, output));
    });

  return program;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Flags every command understands; written before the command name they still apply to it. */
const COMMAND_FLAGS = new Set(['--json', '--yes']);

/** `commissioner --json validate x` means `commissioner validate x --json`. */
export function hoistCommandFlags(argv: readonly string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length && COMMAND_FLAGS.has(argv[i] as string)) leading.push(argv[i++] as string);
  return leading.length > 0 && i < argv.length ? [...argv.slice(i), ...leading] : [...argv];
}

export async function main(argv: string[], output: Output = processOutput): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  // --debug, anywhere: raw errors (class names, codes, stack traces) go to stderr too.
  const debug = argv.includes('--debug');
  const shown: Output = debug ? Object.assign(Object.create(output) as Output, { debug }) : output;
  const program = buildProgram(shown, (c) => (code = c));
  try {
    await program.parseAsync(hoistCommandFlags(argv.filter((a) => a !== '--debug')), {
      from: 'user',
    });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // Loaded only on failure: it brings the contract's error schemas (zod) with it.
    const { reportFailure } = await import('./cli-failure');
    return reportFailure(shown, program.args.join(' ') || 'command', e);
  }
}

import type { AddOptions, DescribeOptions } from '../commands/devices';
import type { DevicesUpdateOptions } from '../commands/devices-update';
import { collect, type Command, type CommandContext } from './command-context';

/** `devices`, `compat`: the inventory, and which device runs what. */
export function registerDeviceCommands(
  program: Command,
  { output, withStore }: CommandContext,
): void {
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
    const { runDevicesAdd } = await import('../commands/devices-add');
    await withStore((store) => runDevicesAdd(store, kind, name, options, output));
  });
  devices
    .command('list')
    .description('list the devices with their last probe')
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      const { runDevicesList } = await import('../commands/devices');
      await withStore((store) => runDevicesList(store, options, output));
    });
  devices
    .command('probe')
    .description('ask devices for their facts (all when no name is given), in parallel')
    .argument('[name...]', 'device names')
    .option('--timeout <seconds>', 'give up on a device after this long (default 5)')
    .option('--json', 'print a JSON array')
    .action(async (names: string[], options: { json?: boolean; timeout?: string }) => {
      const { runDevicesProbe } = await import('../commands/devices');
      await withStore((store) => runDevicesProbe(store, names, options, output));
    });
  devices
    .command('show')
    .description(
      'one device: its last probe and the Commissioner deployments it runs (from any laptop)',
    )
    .argument('<name>', 'device name')
    .option(
      '--json',
      'print {device, lastProbe, deployments: [{id, appId, version, revision, owner, deployedAt, state}]}',
    )
    .action(async (name: string, options: { json?: boolean }) => {
      const { runDevicesShow } = await import('../commands/device-deployments');
      await withStore((store) => runDevicesShow(store, name, options, output));
    });
  devices
    .command('label')
    .description('set labels (key=value) or remove them (key-)')
    .argument('<name>', 'device name')
    .argument('<labels...>', 'key=value or key-')
    .action(async (name: string, labels: string[]) => {
      const { runDevicesLabel } = await import('../commands/devices');
      await withStore((store) => runDevicesLabel(store, name, labels, output));
    });
  describeOptions(
    devices
      .command('describe')
      .description('tell what the Docker API cannot: vendor, peripherals, interfaces…')
      .argument('<name>', 'device name'),
  ).action(async (name: string, options: DescribeOptions) => {
    const { runDevicesDescribe } = await import('../commands/devices');
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
      const { runDevicesUpdate } = await import('../commands/devices-update');
      await withStore((store) => runDevicesUpdate(store, name, options, output));
    });
  devices
    .command('remove')
    .description('remove a device and its TLS files from the inventory')
    .argument('<name>', 'device name')
    .action(async (name: string) => {
      const { runDevicesRemove } = await import('../commands/devices');
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
        const { runCompat } = await import('../commands/compat');
        await withStore((store) => runCompat(store, ref, options, output));
      },
    );
}

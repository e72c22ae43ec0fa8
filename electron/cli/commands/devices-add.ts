import { describeConnection } from '../../../shared/devices/device-connection';
import type { Store } from '../../core/store/store';
import { addDevice } from '../../core/use-cases/add-device';
import { resolveFromCaller } from '../caller-directory';
import { flagHint, reportFailure, reportUsage } from '../cli-failure';
import { describedFrom, parseLabels, UsageError, type AddOptions } from '../device-options';
import { hostKeyLines, summary } from '../device-lines';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';

/** Which flags carry each input of `devices add`, for the hint under a refusal. */
const ADD_FLAGS: Record<string, string> = {
  tls: 'give them with --tls-ca, --tls-cert and --tls-key (--plain-tcp if you must)',
  host: '--host tcp://<ip>:2376, ssh://user@host or unix:///var/run/docker.sock',
  identity: 'give the SSH key with --identity <file>, or let the SSH agent log in with --ssh-agent',
  sshHostKeyFingerprint:
    '--ssh-host-key-fingerprint SHA256:… (on the device: ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub)',
  sshAgent: '--ssh-agent is for ssh:// devices only',
};

/**
 * `devices add docker <name> --host …`: records the device even when it cannot be reached now
 * (and says so), after one probe to tell the engineer what was found.
 */
export async function runDevicesAdd(
  store: Store,
  kind: string,
  name: string,
  options: AddOptions,
  output: Output,
): Promise<ExitCode> {
  let added;
  try {
    const tls = [options.tlsCa, options.tlsCert, options.tlsKey];
    if (options.plainTcp && tls.some(Boolean)) {
      throw new UsageError('--plain-tcp and --tls-* exclude each other');
    }
    if (tls.some(Boolean) && !tls.every(Boolean)) {
      throw new UsageError('give all three of --tls-ca, --tls-cert and --tls-key');
    }
    added = await addDevice(store, {
      name,
      kind,
      host: options.host,
      ...(options.tlsCa && options.tlsCert && options.tlsKey
        ? {
            tls: {
              ca: resolveFromCaller(options.tlsCa),
              cert: resolveFromCaller(options.tlsCert),
              key: resolveFromCaller(options.tlsKey),
            },
          }
        : {}),
      ...(options.plainTcp ? { plainTcp: true } : {}),
      ...(options.identity ? { identity: resolveFromCaller(options.identity) } : {}),
      ...(options.sshHostKeyFingerprint !== undefined
        ? { sshHostKeyFingerprint: options.sshHostKeyFingerprint }
        : {}),
      ...(options.sshAgent ? { sshAgent: true } : {}),
      labels: parseLabels(options.label ?? []).set,
      described: describedFrom(options),
    });
  } catch (e) {
    if (e instanceof UsageError) return reportUsage(output, 'devices add', e);
    const hint = flagHint(output, ADD_FLAGS);
    return reportFailure(output, 'devices add', e, (error) => {
      if (error.name === 'device-unreachable')
        output.err('  pin its host key with --ssh-host-key-fingerprint SHA256:…');
      return hint(error);
    });
  }
  const { device, probe, warnings } = added;
  const c = device.connection;
  const where = describeConnection(c);
  const hostKey = c.protocol === 'ssh' ? c.hostKey : undefined;
  if (options.json) {
    output.out(
      JSON.stringify({
        name,
        connection: where,
        probe,
        ...(hostKey ? { sshHostKey: hostKey } : {}),
        ...(warnings.length ? { warnings } : {}),
      }),
    );
    return EXIT.ok;
  }
  if (probe.reachable) output.out(`added ${name} (${where}): reachable, ${summary(probe)}`);
  else {
    output.out(
      `added ${name} (${where}), but it cannot be reached now: ${probe.error?.message ?? 'unknown error'}\nIt stays in the inventory; probe it again with: commissioner devices probe ${name}`,
    );
  }
  if (hostKey) output.out(hostKeyLines(hostKey));
  for (const warning of warnings) output.err(`warning: ${warning}`);
  return EXIT.ok;
}

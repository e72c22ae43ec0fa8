import { sshKeyTypeName, type SshHostKey } from '../../shared/devices/device-connection';
import type { ProbeResult } from '../../shared/devices/probe-result';
import { formatBytes } from '../../shared/units/quantity';

/** A probe's facts in one line: `Docker 20.10 (API 1.41), 2 CPU x86_64, 7.8 GiB, Debian`. */
export function summary(r: ProbeResult): string {
  const f = r.facts;
  if (!f) return 'no facts';
  return `Docker ${f.serverVersion} (API ${f.negotiatedApiVersion}), ${f.cpus} CPU ${f.architecture}, ${formatBytes(f.memoryBytes)}, ${f.os}`;
}

/** The host key recorded for an SSH device, as the engineer should compare it. */
export function hostKeyLines(hostKey: SshHostKey): string {
  const key = `${sshKeyTypeName(hostKey.type)} key ${hostKey.fingerprint}`;
  return hostKey.accepted === 'pinned'
    ? `SSH host key: ${key} (matches the fingerprint given); every connection checks it`
    : `SSH host key: ${key}, accepted on first use: compare it with the device's own (on the device: ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub). Every connection checks it from now on; next time, pin it with --ssh-host-key-fingerprint`;
}

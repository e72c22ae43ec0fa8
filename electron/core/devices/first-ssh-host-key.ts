import { CommissionerError } from '../../../shared/contract/contract-error';
import { sshKeyTypeName, type SshHostKey } from '../../../shared/devices/device-connection';
import { ProbeFailure, classifyNetworkError } from './probe-failure';
import { HOST_KEY_TYPES, sshFingerprint, sshKeyType } from './ssh-host-key';
import { presentedHostKey, type SshEndpoint } from './ssh-session';

/**
 * The host key to record for a device being added over SSH, read from the device itself.
 *
 * With a fingerprint the engineer got from the device (pinned), the key must match it: the
 * first key the server shows, or another of its keys (a server has one per type, and the
 * fingerprint may be of any). A mismatch refuses the add. A device that cannot be reached
 * now is added with the pinned fingerprint, checked at its first connection.
 *
 * Without one, the key the device presents is accepted on first use and returned for the
 * engineer to see (and compare with the device's own). A device that cannot be reached
 * then is not added: its key would be accepted later, unseen.
 */
export async function firstSshHostKey(
  endpoint: SshEndpoint,
  device: string,
  pinned: string | undefined,
  timeoutMs: number,
): Promise<{ hostKey: SshHostKey; warnings: string[] }> {
  let first: Buffer;
  try {
    first = await presentedHostKey(endpoint, timeoutMs);
  } catch (e) {
    const failure = e instanceof ProbeFailure ? e : classifyNetworkError(e, endpoint.where);
    if (pinned) {
      return {
        hostKey: { fingerprint: pinned, accepted: 'pinned' },
        warnings: [
          `the device's SSH host key could not be checked now (${failure.message}): the fingerprint given is recorded, and the first connection must present it`,
        ],
      };
    }
    throw new CommissionerError(
      'device-unreachable',
      `${device} was not added: its SSH host key could not be read (${failure.message}). Add it when it can be reached, or give the fingerprint of its host key`,
      { device },
    );
  }
  const type = sshKeyType(first);
  const fingerprint = sshFingerprint(first);
  if (!pinned) return { hostKey: { type, fingerprint, accepted: 'first-use' }, warnings: [] };
  if (fingerprint === pinned)
    return { hostKey: { type, fingerprint, accepted: 'pinned' }, warnings: [] };
  const presented = [`${sshKeyTypeName(type)} ${fingerprint}`];
  for (const other of HOST_KEY_TYPES) {
    if (other === type) continue;
    let key: Buffer;
    try {
      key = await presentedHostKey(endpoint, timeoutMs, other);
    } catch {
      continue; // No key of that type.
    }
    const otherFingerprint = sshFingerprint(key);
    if (otherFingerprint === pinned) {
      return {
        hostKey: { type: sshKeyType(key), fingerprint: pinned, accepted: 'pinned' },
        warnings: [],
      };
    }
    presented.push(`${sshKeyTypeName(other)} ${otherFingerprint}`);
  }
  const reason = `the SSH host keys of ${endpoint.where} (${presented.join(', ')}) do not match the fingerprint given (${pinned})`;
  throw new CommissionerError(
    'refused',
    `${device} was not added: ${reason}. Check the fingerprint with whoever runs the device (on the device: ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub); if it is right, someone may be between you and the device`,
    { reasons: [reason] },
  );
}

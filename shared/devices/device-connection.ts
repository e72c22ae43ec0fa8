import { z } from 'zod';

/** Device names: what the engineer calls it; also usable as a Margo device id. */
export const DeviceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._~-]{0,63}$/, {
  error: 'use letters, digits and . _ ~ - (at most 64, starting with a letter or digit)',
});

/** OpenSSH's fingerprint form: `SHA256:` and the unpadded base64 of the key's SHA-256. */
export const SshFingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, {
  error: 'an SSH host key fingerprint looks like SHA256: followed by 43 letters, digits, + or /',
});

/**
 * A device's SSH host key as recorded: its type (`ssh-ed25519`, `ecdsa-sha2-nistp256`,
 * `ssh-rsa`; absent when only a fingerprint was pinned and the device was not reached yet),
 * its fingerprint, and how it came to be trusted: matched against the fingerprint the
 * engineer gave, or accepted the first time it was seen.
 */
export const SshHostKey = z.strictObject({
  type: z.string().optional(),
  fingerprint: SshFingerprint,
  accepted: z.enum(['pinned', 'first-use']),
});
export type SshHostKey = z.infer<typeof SshHostKey>;

/**
 * A fingerprint as people copy it: from `ssh-keygen -l` (with padding, or the whole line's
 * second word), with stray spaces. Returns the canonical `SHA256:…` or undefined.
 */
export function normalizeSshFingerprint(text: string): string | undefined {
  const word =
    text
      .trim()
      .split(/\s+/)
      .find((w) => /^SHA256:/i.test(w)) ?? text.trim();
  const body = word.replace(/^SHA256:/i, '').replace(/=+$/, '');
  const canonical = `SHA256:${body}`;
  return SshFingerprint.safeParse(canonical).success ? canonical : undefined;
}

/** `ssh-ed25519` → `ED25519`, as OpenSSH names key types when it shows a fingerprint. */
export function sshKeyTypeName(type: string | undefined): string {
  if (!type) return 'host';
  if (type === 'ssh-ed25519') return 'ED25519';
  if (type === 'ssh-rsa') return 'RSA';
  if (type.startsWith('ecdsa-sha2-')) return 'ECDSA';
  if (type === 'ssh-dss') return 'DSA';
  return type;
}

/** How the laptop reaches a Docker Engine. TLS is the default for TCP; plain TCP must be asked for. */
export const DockerConnection = z.discriminatedUnion('protocol', [
  z.strictObject({
    protocol: z.literal('tcp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    /** null only when plain TCP was asked for explicitly. */
    tls: z.strictObject({ ca: z.string(), cert: z.string(), key: z.string() }).nullable(),
  }),
  z.strictObject({
    protocol: z.literal('ssh'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    username: z.string().min(1),
    identityFile: z.string().optional(),
    /**
     * The device's SSH host key, recorded when it was added: every later connection must
     * present the same key. Absent only for devices recorded before host keys were checked.
     */
    hostKey: SshHostKey.optional(),
    /** Whether this computer's SSH agent may sign for it; never unless asked for. */
    agent: z.boolean().optional(),
  }),
  z.strictObject({ protocol: z.literal('unix'), socketPath: z.string().min(1) }),
]);
export type DockerConnection = z.infer<typeof DockerConnection>;

/** A Margo device: it reaches the laptop (its client polls the WFM), never the reverse. */
export const MargoConnection = z.strictObject({
  protocol: z.literal('margo'),
  clientId: z.string().min(1),
  /** Scoped to the client: `gw-1`, or `gw-1/plc-3` for a child of a see-thru gateway. */
  deviceId: z.string().min(1),
  /**
   * The `properties.id` of the device's last report, when it names another id than its path:
   * the reference device agent puts its client id in the path and the device id in the body.
   */
  reportedId: z.string().min(1).optional(),
});
export type MargoConnection = z.infer<typeof MargoConnection>;

export const DeviceConnection = z.union([DockerConnection, MargoConnection]);
export type DeviceConnection = z.infer<typeof DeviceConnection>;

/** Margo devices are named `<client-id>/<device-id>` (device ids are scoped per client). */
export function margoDeviceName(clientId: string, deviceId: string): string {
  return `${clientId}/${deviceId}`;
}

export type ParsedHost =
  | {
      ok: true;
      connection:
        | { protocol: 'tcp'; host: string; port: number }
        | { protocol: 'ssh'; host: string; port: number; username: string }
        | { protocol: 'unix'; socketPath: string };
    }
  | { ok: false; message: string };

/** `tcp://10.0.0.5:2376`, `ssh://engineer@10.0.0.5[:22]`, `unix:///var/run/docker.sock`. */
export function parseDockerHost(text: string): ParsedHost {
  const m = /^(tcp|ssh|unix):\/\/(.*)$/.exec(text.trim());
  if (!m) return { ok: false, message: `"${text}" must start with tcp://, ssh:// or unix://` };
  const [, scheme, rest = ''] = m;
  if (scheme === 'unix') {
    return rest.startsWith('/')
      ? { ok: true, connection: { protocol: 'unix', socketPath: rest } }
      : {
          ok: false,
          message: 'unix:// needs an absolute socket path, e.g. unix:///var/run/docker.sock',
        };
  }
  const at = rest.lastIndexOf('@');
  const user = at >= 0 ? rest.slice(0, at) : undefined;
  const hostPort = at >= 0 ? rest.slice(at + 1) : rest;
  const hp = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/.exec(hostPort);
  if (!hp) return { ok: false, message: `"${hostPort}" is not a host[:port]` };
  const host = (hp[1] as string).replace(/^\[|\]$/g, '');
  const port = hp[2] ? Number(hp[2]) : scheme === 'tcp' ? 2376 : 22;
  if (port < 1 || port > 65535) return { ok: false, message: `port ${port} is out of range` };
  if (scheme === 'ssh') {
    if (!user) return { ok: false, message: 'ssh:// needs a user: ssh://engineer@host' };
    return { ok: true, connection: { protocol: 'ssh', host, port, username: user } };
  }
  return { ok: true, connection: { protocol: 'tcp', host, port } };
}

/** How a connection is shown: never with key material. */
export function describeConnection(c: DeviceConnection): string {
  switch (c.protocol) {
    case 'margo': {
      const reported = c.reportedId !== undefined ? ` (reports itself as ${c.reportedId})` : '';
      return `margo client ${c.clientId}, device ${c.deviceId}${reported}`;
    }
    case 'tcp':
      return `tcp://${c.host}:${c.port}${c.tls ? ' (TLS)' : ' (plain, unencrypted)'}`;
    case 'ssh':
      return `ssh://${c.username}@${c.host}:${c.port}`;
    case 'unix':
      return `unix://${c.socketPath}`;
  }
}

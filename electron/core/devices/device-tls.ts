import { X509Certificate, createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import https from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import { ProbeFailure } from './probe-failure';

export interface DeviceTls {
  pem: { ca: string; cert: string; key: string };
  secureContext: SecureContext;
  /**
   * One keep-alive agent per device: probes and later calls reuse its connection (or resume
   * its TLS session) instead of a full handshake each time. Idle sockets close after 15 s and
   * never keep the process alive.
   */
  agent: https.Agent;
}

const IDLE_SOCKET_MS = 15_000;
const cache = new Map<string, { stamp: string; content: string; tls: DeviceTls }>();
/**
 * Secure contexts by the content of the files they were made from: the devices of a line
 * usually share one CA and one client identity, each device with its own copies, and parsing
 * them (about 2.5 ms a device) costs more than a warm probe. A context holds no session state
 * (Node keeps TLS sessions per agent, so per device): sharing it shares nothing else.
 */
const contexts = new Map<string, SecureContext>();

const KEPT = {
  ca: 'CA certificate',
  cert: 'client certificate',
  key: 'client key',
} as const;

/**
 * The TLS material of a device, read once and kept as a ready secure context (parsing keys
 * and certificates costs more than a small API call); re-read when a file changes. Files
 * that went missing or were damaged since the device was added throw a `key-files`
 * ProbeFailure naming the file: that device cannot be probed, the others can.
 */
export function deviceTls(files: { ca: string; cert: string; key: string }): DeviceTls {
  const key = `${files.ca}\n${files.cert}\n${files.key}`;
  const stamp = (['ca', 'cert', 'key'] as const)
    .map((which) => {
      try {
        return statSync(files[which]).mtimeMs;
      } catch {
        throw unusable(which, files[which], 'is missing');
      }
    })
    .join(',');
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.tls;
  const read = (which: keyof typeof KEPT): string => {
    try {
      return readFileSync(files[which], 'utf8');
    } catch {
      throw unusable(which, files[which], 'cannot be read');
    }
  };
  const pem = { ca: read('ca'), cert: read('cert'), key: read('key') };
  const content = createHash('sha256')
    .update(pem.ca)
    .update('\0')
    .update(pem.cert)
    .update('\0')
    .update(pem.key)
    .digest('hex');
  let secureContext = contexts.get(content);
  if (!secureContext) {
    try {
      secureContext = createSecureContext(pem);
    } catch {
      throw whatIsWrong(files, pem);
    }
    contexts.set(content, secureContext);
  }
  if (hit) {
    hit.tls.agent.destroy();
    cache.delete(key);
    const orphan =
      hit.content !== content && ![...cache.values()].some((c) => c.content === hit.content);
    if (orphan) contexts.delete(hit.content);
  }
  const tls = {
    pem,
    secureContext,
    agent: new https.Agent({
      keepAlive: true,
      maxSockets: 4,
      timeout: IDLE_SOCKET_MS,
      secureContext,
    }),
  };
  cache.set(key, { stamp, content, tls });
  return tls;
}

function unusable(which: keyof typeof KEPT, path: string, what: string): ProbeFailure {
  return new ProbeFailure(
    'key-files',
    `the ${KEPT[which]} kept for this device (${path}) ${what}: remove the device and add it again with its TLS files`,
  );
}

/** Which kept file spoils the TLS context (OpenSSL's own reason names none). */
function whatIsWrong(
  files: Record<keyof typeof KEPT, string>,
  pem: Record<keyof typeof KEPT, string>,
): ProbeFailure {
  let key: KeyObject;
  let cert: X509Certificate;
  try {
    key = createPrivateKey(pem.key);
  } catch {
    return unusable('key', files.key, 'is damaged');
  }
  try {
    cert = new X509Certificate(pem.cert);
  } catch {
    return unusable('cert', files.cert, 'is damaged');
  }
  try {
    new X509Certificate(pem.ca);
  } catch {
    return unusable('ca', files.ca, 'is damaged');
  }
  if (!cert.checkPrivateKey(key)) {
    return unusable('key', files.key, 'does not belong to the client certificate kept with it');
  }
  return new ProbeFailure(
    'key-files',
    "this computer's copy of the device's TLS files cannot be used together: remove the device and add it again with its TLS files",
  );
}

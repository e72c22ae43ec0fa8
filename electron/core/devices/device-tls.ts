import { readFileSync, statSync } from 'node:fs';
import https from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';

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
const cache = new Map<string, { stamp: string; tls: DeviceTls }>();

/**
 * The TLS material of a device, read once and kept as a ready secure context (parsing keys
 * and certificates costs more than a small API call); re-read when a file changes.
 */
export function deviceTls(files: { ca: string; cert: string; key: string }): DeviceTls {
  const key = `${files.ca}\n${files.cert}\n${files.key}`;
  const stamp = [files.ca, files.cert, files.key].map((f) => statSync(f).mtimeMs).join(',');
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.tls;
  const pem = {
    ca: readFileSync(files.ca, 'utf8'),
    cert: readFileSync(files.cert, 'utf8'),
    key: readFileSync(files.key, 'utf8'),
  };
  const secureContext = createSecureContext(pem);
  hit?.tls.agent.destroy();
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
  cache.set(key, { stamp, tls });
  return tls;
}

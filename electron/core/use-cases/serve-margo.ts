import { audited } from '../audit/audited';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { plantIdentity, type PlantIdentity } from '../identity/plant-identity';
import { startWfmServer, type WfmServer } from '../margo-server/wfm-server';
import type { Store } from '../store/store';

export interface ServeMargoInput {
  /** The address to listen on (every address, 0.0.0.0, by default). */
  host?: string;
  port: number;
  trustPort: number;
  /** Also accept TLS 1.2 (TLS 1.3 only by default). */
  tls12?: boolean;
}

/**
 * Serves Margo devices from this store: the Workload Management API with mutual TLS (and the
 * store as a read-only registry behind it) and the Trust Bundle API on its own port. The
 * plant's trust domain is created on first use.
 */
export function serveMargo(
  store: Store,
  input: ServeMargoInput,
): Promise<{ server: WfmServer; identity: PlantIdentity }> {
  return audited(
    store,
    {
      operation: 'margo.start',
      target: 'Margo serving',
      inputs: {
        host: input.host ?? '0.0.0.0',
        port: input.port,
        trustPort: input.trustPort,
        tls12: input.tls12 === true,
      },
    },
    () => serveNow(store, input),
    ({ server }) => ({ inputs: { url: server.url } }),
  );
}

async function serveNow(
  store: Store,
  input: ServeMargoInput,
): Promise<{ server: WfmServer; identity: PlantIdentity }> {
  for (const [what, value] of [
    ['the API port', input.port],
    ['the trust bundle port', input.trustPort],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      throw new CommissionerError('invalid-input', `${what} must be a port number (0–65535)`, {
        field: what === 'the API port' ? 'port' : 'trustPort',
      });
    }
  }
  const identity = plantIdentity(store.paths);
  const host = input.host ?? '0.0.0.0';
  try {
    const server = await startWfmServer({
      store,
      identity,
      host,
      port: input.port,
      trustPort: input.trustPort,
      ...(input.tls12 ? { allowTls12: true } : {}),
    });
    return { server, identity };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // The request was fine; this laptop cannot serve it now: refused, with what to change.
    const reason =
      code === 'EADDRINUSE'
        ? `a port is in use (${input.port} or ${input.trustPort}): choose other ports`
        : code === 'EACCES'
          ? `not allowed to listen on port ${input.port} (ports below 1024 need privileges): choose another port`
          : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? `${host} is not an address of this laptop: choose one of its addresses`
            : undefined;
    if (reason)
      throw new CommissionerError('refused', `cannot serve Margo devices: ${reason}`, {
        reasons: [reason],
      });
    throw e;
  }
}

/** Stops serving Margo devices (Settings, or `margo serve` interrupted): audited. */
export function stopServingMargo(store: Store, server: WfmServer): Promise<void> {
  return audited(
    store,
    { operation: 'margo.stop', target: 'Margo serving', inputs: { url: server.url } },
    () => server.close(),
  );
}

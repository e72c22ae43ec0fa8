import { X509Certificate } from 'node:crypto';
import { CommissionerError } from '../../../shared/contract/contract-error';
import type { MargoServingNow, MargoServingView } from '../../../shared/contract/margo';
import { existingPlantIdentity, type PlantIdentity } from '../identity/plant-identity';
import { DEFAULT_TRUST_PORT, DEFAULT_WFM_PORT } from '../margo-server/wfm-ports';
import type { WfmServer } from '../margo-server/wfm-server';
import type { Store } from '../store/store';
import { bundleUrl, expiringCertificates } from './margo-clients';
import { serveMargo, stopServingMargo, type ServeMargoInput } from './serve-margo';

interface Running {
  server: WfmServer;
  identity: PlantIdentity;
  host: string;
  tls12: boolean;
  since: string;
}

/**
 * Serving Margo devices from a running app (Settings, or `--margo` at start-up): at most one
 * server at a time, started and stopped while the app runs. Starts and stops are taken one
 * after the other, so two clicks cannot open two servers or close one being opened.
 */
export class MargoServing {
  private running: Running | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: Store) {}

  /** Where it serves now; undefined when it does not. */
  get current(): Readonly<Running> | undefined {
    return this.running;
  }

  /** Starts serving; refused while it serves already (stop first to change the address). */
  start(input: ServeMargoInput): Promise<void> {
    return this.serialized(async () => {
      if (this.running) {
        const reason = `Margo devices are served already, at ${this.running.server.url}: stop serving first to change the address or the ports`;
        throw new CommissionerError('refused', reason, { reasons: [reason] });
      }
      const host = input.host ?? '0.0.0.0';
      const { server, identity } = await serveMargo(this.store, { ...input, host });
      this.running = {
        server,
        identity,
        host,
        tls12: input.tls12 === true,
        since: new Date().toISOString(),
      };
    });
  }

  /**
   * Closes both ports and every open connection. Devices keep what they run; their next
   * requests find nothing listening until serving starts again. Stopping when not serving is
   * not an error: the outcome asked for holds.
   */
  stop(): Promise<void> {
    return this.serialized(async () => {
      const running = this.running;
      this.running = undefined;
      if (!running) return;
      await stopServingMargo(this.store, running.server);
    });
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function servingNow(running: Readonly<Running> | undefined): MargoServingNow | null {
  if (!running) return null;
  const { server } = running;
  return {
    url: server.url,
    trustBundleUrl: `${server.trustUrl}/.well-known/margo`,
    host: running.host,
    port: server.port,
    trustPort: server.trustPort,
    tls12: running.tls12,
    since: running.since,
  };
}

/**
 * What Settings shows about serving Margo devices: where it serves, the trust domain with its
 * CA fingerprint (to compare with what a device shows), what the start form offers, and the
 * URL new bundles carry. Reading it never creates the trust domain.
 */
const EXPIRING_WHAT = {
  ca: () => 'the plant CA',
  'next-ca': () => 'the plant’s new CA',
  wfm: () => 'this laptop’s WFM',
  client: (id: string) => `client ${id}`,
} as const;

export function margoServingView(store: Store, serving: MargoServing): MargoServingView {
  const identity = existingPlantIdentity(store.paths);
  const last = identity?.serve;
  return {
    serving: servingNow(serving.current),
    trustDomain: identity
      ? {
          name: identity.trustDomain,
          wfmSpiffeId: identity.wfmSpiffeId,
          caFingerprint: new X509Certificate(identity.ca.certPem).fingerprint256,
          createdAt: identity.createdAt,
        }
      : null,
    defaults: {
      host: last?.host ?? '0.0.0.0',
      port: last?.port ?? DEFAULT_WFM_PORT,
      trustPort: DEFAULT_TRUST_PORT,
    },
    bundleUrl: bundleUrl(identity),
    // The CLI's 30-day rule; the panel says what to do.
    expiring: expiringCertificates(store).map((c) => ({
      what: EXPIRING_WHAT[c.certificate](c.clientId ?? ''),
      notAfter: c.notAfter,
      kind: c.certificate,
      expired: c.expired,
    })),
  };
}

import { audited } from '../audit/audited';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { DEFAULT_WFM_PORT } from '../margo-server/wfm-ports';
import { advertisedHost } from '../margo-server/wfm-server';
import {
  addClient,
  listClients,
  renewClient,
  revokeClient,
  type MargoClient,
} from '../identity/margo-clients';
import { plantIdentity, type PlantIdentity } from '../identity/plant-identity';
import { writeProvisioningBundle } from '../identity/provisioning-bundle';
import { forgetClientCertificate } from '../store/margo-client-certificates';
import type { Store } from '../store/store';

export { expiringCertificates, type ExpiringCertificate } from '../identity/expiring-certificates';

export interface ProvisionedClient {
  client: MargoClient;
  url: string;
  dir: string;
  files: string[];
}

/** The WFM URL for a bundle: the one given, or where the server was last served. */
function wfmUrl(identity: PlantIdentity, url: string | undefined): string {
  const chosen = url ?? bundleUrl(identity);
  if (!/^https:\/\/[^/]+/.test(chosen)) {
    throw new CommissionerError(
      'invalid-input',
      `the WFM URL must be an https:// URL (is ${chosen})`,
      {
        field: 'url',
      },
    );
  }
  return chosen;
}

/**
 * The WFM URL a bundle carries unless another is given: where the server was last served, else
 * the laptop's first LAN address on the default port (also before the trust domain exists).
 */
export function bundleUrl(identity: PlantIdentity | undefined): string {
  return identity?.serve?.url ?? `https://${advertisedHost('0.0.0.0')}:${DEFAULT_WFM_PORT}`;
}

/**
 * Accepts a Margo client and writes its provisioning bundle (ca.pem, cert.pem, key.pem,
 * wfm.json) into an empty or new folder. The WFM URL is the one given, or the address the
 * server was last served at. Nothing half-done: a client whose bundle could not be written
 * is not left accepted.
 */
export function addMargoClient(
  store: Store,
  input: { clientId: string; dir: string; url?: string },
): ProvisionedClient {
  return audited(store, clientOperation('margo.addClient', input), () => {
    const identity = plantIdentity(store.paths);
    const url = wfmUrl(identity, input.url);
    const { client, svid } = addClient(store, identity, input.clientId);
    try {
      const files = writeProvisioningBundle(input.dir, identity, input.clientId, svid, url);
      return { client, url, dir: input.dir, files };
    } catch (e) {
      revokeClient(store, input.clientId);
      throw e;
    }
  });
}

/** A client's audit entry: the client, the WFM URL asked for (the bundle's folder is the face's). */
function clientOperation(
  operation: string,
  input: { clientId: string; url?: string },
): { operation: string; target: string; inputs: { url: string | null } } {
  return { operation, target: input.clientId, inputs: { url: input.url ?? null } };
}

/**
 * A new certificate for an accepted client (same SPIFFE ID), written as a provisioning bundle
 * like `addMargoClient` writes one. The certificates it held stay accepted until they expire
 * or the client is revoked, so the device works on until the new bundle is installed. Nothing
 * half-done: a certificate whose bundle could not be written is taken back.
 */
export function renewMargoClient(
  store: Store,
  input: { clientId: string; dir: string; url?: string },
): ProvisionedClient {
  return audited(store, clientOperation('margo.renewClient', input), () => {
    const identity = plantIdentity(store.paths);
    const url = wfmUrl(identity, input.url);
    const { client, svid, serial } = renewClient(store, identity, input.clientId);
    try {
      const files = writeProvisioningBundle(input.dir, identity, input.clientId, svid, url);
      return { client, url, dir: input.dir, files };
    } catch (e) {
      forgetClientCertificate(store, input.clientId, serial);
      throw e;
    }
  });
}

export function listMargoClients(store: Store): MargoClient[] {
  return listClients(store);
}

/** Revokes a client: its requests are refused at once, also by a running server. */
export function revokeMargoClient(store: Store, clientId: string): MargoClient {
  return audited(store, { operation: 'margo.revokeClient', target: clientId }, () =>
    revokeClient(store, clientId),
  );
}

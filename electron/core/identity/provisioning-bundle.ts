import { CommissionerError } from '../../../shared/contract/contract-error';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeDurably } from '../store/durable-write';
import type { KeyAndCertificate } from './certificates';
import { trustAnchors, type PlantIdentity } from './plant-identity';
import { clientSpiffeId } from './spiffe-id';

export const BUNDLE_FILES = ['ca.pem', 'cert.pem', 'key.pem', 'wfm.json'] as const;

/** The folder already holds a bundle's files: bundles are never overwritten. */
export class BundleExistsError extends CommissionerError<'already-exists'> {
  constructor(dir: string, message: string) {
    super('already-exists', message, { thing: 'file', name: dir });
  }
}

/**
 * What the engineer installs on a device's Margo client: the trust domain's CA (to trust the
 * WFM; during a CA rotation both CAs, so the device trusts the WFM before and after it), the client's certificate and key (0600), and wfm.json (the WFM URL and the SPIFFE IDs
 * to expect). Never overwrites a bundle already there (it may be installed somewhere).
 */
export function writeProvisioningBundle(
  dir: string,
  identity: PlantIdentity,
  clientId: string,
  svid: KeyAndCertificate,
  url: string,
): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const present = BUNDLE_FILES.filter((f) => existsSync(join(dir, f)));
  if (present.length > 0) {
    throw new BundleExistsError(
      dir,
      `${dir} already holds ${present.join(', ')}: choose an empty folder (a bundle is never overwritten)`,
    );
  }
  const wfm = {
    url,
    clientId,
    trustDomain: identity.trustDomain,
    wfmSpiffeId: identity.wfmSpiffeId,
    clientSpiffeId: clientSpiffeId(identity.trustDomain, identity.wfmId, clientId),
  };
  writeDurably(join(dir, 'ca.pem'), Buffer.from(trustAnchors(identity).join('')));
  writeDurably(join(dir, 'cert.pem'), Buffer.from(svid.certPem));
  writeDurably(join(dir, 'key.pem'), Buffer.from(svid.keyPem));
  chmodSync(join(dir, 'key.pem'), 0o600);
  writeDurably(join(dir, 'wfm.json'), Buffer.from(`${JSON.stringify(wfm, null, 2)}\n`));
  return readdirSync(dir).filter((f) => (BUNDLE_FILES as readonly string[]).includes(f));
}

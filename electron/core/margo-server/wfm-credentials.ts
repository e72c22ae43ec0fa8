import { createPublicKey, X509Certificate } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { mintSvid } from '../identity/certificates';
import { IDENTITY_FILE, readIdentityFile } from '../identity/identity-file';
import {
  readIdentity,
  recordServeAddress,
  trustAnchors,
  type PlantIdentity,
} from '../identity/plant-identity';
import { logRawError } from '../errors/error-log';
import { sha256Digest } from '../store/content-digest';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The WFM's certificate is minted anew this long before it expires (a server running that long). */
const RENEW_BEFORE_MS = 30 * DAY_MS;

/** What the WFM's two TLS ports present and trust, from the plant identity as it is now. */
export interface WfmCredentials {
  /** The WFM SVID, from the current CA (devices provisioned before a rotation trust only that one). */
  key: string;
  cert: string;
  /** Every CA a client certificate may chain to: both during a rotation. */
  ca: string[];
  notAfter: string;
  /** When to mint the WFM SVID again (never, when the CA's own expiry already caps it). */
  renewAt: number;
  /** The SPIFFE bundle served by the Trust Bundle API, and its ETag. */
  bundle: Buffer;
  bundleEtag: string;
}

/** The SPIFFE bundle (JWK Set) of the trust domain: each CA certificate as an X.509 anchor. */
export function spiffeBundle(anchors: readonly string[], sequence: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      keys: anchors.map((pem) => ({
        ...createPublicKey(pem).export({ format: 'jwk' }),
        use: 'x509-svid',
        x5c: [new X509Certificate(pem).raw.toString('base64')],
      })),
      spiffe_refresh_hint: 3600,
      spiffe_sequence: sequence,
    }),
  );
}

export function wfmCredentials(identity: PlantIdentity, hosts: readonly string[]): WfmCredentials {
  const svid = mintSvid(identity.ca, {
    spiffeId: identity.wfmSpiffeId,
    commonName: `Margo WFM ${identity.wfmId}`,
    hosts,
    server: true,
    days: 397,
  });
  const notAfter = Date.parse(new X509Certificate(svid.certPem).validTo);
  const caNotAfter = Date.parse(new X509Certificate(identity.ca.certPem).validTo);
  const anchors = trustAnchors(identity);
  const bundle = spiffeBundle(anchors, identity.trustBundleSequence ?? 1);
  return {
    key: svid.keyPem,
    cert: svid.certPem,
    ca: anchors,
    notAfter: new Date(notAfter).toISOString(),
    renewAt: notAfter >= caNotAfter ? Number.POSITIVE_INFINITY : notAfter - RENEW_BEFORE_MS,
    bundle,
    bundleEtag: `"${sha256Digest(bundle)}"`,
  };
}

/**
 * A check to run as each connection arrives (before its handshake): when identity.json has
 * changed since (a CA rotation started or finished, in this process or another), or the WFM
 * SVID is due for renewal, new credentials are made and handed to `apply`, which the
 * connection and every later one get. Costs one stat per connection otherwise. A rotation's
 * finish under way, or files that cannot be read, keep the credentials in use (and are tried
 * again at the next connection).
 */
export function credentialsRefresher(
  identity: PlantIdentity,
  hosts: readonly string[],
  initial: WfmCredentials,
  apply: (credentials: WfmCredentials) => void,
): () => void {
  const file = join(identity.dir, IDENTITY_FILE);
  const stateOf = () => {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  };
  let current = initial;
  let seen: string | undefined = stateOf();
  let anchors = current.ca.join('');
  let issuer = identity.ca.certPem;
  let lastFailure: string | undefined;
  return () => {
    try {
      const state = stateOf();
      const renewDue = Date.now() >= current.renewAt;
      if (state === seen && !renewDue) return;
      if (readIdentityFile(identity.dir).rotation?.finishing) return;
      seen = state;
      const now = readIdentity(identity.dir);
      const nowAnchors = trustAnchors(now).join('');
      if (nowAnchors === anchors && now.ca.certPem === issuer && !renewDue) return;
      current = wfmCredentials(now, hosts);
      anchors = nowAnchors;
      issuer = now.ca.certPem;
      apply(current);
      lastFailure = undefined;
      const serve = readIdentityFile(identity.dir).serve;
      if (serve) recordServeAddress(now, { ...serve, notAfter: current.notAfter });
    } catch (e) {
      seen = undefined;
      // Once per kind of failure, not once per connection.
      const what = e instanceof Error ? e.message : String(e);
      if (what !== lastFailure) logRawError('Margo WFM credentials', e);
      lastFailure = what;
    }
  };
}

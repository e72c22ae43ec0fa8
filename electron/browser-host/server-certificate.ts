import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { mintServerCertificate } from '../core/identity/certificates';
import { plantIdentity } from '../core/identity/plant-identity';
import { reachableNames } from '../core/margo-server/wfm-server';
import { dataPaths } from '../core/store/data-home';

export interface ServerTls {
  key: string;
  cert: string;
  /** SHA-256 of the certificate, `AB:CD:…`, as browsers show it. */
  fingerprint: string;
  /** The plant CA that signed it: a browser that trusts this file trusts the host. */
  caPath: string;
}

/**
 * The browser host's HTTPS certificate off loopback: minted at each start for the names the
 * bound address is reached by, signed by the plant's CA (the one Margo devices trust), so a
 * browser that trusts the plant CA opens the page without a warning, and one that does not
 * can compare the fingerprint printed beside the URL with the one it shows.
 */
export function browserHostCertificate(home: string, host: string): ServerTls {
  const identity = plantIdentity(dataPaths(home));
  const minted = mintServerCertificate(identity.ca, {
    commonName: `Commissioner ${identity.wfmId}`,
    hosts: reachableNames(host),
    days: 397,
  });
  return {
    key: minted.keyPem,
    cert: minted.certPem,
    fingerprint: new X509Certificate(minted.certPem).fingerprint256,
    caPath: join(identity.dir, 'ca.pem'),
  };
}

import { X509Certificate } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CommissionerError, notFound } from '../../../shared/contract/contract-error';
import type { NotaryTrust, TrustAnchor } from './notary-trust';
import { SignatureProblem } from './signature-problem';
import { certificatesFromPemOrDer } from './x509/certificate-facts';

const STORE_TYPES = ['ca', 'signingAuthority', 'tsa'] as const;
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 1000;

/**
 * Loads a folder laid out as a Notary trust store: `ca/`, `signingAuthority/` and `tsa/`, each
 * holding PEM or DER certificate files, directly or in named sub-stores (`ca/acme/root.pem`,
 * as notation's `x509/ca/<store>/`). A notation configuration folder with `x509/` inside works
 * too. Anchors are named by their path in the folder (`ca/root.pem`). A `tsa/` folder means
 * timestamps are required, so it must hold certificates.
 */
export async function loadTrustStoreFolder(dir: string): Promise<NotaryTrust> {
  if (!(await isDirectory(dir)))
    throw notFound('file', dir, `the trust store folder ${dir} does not exist`);
  const root = (await isDirectory(join(dir, 'x509'))) ? join(dir, 'x509') : dir;
  const trust: NotaryTrust = { ca: [], signingAuthority: [], tsa: [] };
  let present = 0;
  for (const type of STORE_TYPES) {
    const folder = join(root, type);
    if (!(await isDirectory(folder))) continue;
    present++;
    trust[type] = await anchorsIn(folder, type);
    if (type === 'tsa' && trust.tsa.length === 0)
      throw invalid(
        `the trust store's tsa folder holds no certificates: add the timestamp authorities' root certificates, or remove the folder when timestamps are not required`,
      );
  }
  if (present === 0)
    throw invalid(
      `${dir} is not a Notary trust store: it has none of the folders ca, signingAuthority or tsa`,
    );
  return trust;
}

async function anchorsIn(folder: string, name: string, depth = 0): Promise<TrustAnchor[]> {
  const anchors: TrustAnchor[] = [];
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  if (entries.length > MAX_FILES) throw invalid(`${name} holds more than ${MAX_FILES} entries`);
  for (const entry of entries) {
    const path = join(folder, entry.name);
    const shownAs = `${name}/${entry.name}`;
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory() && depth === 0) {
      anchors.push(...(await anchorsIn(path, shownAs, depth + 1)));
      continue;
    }
    // A link could make the trust store trust whatever it points at, wherever that is.
    if (!entry.isFile())
      throw invalid(`${shownAs} in the trust store is not a regular certificate file`);
    const info = await lstat(path);
    if (info.size > MAX_FILE_BYTES)
      throw invalid(`${shownAs} in the trust store is larger than ${MAX_FILE_BYTES} bytes`);
    let ders: Buffer[];
    try {
      ders = certificatesFromPemOrDer(await readFile(path));
      for (const der of ders) new X509Certificate(der);
    } catch (e) {
      throw invalid(
        `${shownAs} in the trust store is not a certificate${e instanceof SignatureProblem ? `: ${e.message}` : ' (PEM or DER X.509)'}`,
      );
    }
    for (const der of ders) anchors.push({ name: shownAs, der });
  }
  return anchors;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined))?.isDirectory() ?? false;
}

function invalid(message: string): CommissionerError<'invalid-input'> {
  return new CommissionerError('invalid-input', message, { field: 'trust-store' });
}

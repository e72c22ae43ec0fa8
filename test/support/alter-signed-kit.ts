import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageIndex, ImageManifest, type Descriptor } from '../../shared/oci/descriptors';

const NOTARY_SIGNATURE = 'application/vnd.cncf.notary.signature';
const DESCRIPTION = 'application/vnd.margo.app.description.v1+yaml';

/**
 * Alters a signed kit (a layout folder) the way a man in the middle would and leaves only the
 * signature to notice: one byte of the package's description changes, and every digest that
 * names it is fixed — the description layer, the package manifest, the signature manifest's
 * subject and index.json. The envelope, which signs the original manifest, is left as it was.
 */
export function alterSignedPackage(layoutDir: string, edit: (text: string) => string): void {
  const blobPath = (digest: string) => join(layoutDir, 'blobs', 'sha256', digest.slice(7));
  const write = (bytes: Buffer): Descriptor & { bytes: Buffer } => {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    writeFileSync(blobPath(digest), bytes);
    return { mediaType: '', digest, size: bytes.length, bytes };
  };
  const indexPath = join(layoutDir, 'index.json');
  const index = ImageIndex.parse(JSON.parse(readFileSync(indexPath, 'utf8')));
  const pkgEntry = index.manifests.find(
    (m) => m.artifactType === 'application/vnd.margo.app.v1+json',
  );
  if (!pkgEntry) throw new Error('the kit holds no package');
  const pkg = ImageManifest.parse(JSON.parse(readFileSync(blobPath(pkgEntry.digest), 'utf8')));
  const layer = pkg.layers.find((l) => l.mediaType === DESCRIPTION) as Descriptor;
  const text = readFileSync(blobPath(layer.digest), 'utf8');
  const changed = edit(text);
  if (changed === text) throw new Error('the edit changed nothing');
  const newLayer = write(Buffer.from(changed));
  Object.assign(layer, { digest: newLayer.digest, size: newLayer.size });
  const newPkg = write(Buffer.from(JSON.stringify(pkg)));
  const oldDigest = pkgEntry.digest;
  Object.assign(pkgEntry, { digest: newPkg.digest, size: newPkg.size });
  for (const entry of index.manifests) {
    if (entry.artifactType !== NOTARY_SIGNATURE) continue;
    const signature = ImageManifest.parse(JSON.parse(readFileSync(blobPath(entry.digest), 'utf8')));
    if (signature.subject?.digest !== oldDigest) continue;
    signature.subject = { ...signature.subject, digest: newPkg.digest, size: newPkg.size };
    const newSignature = write(Buffer.from(JSON.stringify(signature)));
    Object.assign(entry, { digest: newSignature.digest, size: newSignature.size });
  }
  writeFileSync(`${indexPath}.new`, JSON.stringify(index));
  renameSync(`${indexPath}.new`, indexPath);
}

import { lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommissionerError, notFound } from '../../../../shared/contract/contract-error';
import type { ArtifactVerification } from '../../../../shared/contract/trust';
import type { Descriptor } from '../../../../shared/oci/descriptors';
import { folderBlobReader, stagedBlobReader, type BlobReader } from '../../kit/blob-reader';
import { KitRefusedError } from '../../kit/kit-errors';
import { DEFAULT_KIT_LIMITS, type KitLimits } from '../../kit/kit-limits';
import { resolveLayout, type LayoutManifest } from '../../kit/resolve-layout';
import { stageKitArchive } from '../../kit/stage-kit-archive';
import { readLayoutFolderIndex } from '../../kit/stage-layout-folder';
import { StagingArea } from '../../store/staging';
import type { NotaryTrust } from '../notary-trust';
import {
  notarySignaturesIn,
  verifyLayoutArtifact,
  type NotarySignatureRef,
} from './layout-signatures';

/** An artifact of a layout with the Notary signatures that name it as their subject. */
export interface SignedArtifact {
  subject: Descriptor;
  refs: NotarySignatureRef[];
}

/** A layout folder or kit archive opened for reading its signatures; `close` when done. */
export interface OpenedLayout {
  manifests: Map<string, LayoutManifest>;
  reader: BlobReader;
  /** Every artifact of the layout that has signatures, in the order the layout lists them. */
  signed: SignedArtifact[];
  /** The descriptor of a manifest of the layout, or undefined when the layout has none by that digest. */
  descriptorOf(digest: string): Descriptor | undefined;
  close(): void;
}

/**
 * Opens an OCI layout folder (read in place, nothing written) or a kit archive (unpacked into
 * a private temporary folder, removed by `close`) with the kit readers' own checks: unsafe
 * members, bombs, manifests that do not match their digests. Throws `not-found` for a missing
 * path and `refused` for a damaged layout.
 */
export async function openSignedLayout(
  path: string,
  options: { limits?: KitLimits; tmpRoot?: string } = {},
): Promise<OpenedLayout> {
  const limits = options.limits ?? DEFAULT_KIT_LIMITS;
  const info = await lstat(path).catch(() => undefined);
  if (!info) throw notFound('file', path, `${path} does not exist`);
  let staging: StagingArea | undefined;
  try {
    let reader: BlobReader;
    let index;
    if (info.isDirectory()) {
      index = await readLayoutFolderIndex(path, limits);
      reader = folderBlobReader(path);
    } else {
      staging = StagingArea.create(options.tmpRoot ?? join(tmpdir(), 'commissioner-verify'));
      const layout = await stageKitArchive(path, staging, limits);
      index = layout.index;
      reader = stagedBlobReader(layout);
    }
    const resolved = await resolveLayout(index, reader, limits.maxJsonBytes);
    const descriptorOf = (digest: string): Descriptor | undefined => {
      const m = resolved.manifests.get(digest);
      return m && { mediaType: m.mediaType, digest: m.digest, size: m.size };
    };
    const bySubject = notarySignaturesIn(resolved.manifests);
    const signed: SignedArtifact[] = [];
    for (const [digest, refs] of bySubject) {
      // A signature of an artifact the layout does not hold has nothing here to vouch for.
      const subject = descriptorOf(digest);
      if (subject) signed.push({ subject, refs });
    }
    const area = staging;
    return {
      manifests: resolved.manifests,
      reader,
      signed,
      descriptorOf,
      close: () => area?.dispose(),
    };
  } catch (e) {
    staging?.dispose();
    if (e instanceof KitRefusedError)
      throw new CommissionerError('refused', `${path} cannot be verified: ${e.message}`, {
        reasons: [e.message],
      });
    throw e;
  }
}

/**
 * `trust verify`: the verification of every artifact of a layout or kit that has signatures,
 * or of the one manifest named (which may be unsigned). Throws `not-found` when the layout has
 * no manifest by that digest.
 */
export async function verifyLayoutSignatures(
  path: string,
  trust: NotaryTrust,
  options: { manifestDigest?: string; now?: Date; tmpRoot?: string } = {},
): Promise<ArtifactVerification[]> {
  const layout = await openSignedLayout(path, options.tmpRoot ? { tmpRoot: options.tmpRoot } : {});
  try {
    let artifacts = layout.signed;
    if (options.manifestDigest) {
      const subject = layout.descriptorOf(options.manifestDigest);
      if (!subject)
        throw new CommissionerError(
          'invalid-input',
          `${path} holds no manifest ${options.manifestDigest}`,
          { field: 'manifest-digest' },
        );
      artifacts = [
        {
          subject,
          refs: layout.signed.find((a) => a.subject.digest === subject.digest)?.refs ?? [],
        },
      ];
    }
    const results: ArtifactVerification[] = [];
    for (const { subject, refs } of artifacts)
      results.push(await verifyLayoutArtifact(subject, refs, layout.reader, trust, options.now));
    return results;
  } finally {
    layout.close();
  }
}

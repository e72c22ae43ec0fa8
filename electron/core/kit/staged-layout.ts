import type { ImageIndex } from '../../../shared/oci/descriptors';

export interface StagedBlob {
  path: string;
  size: number;
  /** Already fsynced when written (small blobs), so the commit need not open it again. */
  synced?: boolean;
  /** Not staged at all: the store already holds this blob (`path` is the store's file, read-only). */
  inStore?: boolean;
}

/**
 * An OCI layout whose blobs have been copied into a staging area (from a kit archive, a
 * layout folder or a registry) but not yet verified or committed.
 */
export interface StagedLayout {
  index: ImageIndex;
  blobs: Map<string, StagedBlob>;
}

import type { ImageIndex } from '../../../shared/oci/descriptors';

export interface StagedBlob {
  path: string;
  size: number;
  /**
   * What the staged file's bytes hashed to while they were written (one pass over the data):
   * the hashing stage compares this with the descriptor instead of reading the file again.
   */
  arrived?: { digest: string; size: number };
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

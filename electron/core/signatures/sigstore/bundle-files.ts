import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { CommissionerError } from '../../../../shared/contract/contract-error';
import type { ArtifactVerification } from '../../../../shared/contract/trust';
import { sha256Digest } from '../../store/content-digest';
import { readBounded } from '../../validation/read-bounded';
import type { ProvisionedKey } from './provisioned-keys';
import { verifySigstoreBundle } from './verify-bundle';

/** Bundles are a few KiB; a DSSE payload may make one larger, never this large. */
const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;
const MAX_TRUSTED_ROOT_BYTES = 4 * 1024 * 1024;
const MAX_KEY_BYTES = 1024 * 1024;
/** A message signature is checked over the artifact's bytes, held in memory. */
const MAX_ARTIFACT_BYTES = 1024 * 1024 * 1024;

export interface BundleFiles {
  bundle: string;
  /** The signed artifact, or false to verify without it. */
  artifact: string | false;
  /** A PEM public key; with `trustedRoot`, replaces the laptop's trust store. */
  key?: string;
  trustedRoot?: string;
  identity?: string;
  issuer?: string;
}

/** The Sigstore part of the laptop trust store (or nothing, when files are given instead). */
export interface SigstoreTrust {
  keys: ProvisionedKey[];
  trustedRoots: { name: string; json: unknown }[];
}

/**
 * `trust verify-bundle`: one bundle file against its artifact file (or without it), with the
 * key and trusted root files given, else with `trust` (the laptop trust store). A file that
 * is missing, not a file or far too large is the engineer's mistake (`invalid-input`, field
 * bundle|artifact|key|trustedRoot); a key or trusted root that is there but broken is a
 * verdict (`invalid`, with the reason), so scripts always get one for real material.
 */
export async function verifySigstoreBundleFiles(
  files: BundleFiles,
  trust: SigstoreTrust = { keys: [], trustedRoots: [] },
  onRawError?: (error: unknown) => void,
): Promise<ArtifactVerification> {
  const bundle = readFile(files.bundle, 'the bundle file', 'bundle', MAX_BUNDLE_BYTES);
  const artifact =
    files.artifact === false
      ? undefined
      : readFile(files.artifact, 'the artifact file', 'artifact', MAX_ARTIFACT_BYTES);
  const given = files.key !== undefined || files.trustedRoot !== undefined;
  const keys: ProvisionedKey[] = files.key
    ? [
        {
          name: basename(files.key),
          pem: readFile(files.key, 'the key file', 'key', MAX_KEY_BYTES).toString('latin1'),
        },
      ]
    : [];
  const trustedRoots = files.trustedRoot
    ? [
        {
          name: basename(files.trustedRoot),
          json: readFile(
            files.trustedRoot,
            'the trusted root file',
            'trustedRoot',
            MAX_TRUSTED_ROOT_BYTES,
          ),
        },
      ]
    : [];
  return verifySigstoreBundle(
    {
      bundle,
      ...(artifact ? { artifact } : {}),
      ...(given ? { keys, trustedRoots } : trust),
      ...(files.identity ? { identity: files.identity } : {}),
      ...(files.issuer ? { issuer: files.issuer } : {}),
      digest: sha256Digest(bundle),
    },
    undefined,
    onRawError,
  );
}

function readFile(path: string, what: string, field: string, limit: number): Buffer {
  const invalid = (message: string) => new CommissionerError('invalid-input', message, { field });
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw invalid(`${what} ${path} is not a file`);
    size = stat.size;
  } catch (e) {
    if (e instanceof CommissionerError) throw e;
    throw invalid(`${what} ${path} does not exist`);
  }
  if (size > limit)
    throw invalid(
      `${what} ${path} is larger than ${limit / (1024 * 1024)} MiB: is it the right file?`,
    );
  try {
    const read = readBounded(path, limit);
    const bytes = Buffer.from(read.buffer, read.byteOffset, read.length);
    if (bytes.length > limit)
      throw invalid(
        `${what} ${path} is larger than ${limit / (1024 * 1024)} MiB: is it the right file?`,
      );
    return bytes;
  } catch (e) {
    if (e instanceof CommissionerError) throw e;
    throw invalid(`${what} ${path} cannot be read: check that you may read it`);
  }
}

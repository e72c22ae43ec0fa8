import { existsSync } from 'node:fs';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { Digest } from '../../../shared/oci/descriptors';
import { verifyLayoutSignatures } from '../../core/signatures/notary/signed-layout';
import type { NotaryTrust } from '../../core/signatures/notary-trust';
import { loadTrustStoreFolder } from '../../core/signatures/trust-store-folder';
import type { Store } from '../../core/store/store';
import { laptopNotaryTrust } from '../../core/trust/laptop-trust';
import { resolveFromCaller } from '../caller-directory';
import { reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { verificationExit, verificationLines } from './verification-report';

export interface TrustVerifyOptions {
  trustStore?: string;
  json?: boolean;
}

/**
 * `trust verify <layout-dir|kit.tar>[@<manifest-digest>]`: the Notary signatures of every
 * artifact in the layout that has some (or of the one manifest named). Exit 0 when all are
 * verified, 1 otherwise, 2 for a missing path, a malformed digest or trust store folder.
 */
export async function runTrustVerify(
  target: string,
  options: TrustVerifyOptions,
  output: Output,
  store?: Store,
): Promise<ExitCode> {
  try {
    const { path, manifestDigest } = splitTarget(target);
    const trust = await trustFor(options, store);
    const items = await verifyLayoutSignatures(resolveFromCaller(path), trust, {
      ...(manifestDigest ? { manifestDigest } : {}),
    });
    if (options.json) output.out(JSON.stringify(items));
    else if (items.length === 0) output.out(`no artifact in ${path} has Notary Project signatures`);
    else for (const item of items) for (const line of verificationLines(item)) output.out(line);
    return verificationExit(items);
  } catch (e) {
    return reportFailure(output, 'trust verify', e, (error) =>
      error.name === 'not-found' ? EXIT.usage : undefined,
    );
  }
}

/** The `--trust-store` folder when given, else the laptop's trust store. */
export async function trustFor(
  options: { trustStore?: string },
  store: Store | undefined,
): Promise<NotaryTrust> {
  if (options.trustStore) return loadTrustStoreFolder(resolveFromCaller(options.trustStore));
  if (!store) throw new Error('the laptop trust store is needed without --trust-store');
  return laptopNotaryTrust(store);
}

/**
 * `path@sha256:…` → path and digest. A path that exists as written is taken whole, so a folder
 * whose name holds an `@` still works.
 */
function splitTarget(target: string): { path: string; manifestDigest?: string } {
  const at = target.lastIndexOf('@');
  if (at <= 0 || existsSync(resolveFromCaller(target))) return { path: target };
  const digest = target.slice(at + 1);
  if (!Digest.safeParse(digest).success)
    throw new CommissionerError(
      'invalid-input',
      `"${digest}" after @ is not a manifest digest (sha256: followed by 64 lower-case hex digits)`,
      { field: 'manifest-digest' },
    );
  return { path: target.slice(0, at), manifestDigest: digest };
}

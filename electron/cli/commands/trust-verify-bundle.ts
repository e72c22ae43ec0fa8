import type { ArtifactVerification } from '../../../shared/contract/trust';
import { verifySigstoreBundleFiles } from '../../core/signatures/sigstore/bundle-files';
import type { Store } from '../../core/store/store';
import { laptopSigstoreTrust } from '../../core/trust/laptop-trust';
import { resolveFromCaller } from '../caller-directory';
import { flagHint, reportFailure, reportUsage } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';

export interface TrustVerifyBundleOptions {
  /** A path, or false for --no-artifact; undefined when neither was given. */
  artifact?: string | false;
  /** Set by the program when both --artifact and --no-artifact were given (commander keeps the last). */
  artifactFlagsConflict?: boolean;
  key?: string;
  trustedRoot?: string;
  identity?: string;
  issuer?: string;
  json?: boolean;
}

const COMMAND = 'trust verify-bundle';

/**
 * `trust verify-bundle <bundle> (--artifact <file> | --no-artifact)`: one Sigstore bundle,
 * offline. With --key / --trusted-root those files are the whole trust; without either, the
 * laptop trust store's Sigstore keys and trusted roots. Exit 0 verified, 1 invalid, 2 usage.
 */
export async function runTrustVerifyBundle(
  bundlePath: string,
  options: TrustVerifyBundleOptions,
  output: Output,
  store?: Store,
): Promise<ExitCode> {
  if (options.artifactFlagsConflict || options.artifact === undefined)
    return reportUsage(
      output,
      COMMAND,
      new Error(
        options.artifactFlagsConflict
          ? 'give either --artifact <file> or --no-artifact, not both'
          : 'say which artifact the bundle signs (--artifact <file>), or verify without it (--no-artifact)',
      ),
    );
  const trust =
    store && !options.key && !options.trustedRoot ? laptopSigstoreTrust(store) : undefined;
  let result: ArtifactVerification;
  try {
    result = await verifySigstoreBundleFiles(
      {
        bundle: resolveFromCaller(bundlePath),
        artifact: options.artifact === false ? false : resolveFromCaller(options.artifact),
        ...(options.key ? { key: resolveFromCaller(options.key) } : {}),
        ...(options.trustedRoot ? { trustedRoot: resolveFromCaller(options.trustedRoot) } : {}),
        ...(options.identity ? { identity: options.identity } : {}),
        ...(options.issuer ? { issuer: options.issuer } : {}),
      },
      trust,
      (raw) => {
        if (output.debug)
          output.err(raw instanceof Error ? (raw.stack ?? raw.message) : String(raw));
      },
    );
  } catch (e) {
    return reportFailure(
      output,
      COMMAND,
      e,
      flagHint(output, {
        artifact: 'give the signed file with --artifact <file>, or --no-artifact for a DSSE bundle',
        key: 'give the PEM public key with --key <file>',
        trustedRoot: 'give the trusted_root.json with --trusted-root <file>',
      }),
    );
  }
  if (options.json) output.out(JSON.stringify(result));
  else for (const line of describe(bundlePath, result)) output.out(line);
  if (trust && trust.keys.length === 0 && trust.trustedRoots.length === 0 && !options.json)
    output.err(
      'the trust store has no Sigstore keys or trusted roots: add one, or give a key or trusted root file',
    );
  return result.verdict === 'verified' ? EXIT.ok : EXIT.findings;
}

function describe(bundlePath: string, result: ArtifactVerification): string[] {
  const [check] = result.signatures;
  if (!check) return [`${bundlePath}: ${result.verdict}`];
  if (check.verdict !== 'verified') return [`${bundlePath}: invalid: ${check.reason}`];
  const when = check.timestampedAt
    ? `timestamped ${check.timestampedAt}`
    : 'no trusted timestamp (signing time unknown)';
  return [
    `${bundlePath}: verified`,
    `  artifact ${result.artifact}`,
    `  signer   ${check.signer ?? 'unknown'}${check.trustedBy ? ` (trusted by ${check.trustedBy})` : ''}`,
    `  ${when}`,
  ];
}

import { CommissionerError } from '../../../shared/contract/contract-error';
import { Descriptor } from '../../../shared/oci/descriptors';
import { verifyEnvelopeFile } from '../../core/signatures/notary/verify-envelope-file';
import type { Store } from '../../core/store/store';
import { resolveFromCaller } from '../caller-directory';
import { reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { trustFor } from './trust-verify';
import { verificationExit, verificationLines } from './verification-report';

export interface TrustVerifyEnvelopeOptions {
  target: string;
  trustStore?: string;
  json?: boolean;
}

/**
 * `trust verify-envelope <file> --target <mediaType>@<digest>:<size>`: one JWS or COSE envelope
 * against the artifact it must sign. Exit 0 verified, 1 invalid, 2 for usage errors.
 */
export async function runTrustVerifyEnvelope(
  file: string,
  options: TrustVerifyEnvelopeOptions,
  output: Output,
  store?: Store,
): Promise<ExitCode> {
  try {
    const target = parseTarget(options.target);
    const trust = await trustFor(options, store);
    const item = await verifyEnvelopeFile(resolveFromCaller(file), target, trust);
    if (options.json) output.out(JSON.stringify(item));
    else for (const line of verificationLines(item)) output.out(line);
    return verificationExit([item]);
  } catch (e) {
    return reportFailure(output, 'trust verify-envelope', e, (error) =>
      error.name === 'not-found' ? EXIT.usage : undefined,
    );
  }
}

/** `application/vnd.oci.image.manifest.v1+json@sha256:…:517` → a descriptor. */
function parseTarget(text: string): Descriptor {
  const m = /^([^@\s]+)@(sha256:[0-9a-f]{64}):(\d+)$/.exec(text);
  const parsed = m
    ? Descriptor.safeParse({ mediaType: m[1], digest: m[2], size: Number(m[3]) })
    : undefined;
  if (!parsed?.success)
    throw new CommissionerError(
      'invalid-input',
      `the target "${text}" is not <mediaType>@sha256:<64 hex digits>:<size in bytes>`,
      { field: 'target' },
    );
  return parsed.data;
}

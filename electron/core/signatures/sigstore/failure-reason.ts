import { PolicyError, VerificationError } from '@sigstore/verify';

/**
 * @sigstore/verify's refusals in plain words: one sentence saying which check failed,
 * without codes or class names (those stay in the raw error, shown with --debug). Matched on
 * the error's code first and refined by its message, so a reworded message in a later
 * version still gets the sentence of its code.
 */

type Refinement = [RegExp, string];

const BY_CODE: Record<string, { otherwise: string; refine?: Refinement[] }> = {
  TIMESTAMP_ERROR: {
    otherwise:
      "a timestamp in the bundle does not verify against the trusted root's timestamp authorities",
    refine: [
      [
        /^expected \d+ timestamps/m,
        'the bundle has no trusted timestamp, and the trusted root requires one',
      ],
      [/duplicate timestamp/, 'the bundle lists the same timestamp twice'],
    ],
  },
  CERTIFICATE_ERROR: {
    otherwise:
      'the signing certificate does not chain to a certificate authority of the trusted root that was valid when it signed',
    refine: [
      [
        /not valid or expired at the specified date/,
        'the signing certificate was not valid at the trusted time the bundle was signed',
      ],
      [
        /^expected \d+ SCTs/m,
        'the signing certificate has no certificate transparency timestamp, and the trusted root requires one',
      ],
      [
        /SCT verification failed/,
        "the signing certificate's certificate transparency timestamp does not verify against the trusted root's certificate logs",
      ],
      [
        /duplicate SCT/,
        'the signing certificate lists the same certificate transparency timestamp twice',
      ],
    ],
  },
  PUBLIC_KEY_ERROR: {
    otherwise: 'no provisioned key matches the key the bundle was signed with',
    refine: [
      [/not valid for timestamp/, 'the key was not valid at the time the bundle was signed'],
    ],
  },
  TLOG_ERROR: {
    otherwise: 'the transparency-log entries of the bundle cannot be verified',
    refine: [
      [
        /^expected \d+ tlog entries/m,
        'the bundle has no transparency-log entry, and the trusted root requires one',
      ],
      [/duplicate tlog entry/, 'the bundle lists the same transparency-log entry twice'],
    ],
  },
  TLOG_INCLUSION_PROOF_ERROR: {
    otherwise:
      "the transparency log's inclusion proof does not verify: the entry is not proven to be in a log the trusted root lists",
    refine: [
      [
        /checkpoint/,
        "the transparency log's checkpoint is malformed or not signed by a log the trusted root lists",
      ],
    ],
  },
  TLOG_INCLUSION_PROMISE_ERROR: {
    otherwise:
      "the transparency log's signed entry timestamp does not verify against the logs of the trusted root",
  },
  TLOG_MISSING_INCLUSION_ERROR: {
    otherwise:
      'the transparency-log entry carries neither an inclusion proof nor a signed entry timestamp',
  },
  TLOG_BODY_ERROR: {
    otherwise: 'the transparency-log entry does not record this signature, key and artifact',
  },
  SIGNATURE_ERROR: { otherwise: "the signature does not verify with the signer's key" },
  NOT_IMPLEMENTED_ERROR: { otherwise: 'the bundle uses a feature this verifier does not support' },
};

/** The sentence for a refusal of @sigstore/verify, or for anything else it threw. */
export function failureReason(error: unknown): string {
  if (error instanceof PolicyError) return policyReason(error.message);
  if (error instanceof VerificationError) {
    const entry = BY_CODE[error.code];
    // The chain verifier wraps the cause that says what was wrong with the chain.
    const said = `${error.message}\n${error.cause instanceof Error ? error.cause.message : ''}`;
    if (entry) return entry.refine?.find(([re]) => re.test(said))?.[1] ?? entry.otherwise;
  }
  return 'the bundle could not be checked: part of it is malformed';
}

/** How far verification got before this failure: the deepest failure explains the most. */
export function failureDepth(error: unknown): number {
  if (error instanceof PolicyError) return 5;
  if (!(error instanceof VerificationError)) return 0;
  if (error.code === 'SIGNATURE_ERROR') return 4;
  if (error.code.startsWith('TLOG')) return 3;
  if (error.code === 'CERTIFICATE_ERROR' || error.code === 'PUBLIC_KEY_ERROR') return 2;
  return 1;
}

function policyReason(message: string): string {
  const identity = /^certificate identity error - expected (.*), got (.*)$/.exec(message);
  if (identity?.[2] === 'undefined')
    return `the signing certificate names no identity, and ${identity[1]} is required`;
  if (identity)
    return `the signing certificate's identity ${identity[2]} is not the required ${identity[1]}`;
  const extension = /^invalid certificate extension - expected issuer=(.*), got issuer=(.*)$/.exec(
    message,
  );
  if (extension)
    return `the signing certificate was issued for ${extension[2]}, not the required issuer ${extension[1]}`;
  return 'the signing certificate does not have the required identity';
}

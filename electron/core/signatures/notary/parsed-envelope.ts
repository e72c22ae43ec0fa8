import type { SignatureFormat } from '../../../../shared/contract/trust';

export type NotaryAlgorithm = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

/**
 * What a JWS or COSE Notary envelope says, in one shape, after the format's own parsing:
 * everything the verification rules need and nothing that depends on the encoding.
 */
export interface ParsedEnvelope {
  format: Exclude<SignatureFormat, 'sigstore'>;
  /** The protected header's `alg`, or undefined when it names none this verifier knows. */
  alg: NotaryAlgorithm | undefined;
  /** `alg` as written, for the reason when it is unknown. */
  algName: string;
  contentType: unknown;
  signingScheme: unknown;
  /** Names listed in `crit`. */
  critical: string[];
  /** Protected header names present (to check that the timing headers are marked critical). */
  protectedNames: string[];
  signingTime?: Date | undefined;
  expiry?: Date | undefined;
  authenticSigningTime?: Date | undefined;
  verificationPlugin?: string | undefined;
  /** The exact bytes the signature covers. */
  signingInput: Buffer;
  signature: Buffer;
  payload: Buffer;
  /** DER certificates, leaf first. */
  certificates: Buffer[];
  /** RFC 3161 TimeStampToken over `signature`, when the envelope carries one. */
  timestampToken?: Buffer | undefined;
}

/** Names the Notary Project signature specification v1.1 gives to artifacts, media types and headers. */
export const NOTARY = {
  /** artifactType (OCI 1.1) or config.mediaType (OCI 1.0) of a signature manifest. */
  signatureArtifactType: 'application/vnd.cncf.notary.signature',
  jwsMediaType: 'application/jose+json',
  coseMediaType: 'application/cose',
  payloadContentType: 'application/vnd.cncf.notary.payload.v1+json',
  schemeX509: 'notary.x509',
  schemeSigningAuthority: 'notary.x509.signingAuthority',
  /** Annotation of a signature manifest: sha256 of each certificate of the chain (JSON array). */
  thumbprintAnnotation: 'io.cncf.notary.x509chain.thumbprint#S256',
} as const;

/** Protected and unprotected header names of a Notary envelope. */
export const HEADER = {
  signingScheme: 'io.cncf.notary.signingScheme',
  signingTime: 'io.cncf.notary.signingTime',
  expiry: 'io.cncf.notary.expiry',
  authenticSigningTime: 'io.cncf.notary.authenticSigningTime',
  verificationPlugin: 'io.cncf.notary.verificationPlugin',
  verificationPluginMinVersion: 'io.cncf.notary.verificationPluginMinVersion',
  timestampSignature: 'io.cncf.notary.timestampSignature',
  signingAgent: 'io.cncf.notary.signingAgent',
} as const;

/** Critical headers this verifier understands; the plugin ones are known but need a plugin it does not run. */
export const KNOWN_CRITICAL: readonly string[] = [
  HEADER.signingScheme,
  HEADER.expiry,
  HEADER.authenticSigningTime,
];

/** Bounds that keep a hostile envelope cheap to refuse. */
export const ENVELOPE_LIMITS = {
  maxEnvelopeBytes: 4 * 1024 * 1024,
  maxCertificates: 10,
  maxCborDepth: 16,
} as const;

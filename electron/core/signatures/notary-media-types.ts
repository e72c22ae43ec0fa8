/** Media and annotation names of Notary Project signatures stored as OCI referrers. */
export const NOTARY = {
  /** artifactType of a signature manifest (config.mediaType in the older OCI 1.0 form). */
  signature: 'application/vnd.cncf.notary.signature',
  jws: 'application/jose+json',
  cose: 'application/cose',
  payload: 'application/vnd.cncf.notary.payload.v1+json',
  thumbprints: 'io.cncf.notary.x509chain.thumbprint#S256',
} as const;

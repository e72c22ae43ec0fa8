import { bundleFromJSON, ValidationError, type Bundle } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { z } from 'zod';

/**
 * A Sigstore bundle file read strictly, before any signature is checked. @sigstore/bundle
 * accepts any `version=N.N` media type, decodes base64 leniently (skipping characters that
 * are not base64) and ignores every certificate of a chain but the first; each of those
 * would let a bundle that is not what it claims reach the verifier, so they are refused here
 * with a sentence saying what is wrong.
 */

export const BUNDLE_MEDIA_TYPES = [
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json',
] as const;

/** Protobuf-JSON bytes: standard or URL-safe alphabet, padding optional, line breaks allowed (as Go reads them). */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const base64 = (what: string) =>
  z
    .string({ error: `its ${what} is missing` })
    .refine((v) => BASE64.test(v.replace(/\r?\n/g, '')), `its ${what} is not valid base64`);
const wholeNumber = (what: string) =>
  z
    .union([z.string(), z.number()], { error: `its ${what} is missing` })
    .refine((v) => /^\d+$/.test(String(v)), `its ${what} is negative or not a whole number`);

const TlogEntry = z.looseObject({
  logIndex: wholeNumber('transparency-log entry index'),
  integratedTime: wholeNumber('transparency-log entry time').optional(),
  canonicalizedBody: base64('transparency-log entry body'),
});

const BundleJson = z
  .looseObject({
    mediaType: z.string({ error: 'it has no mediaType' }),
    verificationMaterial: z.looseObject(
      {
        x509CertificateChain: z
          .looseObject({
            certificates: z.array(z.looseObject({ rawBytes: base64('certificate') })),
          })
          .optional(),
        certificate: z.looseObject({ rawBytes: base64('certificate') }).optional(),
        tlogEntries: z.array(TlogEntry).optional(),
        timestampVerificationData: z
          .looseObject({
            rfc3161Timestamps: z
              .array(z.looseObject({ signedTimestamp: base64('timestamp') }))
              .optional(),
          })
          .optional(),
      },
      { error: 'it has no verification material' },
    ),
    messageSignature: z
      .looseObject({
        messageDigest: z.looseObject({ digest: base64('message digest') }).optional(),
        signature: base64('signature'),
      })
      .optional(),
    dsseEnvelope: z
      .looseObject({
        payload: base64('envelope payload'),
        payloadType: z.string({ error: 'its envelope has no payload type' }),
        signatures: z.array(z.looseObject({ sig: base64('envelope signature') })),
      })
      .optional(),
  })
  .refine(
    (b) => (b.messageSignature === undefined) !== (b.dsseEnvelope === undefined),
    'it must hold exactly one of a message signature and a DSSE envelope',
  );

export type BundleReading = { ok: true; bundle: Bundle } | { ok: false; reason: string };

export function readBundle(bytes: Buffer): BundleReading {
  const malformed = (what: string) => ({
    ok: false as const,
    reason: `the bundle is malformed: ${what}`,
  });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, reason: 'the bundle is not valid JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return malformed('it is not a JSON object');
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  if (
    typeof mediaType === 'string' &&
    !(BUNDLE_MEDIA_TYPES as readonly string[]).includes(mediaType)
  )
    return {
      ok: false,
      reason: `the bundle's media type ${mediaType} is not a Sigstore bundle version this verifier knows (0.1 to 0.3)`,
    };
  const shape = BundleJson.safeParse(json);
  if (!shape.success) return malformed(shape.error.issues[0]?.message ?? 'it has the wrong form');
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (e) {
    return malformed(e instanceof ValidationError ? missingFields(e.fields) : 'it cannot be read');
  }
  const rootInChain = selfSignedInChain(bundle);
  if (rootInChain)
    return {
      ok: false,
      reason:
        "the bundle's certificate chain includes a root certificate: roots must come from the trusted root, never from the bundle",
    };
  return { ok: true, bundle };
}

/** @sigstore/bundle's list of missing or empty fields, as one clause. */
function missingFields(fields: string[]): string {
  if (fields.some((f) => f.endsWith('.inclusionProof') || f.endsWith('.checkpoint')))
    return 'a transparency-log entry has no inclusion proof, which bundle versions 0.2 and later require';
  if (fields.some((f) => f.endsWith('.inclusionPromise')))
    return 'a transparency-log entry has no signed entry timestamp, which bundle version 0.1 requires';
  if (fields.some((f) => f.startsWith('verificationMaterial.content.x509CertificateChain')))
    return 'its certificate chain is empty';
  if (fields.includes('verificationMaterial.content.$case'))
    return 'bundle version 0.3 carries a single certificate, not a certificate chain';
  return `${fields.join(', ')} ${fields.length === 1 ? 'is' : 'are'} missing or empty`;
}

function selfSignedInChain(bundle: Bundle): boolean {
  const content = bundle.verificationMaterial.content;
  if (content.$case !== 'x509CertificateChain') return false;
  return content.x509CertificateChain.certificates.some(({ rawBytes }) => {
    try {
      const cert = X509Certificate.parse(Buffer.from(rawBytes));
      return cert.subject.equals(cert.issuer) && cert.verify();
    } catch {
      return false;
    }
  });
}

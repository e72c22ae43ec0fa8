import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { TSTInfo, id_ct_tstInfo } from '@peculiar/asn1-tsp';
import type { TrustAnchor } from '../notary-trust';
import { SignatureProblem } from '../signature-problem';
import { readCertificate, type CertificateFacts } from '../x509/certificate-facts';
import { verifyChain } from '../x509/verify-chain';
import { readSignedData, type SignerParts } from './cms-signed-data';
import { verifyCmsSignature } from './cms-signature';
import { digestName } from './digest-algorithms';
import {
  SIGNING_CERTIFICATE,
  SIGNING_CERTIFICATE_V2,
  signingCertificateMatches,
} from './ess-signing-certificate';
import { orderTsaChain } from './order-tsa-chain';

export type TimestampVerdict =
  | {
      ok: true;
      genTime: Date;
      /** genTime ± accuracyMs is when the timestamp was made. */
      accuracyMs: number;
      /** The TSA certificate's subject (RFC 4514, as CertificateFacts.subject). */
      tsa: string;
      anchor: TrustAnchor;
      /** The TSA's path, signer first, ending in the anchor. */
      tsaChain: CertificateFacts[];
    }
  | { ok: false; reason: string };

const CONTENT_TYPE = '1.2.840.113549.1.9.3';
const MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
// DER of the OID id-ct-TSTInfo, as the contentType attribute must hold it.
const TST_INFO_OID_DER = Buffer.from('060b2a864886f70d0109100104', 'hex');
// ETSI EN 319 422 baseline policy: it promises accuracy of one second when none is stated
// (notation's timestamp client applies the same rule).
const BASELINE_TIMESTAMP_POLICY = '0.4.0.2023.1.1';

/**
 * Verifies an RFC 3161 TimeStampToken over `message` (for Notary Project signatures: the raw
 * signature bytes) and that its TSA chains to one of `tsaAnchors` at the time it states.
 */
export function verifyTimestampToken(
  token: Buffer,
  message: Buffer,
  tsaAnchors: TrustAnchor[],
): TimestampVerdict {
  try {
    return verify(token, message, tsaAnchors);
  } catch (error) {
    if (error instanceof SignatureProblem) return { ok: false, reason: error.message };
    throw error;
  }
}

function verify(token: Buffer, message: Buffer, tsaAnchors: TrustAnchor[]): TimestampVerdict {
  const signed = readSignedData(token);
  if (signed.eContentType !== id_ct_tstInfo) {
    throw new SignatureProblem(
      `the timestamp does not hold timestamp information (its signed content type is ${signed.eContentType}, not TSTInfo)`,
    );
  }
  if (!signed.eContent)
    throw new SignatureProblem(
      'the timestamp does not hold timestamp information (its content is missing)',
    );
  let info: TSTInfo;
  try {
    info = AsnConvert.parse(signed.eContent, TSTInfo);
  } catch {
    throw new SignatureProblem(
      'the timestamp information (TSTInfo) in the timestamp cannot be read',
    );
  }
  if (info.version !== 1)
    throw new SignatureProblem(
      `the timestamp information has version ${info.version}; only version 1 exists`,
    );

  const imprintHash = digestName(
    info.messageImprint.hashAlgorithm.algorithm,
    "the timestamp's message imprint",
  );
  const imprint = Buffer.from(info.messageImprint.hashedMessage.buffer);
  if (!createHash(imprintHash).update(message).digest().equals(imprint)) {
    throw new SignatureProblem(
      'the timestamp was made for other data: its message imprint does not match the signature it is attached to',
    );
  }

  // RFC 3161 2.4.2: the TSA's is the only signature a token may carry.
  const [signer, ...others] = signed.signers;
  if (!signer || others.length > 0) {
    throw new SignatureProblem(
      `the timestamp must have exactly one signer, it has ${signed.signers.length}`,
    );
  }
  const pool = signed.certificates.map((der) => readCertificate(der));
  const signerCertificate = pool.find((facts) => identifies(signer, facts));
  if (!signerCertificate)
    throw new SignatureProblem('the timestamp does not carry its signing certificate');

  checkSignedAttributes(signer, signed.eContent, signerCertificate);
  if (
    !verifyCmsSignature(
      signer,
      signerCertificate.cert.publicKey,
      signer.signedAttributesDer as Buffer,
    )
  ) {
    throw new SignatureProblem(
      "the timestamp authority's signature on the timestamp does not verify (the timestamp was altered or forged)",
    );
  }

  const genTime = info.genTime;
  const anchorFacts = tsaAnchors.flatMap((anchor) => {
    try {
      return [readCertificate(anchor.der)];
    } catch {
      return [];
    }
  });
  const chain = orderTsaChain(signerCertificate, pool, anchorFacts);
  const verdict = verifyChain(chain, tsaAnchors, { purpose: 'timeStamping', validAt: [genTime] });
  if (!verdict.ok)
    throw new SignatureProblem(`the timestamp authority is not trusted: ${verdict.reason}`);

  return {
    ok: true,
    genTime,
    accuracyMs: accuracyMs(info),
    tsa: signerCertificate.subject,
    anchor: verdict.anchor,
    tsaChain: verdict.path,
  };
}

function identifies(signer: SignerParts, facts: CertificateFacts): boolean {
  if ('keyIdentifier' in signer.sid) return facts.subjectKeyIdentifier === signer.sid.keyIdentifier;
  return (
    signer.sid.issuerDer.equals(facts.issuerDer) &&
    signer.sid.serial === BigInt(`0x${facts.serial}`)
  );
}

/**
 * RFC 5652 5.3/5.4 and RFC 3161 2.4.1: the signature covers the signed attributes, which must
 * name the content type, carry the content's digest, and bind the signer's certificate.
 */
function checkSignedAttributes(
  signer: SignerParts,
  eContent: Buffer,
  certificate: CertificateFacts,
): void {
  const attributes = signer.signedAttributes;
  if (!attributes || !signer.signedAttributesDer) {
    throw new SignatureProblem(
      'the timestamp has no signed attributes, so its signature does not cover its content',
    );
  }
  const single = (type: string, name: string): Buffer | undefined => {
    const found = attributes.filter((attribute) => attribute.type === type);
    if (found.length === 0) return undefined;
    const [value, ...rest] = found[0]?.values ?? [];
    if (found.length > 1 || !value || rest.length > 0) {
      throw new SignatureProblem(
        `the timestamp's ${name} attribute must appear once with one value`,
      );
    }
    return value;
  };

  const contentType = single(CONTENT_TYPE, 'content-type');
  if (!contentType?.equals(TST_INFO_OID_DER)) {
    throw new SignatureProblem(
      "the timestamp's signed content-type attribute is missing or does not say TSTInfo",
    );
  }

  const digest = single(MESSAGE_DIGEST, 'message-digest');
  const digestHash = digestName(signer.digestAlgorithm, "the timestamp's signature");
  // The value is an OCTET STRING: tag, one length byte (digests are at most 64 bytes), the digest.
  if (!digest || digest[0] !== 0x04 || digest[1] !== digest.length - 2) {
    throw new SignatureProblem(
      "the timestamp's message-digest attribute is missing or cannot be read",
    );
  }
  if (!createHash(digestHash).update(eContent).digest().equals(digest.subarray(2))) {
    throw new SignatureProblem(
      "the timestamp's signed attributes do not match its content (the message digest differs)",
    );
  }

  const v2 = single(SIGNING_CERTIFICATE_V2, 'signing-certificate');
  const v1 = single(SIGNING_CERTIFICATE, 'signing-certificate');
  if (!v2 && !v1) {
    throw new SignatureProblem(
      'the timestamp does not identify its signing certificate (no signing-certificate attribute)',
    );
  }
  if (!signingCertificateMatches((v2 ?? v1) as Buffer, v2 ? 2 : 1, certificate.der)) {
    throw new SignatureProblem(
      "the timestamp's signing certificate does not match the certificate its signed attributes name",
    );
  }
}

function accuracyMs(info: TSTInfo): number {
  const accuracy = info.accuracy;
  const stated = accuracy
    ? (accuracy.seconds ?? 0) * 1000 + (accuracy.millis ?? 0) + (accuracy.micros ?? 0) / 1000
    : 0;
  return stated === 0 && info.policy === BASELINE_TIMESTAMP_POLICY ? 1000 : stated;
}

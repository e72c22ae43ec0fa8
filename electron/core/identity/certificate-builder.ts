import { createHash, sign, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';

const ID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const ID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const ID_ORGANIZATION = '2.5.4.10';
const ID_COMMON_NAME = '2.5.4.3';
const DER_NULL = new Uint8Array([0x05, 0x00]).buffer;

/** A name in a certificate: the SPIFFE ID (URI), a DNS name or an IP address. */
export type AltName = { uri: string } | { dns: string } | { ip: string };

export interface CertificateContent {
  /** Positive, minimal: the first byte below 0x80 and not zero. */
  serial: Buffer;
  subject: { organization: string; commonName: string };
  /** The issuer's subject as it encodes it (self-signed: omitted, the subject is used). */
  issuer?: Name;
  /** The issuer's key identifier, for the authority key identifier (omitted when self-signed). */
  issuerKeyId?: Buffer;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  keyUsage: number;
  extKeyUsage?: { serverAuth: boolean; clientAuth: boolean };
  altNames: readonly AltName[];
  /** The issuer's private key (self-signed: the subject's own). */
  signingKey: KeyObject;
}

function extension(id: string, critical: boolean, value: unknown): Extension {
  return new Extension({
    extnID: id,
    critical,
    extnValue: new OctetString(AsnConvert.serialize(value)),
  });
}

function generalName(name: AltName): GeneralName {
  if ('uri' in name) return new GeneralName({ uniformResourceIdentifier: name.uri });
  if ('dns' in name) return new GeneralName({ dNSName: name.dns });
  return new GeneralName({ iPAddress: name.ip });
}

function nameOf(subject: CertificateContent['subject']): Name {
  return new Name(
    [
      [ID_ORGANIZATION, subject.organization],
      [ID_COMMON_NAME, subject.commonName],
    ].map(
      ([type, value]) =>
        new RelativeDistinguishedName([
          new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) }),
        ]),
    ),
  );
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = AsnConvert.parse(
    publicKey.export({ type: 'spki', format: 'der' }),
    SubjectPublicKeyInfo,
  );
  return createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest();
}

/** The signature algorithm the issuer's key signs with: ECDSA or RSA PKCS#1 v1.5, SHA-256. */
function signatureAlgorithm(signingKey: KeyObject): AlgorithmIdentifier {
  const type = signingKey.asymmetricKeyType;
  if (type === 'ec') return new AlgorithmIdentifier({ algorithm: ID_ECDSA_WITH_SHA256 });
  if (type === 'rsa')
    return new AlgorithmIdentifier({ algorithm: ID_SHA256_WITH_RSA, parameters: DER_NULL });
  throw new Error(`cannot sign certificates with a ${String(type)} key`);
}

/**
 * An X.509 v3 certificate, DER: the structure from `@peculiar/asn1-x509`, the signature from
 * `node:crypto` over the encoded TBSCertificate (ECDSA signatures come out DER-encoded, as
 * X.509 carries them).
 */
export function buildCertificate(content: CertificateContent): Buffer {
  const subject = nameOf(content.subject);
  const spki = AsnConvert.parse(
    content.publicKey.export({ type: 'spki', format: 'der' }),
    SubjectPublicKeyInfo,
  );
  const ownKeyId = keyIdentifier(content.publicKey);
  const extensions = [
    extension(
      id_ce_basicConstraints,
      true,
      new BasicConstraints(content.ca ? { cA: true, pathLenConstraint: 0 } : { cA: false }),
    ),
    extension(id_ce_keyUsage, true, new KeyUsage(content.keyUsage)),
    ...(content.extKeyUsage
      ? [
          extension(
            id_ce_extKeyUsage,
            false,
            new ExtendedKeyUsage([
              ...(content.extKeyUsage.serverAuth ? [id_kp_serverAuth] : []),
              ...(content.extKeyUsage.clientAuth ? [id_kp_clientAuth] : []),
            ]),
          ),
        ]
      : []),
    ...(content.altNames.length > 0
      ? [
          extension(
            id_ce_subjectAltName,
            false,
            new SubjectAlternativeName(content.altNames.map(generalName)),
          ),
        ]
      : []),
    extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(ownKeyId)),
    ...(content.issuerKeyId
      ? [
          extension(
            id_ce_authorityKeyIdentifier,
            false,
            new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(content.issuerKeyId) }),
          ),
        ]
      : []),
  ];
  const algorithm = signatureAlgorithm(content.signingKey);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array(content.serial).buffer,
    signature: algorithm,
    issuer: content.issuer ?? subject,
    validity: new Validity({ notBefore: content.notBefore, notAfter: content.notAfter }),
    subject,
    subjectPublicKeyInfo: spki,
    extensions: new Extensions(extensions),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = sign('sha256', tbsDer, content.signingKey);
  return Buffer.from(
    AsnConvert.serialize(
      new Certificate({
        tbsCertificate: tbs,
        signatureAlgorithm: algorithm,
        signatureValue: new Uint8Array(signature).buffer,
      }),
    ),
  );
}

/** What a CA's certificate gives the certificates it signs: its name as encoded, its key id. */
export function issuerOf(caDer: Buffer): { name: Name; keyId?: Buffer } {
  const cert = AsnConvert.parse(caDer, Certificate);
  const ski = cert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_subjectKeyIdentifier);
  return {
    name: cert.tbsCertificate.subject,
    ...(ski
      ? {
          keyId: Buffer.from(AsnConvert.parse(ski.extnValue.buffer, SubjectKeyIdentifier).buffer),
        }
      : {}),
  };
}

export { KeyUsageFlags };

export function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, SignedData, id_signedData } from '@peculiar/asn1-cms';
import { SignatureProblem } from '../signature-problem';
import { derBytes, derChildren, derElementAt, type DerElement } from '../x509/der-elements';

/** How a SignerInfo names its certificate (RFC 5652 5.3). */
export type SignerIdentifier = { issuerDer: Buffer; serial: bigint } | { keyIdentifier: string };

export interface SignerParts {
  sid: SignerIdentifier;
  digestAlgorithm: string;
  /** Each signed attribute's type and the DER of each of its values; undefined when there are none. */
  signedAttributes?: { type: string; values: Buffer[] }[];
  /** What the signature covers: the signed attributes re-tagged from [0] IMPLICIT to SET OF (RFC 5652 5.4). */
  signedAttributesDer?: Buffer;
  signatureAlgorithm: string;
  /** DER of the algorithm parameters (RSA-PSS needs them); absent or NULL otherwise. */
  signatureParametersDer?: Buffer;
  signature: Buffer;
}

export interface SignedDataParts {
  eContentType: string;
  /** The encapsulated content's octets exactly as signed; undefined when detached. */
  eContent?: Buffer;
  /** DER of every X.509 certificate the token carries, in the token's (arbitrary) order. */
  certificates: Buffer[];
  signers: SignerParts[];
}

const WHAT = 'timestamp token';

/**
 * Reads a CMS ContentInfo holding SignedData (RFC 5652). The schema library gives the fields'
 * meaning; the bytes that are hashed or signed are cut from the input itself, because a
 * re-encoding is not guaranteed to reproduce them.
 */
export function readSignedData(token: Buffer): SignedDataParts {
  let contentInfo: ContentInfo;
  try {
    contentInfo = AsnConvert.parse(token, ContentInfo);
  } catch {
    throw new SignatureProblem('the timestamp is not a readable RFC 3161 timestamp token');
  }
  if (contentInfo.contentType !== id_signedData) {
    throw new SignatureProblem(
      `the timestamp is not a signed timestamp token (its content type is ${contentInfo.contentType}, not signed data)`,
    );
  }
  const root = derElementAt(token, 0, WHAT);
  if (root.end !== token.length)
    throw new SignatureProblem('the timestamp token has extra bytes after its end');
  const signedDataElement = only(children(token, at(children(token, root), 1, 0xa0)), 0x30);
  let signedData: SignedData;
  try {
    signedData = AsnConvert.parse(derBytes(token, signedDataElement), SignedData);
  } catch {
    throw new SignatureProblem("the timestamp token's signed data cannot be read");
  }

  const fields = children(token, signedDataElement);
  const encapsulated = children(token, at(fields, 2, 0x30));
  const wrapped = encapsulated[1];
  let eContent: Buffer | undefined;
  if (wrapped) {
    // DER has only primitive OCTET STRINGs; a constructed one (BER) is refused rather than reassembled.
    const octets = only(children(token, expectTag(wrapped, 0xa0)), 0x04);
    eContent = token.subarray(octets.contentStart, octets.end);
  }

  const certificates: Buffer[] = [];
  const signerSet = fields[fields.length - 1];
  for (const field of fields.slice(3, -1)) {
    if (field.tag !== 0xa0) continue;
    // Other CertificateChoices (attribute certificates, other formats) carry no key; skip them.
    for (const choice of children(token, field))
      if (choice.tag === 0x30) certificates.push(Buffer.from(derBytes(token, choice)));
  }

  const rawSigners = children(token, expectTag(signerSet as DerElement, 0x31));
  if (rawSigners.length !== signedData.signerInfos.length)
    throw new SignatureProblem("the timestamp token's signer information cannot be read");
  const signers = signedData.signerInfos.map((info, index) => {
    const raw = children(token, rawSigners[index] as DerElement);
    const sidElement = at(raw, 1);
    const attributesElement = raw[3]?.tag === 0xa0 ? raw[3] : undefined;
    const algorithmElement = at(raw, attributesElement ? 4 : 3, 0x30);
    const parameters = children(token, algorithmElement)[1];
    const parts: SignerParts = {
      sid: signerIdentifier(token, sidElement),
      digestAlgorithm: info.digestAlgorithm.algorithm,
      signatureAlgorithm: info.signatureAlgorithm.algorithm,
      signature: Buffer.from(info.signature.buffer),
    };
    if (parameters && parameters.tag !== 0x05)
      parts.signatureParametersDer = Buffer.from(derBytes(token, parameters));
    if (attributesElement) {
      const bytes = Buffer.from(derBytes(token, attributesElement));
      bytes[0] = 0x31;
      parts.signedAttributesDer = bytes;
      // Types from the schema library, values as raw DER: the library turns some values
      // (an ASN.1 NULL, for one) into null, and the values are compared byte for byte.
      const types = (info.signedAttrs ?? []).map((attribute) => attribute.attrType);
      const rawAttributes = children(token, attributesElement);
      if (rawAttributes.length !== types.length)
        throw new SignatureProblem("the timestamp's signed attributes cannot be read");
      parts.signedAttributes = rawAttributes.map((attribute, position) => ({
        type: types[position] as string,
        values: children(token, at(children(token, expectTag(attribute, 0x30)), 1, 0x31)).map(
          (value) => Buffer.from(derBytes(token, value)),
        ),
      }));
    }
    return parts;
  });

  return {
    eContentType: signedData.encapContentInfo.eContentType,
    eContent,
    certificates,
    signers,
  };
}

function signerIdentifier(bytes: Buffer, element: DerElement): SignerIdentifier {
  if (element.tag === 0x80)
    return { keyIdentifier: bytes.subarray(element.contentStart, element.end).toString('hex') };
  const [issuer, serial] = children(bytes, expectTag(element, 0x30));
  if (!issuer || !serial || serial.tag !== 0x02)
    throw new SignatureProblem("the timestamp token's signer identifier cannot be read");
  return {
    issuerDer: Buffer.from(derBytes(bytes, issuer)),
    serial: integerValue(bytes.subarray(serial.contentStart, serial.end)),
  };
}

/** A DER INTEGER's value (serial numbers are positive; a negative one never matches a certificate). */
export function integerValue(content: Buffer): bigint {
  return content.length === 0
    ? 0n
    : BigInt.asIntN(content.length * 8, BigInt(`0x${content.toString('hex')}`));
}

function children(bytes: Buffer, element: DerElement): DerElement[] {
  return derChildren(bytes, element, WHAT);
}

function expectTag(element: DerElement, tag: number): DerElement {
  if (element.tag !== tag) throw new SignatureProblem('the timestamp token is not valid DER');
  return element;
}

function at(elements: DerElement[], index: number, tag?: number): DerElement {
  const element = elements[index];
  if (!element) throw new SignatureProblem('the timestamp token is not valid DER');
  return tag === undefined ? element : expectTag(element, tag);
}

function only(elements: DerElement[], tag: number): DerElement {
  if (elements.length !== 1) throw new SignatureProblem('the timestamp token is not valid DER');
  return at(elements, 0, tag);
}

import { NOTARY } from './notary-names';

export type EnvelopeFormat = 'jws' | 'cose';

const COSE_SIGN1_TAG_BYTE = 0xd2;

/**
 * The envelope format from its media type, or from its first bytes when none is given (a
 * file on a stick): a JSON object with `protected` is JWS, CBOR tag 18 is COSE_Sign1.
 */
export function envelopeFormat(bytes: Buffer, mediaType?: string): EnvelopeFormat | undefined {
  if (mediaType === NOTARY.jwsMediaType) return 'jws';
  if (mediaType === NOTARY.coseMediaType) return 'cose';
  if (mediaType !== undefined) return undefined;
  if (bytes[0] === COSE_SIGN1_TAG_BYTE) return 'cose';
  const text = bytes
    .subarray(0, 64 * 1024)
    .toString('utf8')
    .trimStart();
  if (!text.startsWith('{')) return undefined;
  try {
    const json = JSON.parse(bytes.toString('utf8')) as unknown;
    return typeof json === 'object' && json !== null && 'protected' in json ? 'jws' : undefined;
  } catch {
    return undefined;
  }
}

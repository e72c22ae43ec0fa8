const URL_ALPHABET = /^[A-Za-z0-9_-]*$/;
const STD_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes base64url as JWS requires it (RFC 7515 §2): no padding, no `+` or `/`, no spaces,
 * and canonical (unused trailing bits zero). Node's own decoder skips what it does not
 * understand, so one envelope could otherwise have several spellings of the signed bytes.
 * Returns undefined for anything else.
 */
export function decodeBase64urlStrict(text: string): Buffer | undefined {
  if (!URL_ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/**
 * Decodes standard padded base64 (RFC 4648 §4), canonical only: how JWS carries `x5c`
 * certificates and Notary its timestamp token. Returns undefined for anything else.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!STD_ALPHABET.test(text) || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

import { RegistryError } from './registry-error';

const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'ETIMEDOUT']);
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
// OpenSSL's reading of an HTTP answer ("HTTP/1.1 400") as a TLS record.
const PLAIN_HTTP_ANSWER = /wrong version number|packet length too long|http request/i;

/**
 * Turns a socket, DNS or TLS failure into the RegistryError an engineer can act on. `registry`
 * is the host[:port] as configured, which is what the engineer typed.
 */
export function describeConnectionError(error: unknown, url: URL, registry: string): RegistryError {
  if (error instanceof RegistryError) return error;
  const e = error as NodeJS.ErrnoException;
  const code = e.code ?? '';
  const where = `${url.protocol}//${url.host}`;
  const details = { url, cause: error };
  if (code === 'ECONNREFUSED') {
    return new RegistryError('network', `nothing answers at ${where}: connection refused`, details);
  }
  if (UNRESOLVED.has(code)) {
    return new RegistryError(
      'network',
      `the host ${url.hostname} cannot be resolved: check the registry address or the DNS of this network`,
      details,
    );
  }
  if (UNREACHABLE.has(code)) {
    return new RegistryError('network', `${where} cannot be reached (${code})`, details);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || e.message === 'aborted') {
    return new RegistryError('network', `${where} closed the connection unexpectedly`, details);
  }
  if (UNTRUSTED.has(code)) {
    return new RegistryError(
      'tls',
      `the certificate of ${registry} is not trusted: pass its CA with --ca`,
      details,
    );
  }
  if (EXPIRED.has(code)) {
    return new RegistryError(
      'tls',
      `the certificate of ${registry} is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'}: renew it or check this computer's clock`,
      details,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new RegistryError(
      'tls',
      `the certificate of ${registry} is not issued for ${url.hostname}: use an address the certificate names, or reissue it`,
      details,
    );
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    if (PLAIN_HTTP_ANSWER.test(e.message)) {
      return new RegistryError(
        'tls',
        `${registry} speaks plain HTTP, not HTTPS: use --plain-http if this is intended`,
        details,
      );
    }
    return new RegistryError(
      'tls',
      `the TLS handshake with ${registry} failed: ${firstLine(e.message)}`,
      details,
    );
  }
  return new RegistryError(
    'network',
    `the connection to ${where} failed: ${firstLine(e.message ?? String(error))}`,
    details,
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

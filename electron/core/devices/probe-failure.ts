import type { ProbeErrorKind } from '../../../shared/devices/probe-result';

/** A probe that did not get facts, with a kind scripts can branch on and words people read. */
export class ProbeFailure extends Error {
  override name = 'ProbeFailure';
  constructor(
    readonly kind: ProbeErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * Names a network or TLS failure the way an engineer at the device would: which side of the
 * TLS handshake refused, or that nothing listens, or that the cable is in the wrong switch.
 */
export function classifyNetworkError(e: unknown, where: string): ProbeFailure {
  // Already said in these words (an SSH connection's failures come through HTTP unchanged).
  if (e instanceof ProbeFailure) return e;
  const err = e as NodeJS.ErrnoException & { reason?: string };
  const code = err.code ?? '';
  const message = err.message ?? String(e);
  if (where.startsWith('unix://') && (code === 'ENOENT' || code === 'EACCES')) {
    return code === 'ENOENT'
      ? new ProbeFailure(
          'refused',
          `no Docker socket at ${where.slice('unix://'.length)}: Docker is not running on this machine`,
        )
      : new ProbeFailure(
          'refused',
          `permission denied on the Docker socket ${where.slice('unix://'.length)}: run as a member of the docker group`,
        );
  }
  if (code === 'ECONNREFUSED') {
    return new ProbeFailure(
      'refused',
      `nothing accepts connections at ${where}: Docker is not listening there (wrong port, or dockerd not started with -H tcp://…:2376)`,
    );
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN') {
    return new ProbeFailure(
      'unreachable',
      `no route to ${where}: the laptop is not on this device's network (check the cable, the switch port and the laptop's address)`,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ProbeFailure(
      'dns',
      `the name in ${where} does not resolve: use the device's IP address on a plant network without DNS`,
    );
  }
  if (code === 'ETIMEDOUT')
    return new ProbeFailure(
      'timeout',
      `no answer from ${where}: the device is off or unreachable, or a firewall drops the traffic`,
    );
  if (UNTRUSTED.has(code)) {
    return new ProbeFailure(
      'tls-untrusted-server',
      `TLS: the device's certificate at ${where} is not signed by the CA given with --tls-ca (the laptop refused the device): use this device's CA`,
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return new ProbeFailure(
      'tls-untrusted-server',
      `TLS: the device's certificate at ${where} is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not yet valid'} (check the device's clock and certificate)`,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new ProbeFailure(
      'tls-name-mismatch',
      `TLS: the device's certificate is not issued for the address in ${where}: use the name or IP address the certificate names`,
    );
  }
  if (
    /ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|ACCESS_DENIED)/.test(
      code,
    ) ||
    /alert (certificate required|bad certificate|unknown ca)/i.test(message)
  ) {
    return new ProbeFailure(
      'tls-client-rejected',
      `TLS: the device at ${where} refused the laptop's client certificate (the device refused the laptop): use a client certificate (--tls-cert, --tls-key) signed by the CA the device trusts`,
    );
  }
  if (
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    /wrong version number|unknown protocol|packet length too long/i.test(message)
  ) {
    return new ProbeFailure('tls-not-spoken', `what answers at ${where} does not speak TLS`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new ProbeFailure(
      'tls-client-rejected',
      `the device at ${where} closed the connection during the TLS handshake: it most likely refused the laptop's client certificate`,
    );
  }
  return new ProbeFailure('docker-error', `${where}: ${message}`);
}

import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createSecureContext } from 'node:tls';
import ssh2 from 'ssh2';
import { CommissionerError } from '../../../shared/contract/contract-error';

/** Certificates and keys are a few KiB; a CA bundle a few hundred. Anything larger is not one. */
export const MAX_KEY_FILE_BYTES = 1024 * 1024;

const TLS_FILES = { ca: 'CA certificate', cert: 'client certificate', key: 'client key' } as const;
type TlsFile = keyof typeof TLS_FILES;

export interface CheckedTls {
  /** The bytes that were checked: these are kept, not the files read again later. */
  bytes: Record<TlsFile, Buffer>;
  /** What may keep the device from accepting them, though they are sound. */
  warnings: string[];
}

/**
 * Checks the TLS files an engineer gives for a device before anything is recorded: each is
 * readable, a regular file of sensible size, in PEM form; the CA file holds certificates; the
 * client certificate parses; the key is a private key without a passphrase and belongs to
 * the certificate; and the three make a TLS context. A refusal names the file and which of the
 * three it is (`invalid-input`, field `tls.ca|cert|key`).
 *
 * An expired (or not yet valid) client certificate, or one the given CA did not sign, is a
 * warning, not a refusal: the station's clock may be wrong on an air-gapped line, and a plant
 * may sign client certificates with another CA than the device's. The probe that follows
 * the add tells whether the device accepts it.
 */
export function checkTlsFiles(files: Record<TlsFile, string>, now = new Date()): CheckedTls {
  const bytes = {
    ca: readKeyFile(files.ca, `the ${TLS_FILES.ca} file`, 'tls.ca'),
    cert: readKeyFile(files.cert, `the ${TLS_FILES.cert} file`, 'tls.cert'),
    key: readKeyFile(files.key, `the ${TLS_FILES.key} file`, 'tls.key'),
  };
  const cas = certificates(bytes.ca, files.ca, 'ca');
  const [leaf] = certificates(bytes.cert, files.cert, 'cert');
  const key = privateKey(bytes.key, files.key);
  if (!leaf) throw new Error('unreachable: certificates() returns at least one');
  if (!leaf.checkPrivateKey(key)) {
    throw invalid(
      `the client key ${name(files.key)} does not belong to the client certificate ${name(files.cert)}: choose the key that was made with that certificate`,
      'tls.key',
    );
  }
  try {
    createSecureContext({ ca: bytes.ca, cert: bytes.cert, key: bytes.key });
  } catch {
    throw invalid(
      `the TLS files ${name(files.ca)}, ${name(files.cert)} and ${name(files.key)} cannot be used together: check that they are the device's CA, this computer's certificate and its key`,
      'tls',
    );
  }
  const warnings: string[] = [];
  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  if (notAfter < now) {
    warnings.push(
      `the client certificate ${name(files.cert)} expired on ${day(notAfter)}: the device will refuse it unless this computer's clock is wrong. Issue a new one`,
    );
  } else if (notBefore > now) {
    warnings.push(
      `the client certificate ${name(files.cert)} is valid only from ${day(notBefore)}: check this computer's clock`,
    );
  }
  if (!cas.some((ca) => leaf.checkIssued(ca) && leaf.verify(ca.publicKey))) {
    warnings.push(
      `the client certificate ${name(files.cert)} is not signed by the CA certificate ${name(files.ca)}: that is right only when the device trusts another CA for its clients; otherwise it will refuse this computer`,
    );
  }
  return { bytes, warnings };
}

/**
 * Checks an SSH private key file before it is kept: readable, of sensible size, a private key
 * ssh2 can use, without a passphrase (a key with one belongs in the SSH agent).
 */
export function checkSshIdentity(path: string): Buffer {
  const bytes = readKeyFile(path, 'the SSH key file', 'identity');
  const parsed = ssh2.utils.parseKey(bytes);
  if (parsed instanceof Error) {
    if (/passphrase|encrypted/i.test(parsed.message)) {
      throw invalid(
        `the SSH key file ${name(path)} is protected by a passphrase: load it into this computer's SSH agent and let the device use the agent, or use a key without a passphrase`,
        'identity',
      );
    }
    throw invalid(
      `the SSH key file ${name(path)} is not an SSH private key (OpenSSH or PEM form)`,
      'identity',
    );
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key?.isPrivateKey()) {
    throw invalid(
      `the SSH key file ${name(path)} holds a public key: choose the private key (the file without .pub)`,
      'identity',
    );
  }
  return bytes;
}

/** A file given as key material: a regular file, not absurdly large, readable. */
function readKeyFile(path: string, what: string, field: string): Buffer {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw invalid(`${what} ${path} is not a file`, field);
    size = stat.size;
  } catch (e) {
    if (e instanceof CommissionerError) throw e;
    throw invalid(`${what} ${path} does not exist`, field);
  }
  if (size > MAX_KEY_FILE_BYTES) {
    throw invalid(
      `${what} ${path} is ${Math.round(size / 1024)} KiB: too large for key material (at most ${MAX_KEY_FILE_BYTES / 1024} KiB); is it the right file?`,
      field,
    );
  }
  try {
    return readFileSync(path);
  } catch {
    throw invalid(
      `${what} ${path} cannot be read: check that it exists and that you may read it`,
      field,
    );
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM file, at least one; DER and damaged files are refused. */
function certificates(bytes: Buffer, path: string, which: 'ca' | 'cert'): X509Certificate[] {
  const what = `the ${TLS_FILES[which]} file ${name(path)}`;
  const blocks = bytes.toString('latin1').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    let der = false;
    try {
      new X509Certificate(bytes);
      der = true;
    } catch {
      // Neither PEM nor DER.
    }
    throw invalid(
      der
        ? `${what} holds a certificate in binary (DER) form: save it in PEM form (text starting with -----BEGIN CERTIFICATE-----)`
        : /PRIVATE KEY-----/.test(bytes.toString('latin1'))
          ? `${what} holds a private key, not a certificate: were the files mixed up?`
          : `${what} holds no certificate (PEM text starting with -----BEGIN CERTIFICATE-----)`,
      `tls.${which}`,
    );
  }
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw invalid(`${what} holds a damaged certificate`, `tls.${which}`);
    }
  });
}

function privateKey(bytes: Buffer, path: string): KeyObject {
  const what = `the client key file ${name(path)}`;
  try {
    return createPrivateKey(bytes);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const text = bytes.toString('latin1');
    if (
      code === 'ERR_MISSING_PASSPHRASE' ||
      /passphrase/i.test((e as Error).message) ||
      /BEGIN ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(text)
    ) {
      throw invalid(
        `${what} is protected by a passphrase: the Docker Engine's TLS needs the key without one`,
        'tls.key',
      );
    }
    throw invalid(
      /BEGIN CERTIFICATE/.test(text)
        ? `${what} holds a certificate, not a private key: were the files mixed up?`
        : `${what} is not a private key in PEM form`,
      'tls.key',
    );
  }
}

function invalid(message: string, field: string): CommissionerError<'invalid-input'> {
  return new CommissionerError('invalid-input', message, { field });
}

/** Files are named by their name: the engineer knows which folder they chose. */
function name(path: string): string {
  return basename(path);
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

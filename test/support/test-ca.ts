import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCa {
  caCertPath: string;
  caKeyPath: string;
  caPem: string;
}

export interface CertSubject {
  commonName: string;
  ipAddresses: string[];
  dnsNames: string[];
}

export interface IssuedCert {
  certPath: string;
  keyPath: string;
}

const VALID_DAYS = '2';
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
const RSA_KEY = ['-newkey', 'rsa:2048'];

// Our own minimal config, so a host's openssl.cnf (or OPENSSL_CONF) cannot add extensions.
const REQ_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

/** A throwaway CA (P-256) valid for two days, written to `dir`. */
export async function createTestCa(dir: string): Promise<TestCa> {
  const config = join(dir, 'ca.cnf');
  const caCertPath = join(dir, 'ca.crt');
  const caKeyPath = join(dir, 'ca.key');
  await writeFile(config, REQ_CONFIG);
  await openssl([
    'req',
    '-x509',
    '-new',
    '-nodes',
    ...EC_KEY,
    '-keyout',
    caKeyPath,
    '-out',
    caCertPath,
    '-days',
    VALID_DAYS,
    '-subj',
    subjectOf(`Commissioner Test CA ${randomBytes(4).toString('hex')}`),
    '-config',
    config,
    '-extensions',
    'v3_ca',
  ]);
  return { caCertPath, caKeyPath, caPem: await readFile(caCertPath, 'utf8') };
}

/** A TLS server certificate whose subjectAltName lists exactly the given addresses and names. */
export function issueServerCert(
  ca: TestCa,
  subject: CertSubject,
  dir: string,
): Promise<IssuedCert> {
  const san = subjectAltName(subject);
  if (!san) throw new Error('a server certificate needs at least one IP address or DNS name');
  return issue(ca, subject.commonName, dir, 'server', EC_KEY, [
    'keyUsage = critical,digitalSignature',
    'extendedKeyUsage = serverAuth',
    `subjectAltName = ${san}`,
  ]);
}

/** A TLS client certificate (e.g. for Docker daemons started with --tlsverify). */
export function issueClientCert(
  ca: TestCa,
  subject: CertSubject,
  dir: string,
): Promise<IssuedCert> {
  const san = subjectAltName(subject);
  return issue(ca, subject.commonName, dir, 'client', EC_KEY, [
    'keyUsage = critical,digitalSignature',
    'extendedKeyUsage = clientAuth',
    ...(san ? [`subjectAltName = ${san}`] : []),
  ]);
}

/**
 * An RSA certificate for signing JWTs (RS256). It has no extendedKeyUsage, because Go's chain
 * verification (distribution's token check) would otherwise demand serverAuth.
 */
export function issueSigningCert(
  ca: TestCa,
  subject: { commonName: string },
  dir: string,
): Promise<IssuedCert> {
  return issue(ca, subject.commonName, dir, 'signing', RSA_KEY, [
    'keyUsage = critical,digitalSignature',
  ]);
}

async function issue(
  ca: TestCa,
  commonName: string,
  dir: string,
  role: string,
  keyArgs: string[],
  extensions: string[],
): Promise<IssuedCert> {
  const base = join(dir, `${role}-${fileSafe(commonName)}-${randomBytes(3).toString('hex')}`);
  const keyPath = `${base}.key`;
  const certPath = `${base}.crt`;
  const csrPath = `${base}.csr`;
  const reqConfig = `${base}.req.cnf`;
  const extConfig = `${base}.ext.cnf`;
  await writeFile(reqConfig, REQ_CONFIG);
  await writeFile(
    extConfig,
    [
      '[leaf]',
      'basicConstraints = critical,CA:FALSE',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      ...extensions,
      '',
    ].join('\n'),
  );
  await openssl([
    'req',
    '-new',
    '-nodes',
    ...keyArgs,
    '-keyout',
    keyPath,
    '-out',
    csrPath,
    '-subj',
    subjectOf(commonName),
    '-config',
    reqConfig,
  ]);
  await openssl([
    'x509',
    '-req',
    '-in',
    csrPath,
    '-CA',
    ca.caCertPath,
    '-CAkey',
    ca.caKeyPath,
    // Random serials: two certificates of one CA must never share a serial (browsers and Go
    // reject that), and a file-based serial would race between concurrent issuers.
    '-set_serial',
    `0x${randomBytes(12).toString('hex')}`,
    '-days',
    VALID_DAYS,
    '-out',
    certPath,
    '-extfile',
    extConfig,
    '-extensions',
    'leaf',
  ]);
  await Promise.all([csrPath, reqConfig, extConfig].map((path) => rm(path, { force: true })));
  return { certPath, keyPath };
}

function subjectAltName(subject: CertSubject): string {
  for (const ip of subject.ipAddresses) {
    if (isIP(ip) === 0) throw new Error(`"${ip}" is not an IP address`);
  }
  for (const name of subject.dnsNames) {
    if (!/^[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(name)) {
      throw new Error(`"${name}" is not a DNS name`);
    }
  }
  return [
    ...subject.ipAddresses.map((ip) => `IP:${ip}`),
    ...subject.dnsNames.map((name) => `DNS:${name}`),
  ].join(',');
}

/** `-subj` syntax: `/` and `\` inside a value must be escaped. */
function subjectOf(commonName: string): string {
  return `/CN=${commonName.replace(/[\\/]/g, (c) => `\\${c}`)}`;
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, '_').slice(0, 40) || 'cert';
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { env: { ...process.env, OPENSSL_CONF: '/dev/null' } });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || (e as Error).message}`, {
      cause: e,
    });
  }
}

import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode, Tagged } from 'cborg';

/**
 * Notary Project envelopes made in the tests, independently of the product's code: a
 * root → intermediate → leaf chain from openssl, and JWS / COSE envelopes signed with
 * node:crypto exactly as the signature specification v1.1 lays them out. The stored vectors
 * have neither ECDSA signatures nor 3-level chains (MANIFEST C).
 */

export interface TestChain {
  dir: string;
  rootPem: string;
  rootDer: Buffer;
  intermediateDer: Buffer;
  leafDer: Buffer;
  leafKey: KeyObject;
  /** Leaf first, without the root (how signers send x5c). */
  x5c: Buffer[];
}

const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[root]
basicConstraints = critical,CA:TRUE,pathlen:1
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
authorityKeyIdentifier = keyid:always
[serverleaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
`;

function openssl(args: string[], cwd: string): void {
  // Our own config: a host's openssl.cnf (or OPENSSL_CONF) cannot add extensions.
  execFileSync('openssl', args, {
    cwd,
    stdio: 'pipe',
    env: { ...process.env, OPENSSL_CONF: join(cwd, 'openssl.cnf') },
  });
}

function derOf(pemPath: string): Buffer {
  const pem = readFileSync(pemPath, 'utf8');
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/**
 * A fresh P-384 root → P-384 intermediate → leaf chain, valid for `days` (negative start
 * offsets make expired chains). `leafCurve` chooses ES256/384/512; `leafProfile` "serverleaf"
 * gives a leaf without codeSigning.
 */
export function createTestChain(
  dir: string,
  options: {
    subject?: string;
    leafCurve?: 'prime256v1' | 'secp384r1' | 'secp521r1';
    leafProfile?: 'leaf' | 'serverleaf';
    days?: number;
  } = {},
): TestChain {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'openssl.cnf'), CONFIG);
  const days = String(options.days ?? 30);
  const ec = (curve: string) => ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${curve}`];
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-nodes',
      ...ec('secp384r1'),
      '-keyout',
      'root.key',
      '-out',
      'root.pem',
      '-days',
      days,
      '-subj',
      '/C=DE/O=Test Supplier/CN=Test Root',
      '-config',
      'openssl.cnf',
      '-extensions',
      'root',
    ],
    dir,
  );
  openssl(
    [
      'req',
      '-new',
      '-nodes',
      ...ec('secp384r1'),
      '-keyout',
      'intermediate.key',
      '-out',
      'intermediate.csr',
      '-subj',
      '/C=DE/O=Test Supplier/CN=Test Intermediate',
      '-config',
      'openssl.cnf',
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'intermediate.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-CAcreateserial',
      '-out',
      'intermediate.pem',
      '-days',
      days,
      '-extfile',
      'openssl.cnf',
      '-extensions',
      'intermediate',
    ],
    dir,
  );
  openssl(
    [
      'req',
      '-new',
      '-nodes',
      ...ec(options.leafCurve ?? 'prime256v1'),
      '-keyout',
      'leaf.key',
      '-out',
      'leaf.csr',
      '-subj',
      options.subject ?? '/C=DE/ST=Bavaria/O=Test Supplier/CN=Test Signer',
      '-config',
      'openssl.cnf',
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'intermediate.pem',
      '-CAkey',
      'intermediate.key',
      '-CAcreateserial',
      '-out',
      'leaf.pem',
      '-days',
      days,
      '-extfile',
      'openssl.cnf',
      '-extensions',
      options.leafProfile ?? 'leaf',
    ],
    dir,
  );
  const leafDer = derOf(join(dir, 'leaf.pem'));
  const intermediateDer = derOf(join(dir, 'intermediate.pem'));
  return {
    dir,
    rootPem: readFileSync(join(dir, 'root.pem'), 'utf8'),
    rootDer: derOf(join(dir, 'root.pem')),
    intermediateDer,
    leafDer,
    leafKey: createPrivateKey(readFileSync(join(dir, 'leaf.key'))),
    x5c: [leafDer, intermediateDer],
  };
}

export type TargetDescriptor = {
  mediaType: string;
  digest: string;
  size: number;
};

export function descriptorOf(bytes: Buffer, mediaType: string): TargetDescriptor {
  return {
    mediaType,
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    size: bytes.length,
  };
}

export interface EnvelopeOptions {
  alg?: 'ES256' | 'ES384' | 'ES512';
  signingTime?: Date;
  expiry?: Date;
  /** Extra protected headers, and extra `crit` names. */
  extraProtected?: Record<string, unknown>;
  extraCritical?: string[];
  certificates?: Buffer[];
}

const HASH = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' } as const;

function payloadOf(target: TargetDescriptor): Buffer {
  return Buffer.from(JSON.stringify({ targetArtifact: target }));
}

/** A Notary JWS envelope (flattened JSON), ECDSA r‖s, signed by the chain's leaf. */
export function signJws(
  chain: TestChain,
  target: TargetDescriptor,
  options: EnvelopeOptions = {},
): Buffer {
  const alg = options.alg ?? 'ES256';
  const protectedHeader: Record<string, unknown> = {
    alg,
    crit: [
      'io.cncf.notary.signingScheme',
      ...(options.expiry ? ['io.cncf.notary.expiry'] : []),
      ...(options.extraCritical ?? []),
    ],
    cty: 'application/vnd.cncf.notary.payload.v1+json',
    'io.cncf.notary.signingScheme': 'notary.x509',
    'io.cncf.notary.signingTime': (options.signingTime ?? new Date())
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
    ...(options.expiry
      ? { 'io.cncf.notary.expiry': options.expiry.toISOString().replace(/\.\d{3}Z$/, 'Z') }
      : {}),
    ...options.extraProtected,
  };
  const protectedText = Buffer.from(JSON.stringify(protectedHeader)).toString('base64url');
  const payloadText = payloadOf(target).toString('base64url');
  const signature = sign(HASH[alg], Buffer.from(`${protectedText}.${payloadText}`), {
    key: chain.leafKey,
    dsaEncoding: 'ieee-p1363',
  });
  return Buffer.from(
    JSON.stringify({
      payload: payloadText,
      protected: protectedText,
      header: {
        x5c: (options.certificates ?? chain.x5c).map((der) => der.toString('base64')),
        'io.cncf.notary.signingAgent': 'commissioner-tests/1.0',
      },
      signature: signature.toString('base64url'),
    }),
  );
}

const COSE_ALG = { ES256: -7, ES384: -35, ES512: -36 } as const;

/** A Notary COSE_Sign1 envelope (tag 18), signed by the chain's leaf. */
export function signCose(
  chain: TestChain,
  target: TargetDescriptor,
  options: EnvelopeOptions = {},
): Buffer {
  const alg = options.alg ?? 'ES256';
  const seconds = (d: Date) => new Tagged(1, Math.floor(d.getTime() / 1000));
  const header = new Map<unknown, unknown>([
    [1, COSE_ALG[alg]],
    [
      2,
      [
        'io.cncf.notary.signingScheme',
        ...(options.expiry ? ['io.cncf.notary.expiry'] : []),
        ...(options.extraCritical ?? []),
      ],
    ],
    [3, 'application/vnd.cncf.notary.payload.v1+json'],
    ['io.cncf.notary.signingScheme', 'notary.x509'],
    ['io.cncf.notary.signingTime', seconds(options.signingTime ?? new Date())],
  ]);
  if (options.expiry) header.set('io.cncf.notary.expiry', seconds(options.expiry));
  for (const [k, v] of Object.entries(options.extraProtected ?? {})) header.set(k, v);
  const protectedBytes = encode(header);
  const payload = payloadOf(target);
  const toBeSigned = encode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
  const signature = sign(HASH[alg], toBeSigned, { key: chain.leafKey, dsaEncoding: 'ieee-p1363' });
  const certificates = options.certificates ?? chain.x5c;
  const unprotected = new Map<unknown, unknown>([
    [33, certificates.length === 1 ? certificates[0] : certificates],
    ['io.cncf.notary.signingAgent', 'commissioner-tests/1.0'],
  ]);
  return Buffer.from(encode(new Tagged(18, [protectedBytes, unprotected, payload, signature])));
}

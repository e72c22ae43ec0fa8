import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import forge from 'node-forge';
import { dataPaths } from '../../electron/core/store/data-home';
import { REPO_ROOT } from './run-cli';

/**
 * A data home as Commissioner left it before ECDSA identities (issue 17): the trust domain's
 * CA and a client's SVID are RSA-2048, built and signed with node-forge exactly as the earlier
 * `electron/core/identity/certificates.ts` did, and the database is at the migrations before
 * 0014 with the client recorded the way that version recorded it (one serial on its row).
 */

const DAY_MS = 24 * 60 * 60 * 1000;
type Pair = { certPem: string; keyPem: string };

function rsa2048() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    keyPem: privateKey,
  };
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f;
  return bytes.toString('hex');
}

/** The CA that version made: RSA-2048, node-forge's encoding of names and extensions. */
export function legacyCa(trustDomain: string): Pair {
  const keys = rsa2048();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 3650 * DAY_MS);
  const subject = [
    { name: 'organizationName', value: 'Commissioner' },
    { name: 'commonName', value: `Commissioner trust domain ${trustDomain}` },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectAltName', altNames: [{ type: 6, value: `spiffe://${trustDomain}` }] },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

function legacyClientSvid(ca: Pair, spiffeId: string, clientId: string): Pair {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem) as forge.pki.rsa.PrivateKey;
  const keys = rsa2048();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 825 * DAY_MS);
  cert.setSubject([
    { name: 'organizationName', value: 'Commissioner' },
    { name: 'commonName', value: `Margo WFM client ${clientId}` },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: false, clientAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 6, value: spiffeId }] },
    { name: 'subjectKeyIdentifier' },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

/** The database as the migrations before `beforeVersion` leave it, recorded as `migrate` records them. */
function migrateUpTo(path: string, beforeVersion: number): Database.Database {
  const dir = join(REPO_ROOT, 'electron/core/store/migrations');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL
  ) STRICT`);
  for (const file of readdirSync(dir)
    .filter((f) => /^\d{4}-[\w-]+\.sql$/.test(f))
    .sort()) {
    const version = Number(file.slice(0, 4));
    if (version >= beforeVersion) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    db.exec(sql);
    db.prepare(
      'INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)',
    ).run(version, file, createHash('sha256').update(sql).digest('hex'), new Date().toISOString());
  }
  return db;
}

export interface LegacyMargoHome {
  trustDomain: string;
  wfmId: string;
  ca: Pair;
  clientId: string;
  client: Pair;
}

/** Makes `home` a pre-issue-17 data home with one accepted client (`clientId`). */
export function legacyMargoHome(home: string, clientId = 'legacy-gw'): LegacyMargoHome {
  const paths = dataPaths(home);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const dir = join(paths.keys, 'margo');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.keys, 0o700);
  const suffix = randomBytes(4).toString('hex');
  const trustDomain = `plant-${suffix}.commissioner`;
  const wfmId = `commissioner-${suffix}`;
  const ca = legacyCa(trustDomain);
  writeFileSync(join(dir, 'ca-key.pem'), ca.keyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'ca.pem'), ca.certPem);
  writeFileSync(
    join(dir, 'identity.json'),
    `${JSON.stringify({ trustDomain, wfmId, createdAt: new Date().toISOString() }, null, 2)}\n`,
  );
  const spiffeId = `spiffe://${trustDomain}/margo/wfm/${wfmId}/client/${clientId}`;
  const client = legacyClientSvid(ca, spiffeId, clientId);
  // As that version recorded it: hex as TLS reports it, lower case, no leading zeros.
  const serial = new X509Certificate(client.certPem).serialNumber.toLowerCase().replace(/^0+/, '');
  const db = migrateUpTo(paths.database, 14);
  try {
    db.prepare(
      `INSERT INTO margo_clients (client_id, spiffe_id, state, certificate_serial, created_at)
       VALUES (?, ?, 'accepted', ?, ?)`,
    ).run(clientId, spiffeId, serial, new Date().toISOString());
  } finally {
    db.close();
  }
  return { trustDomain, wfmId, ca, clientId, client };
}

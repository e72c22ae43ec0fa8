import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTimestampToken } from '../../../electron/core/signatures/timestamp/verify-timestamp-token';
import { certificatesFromPemOrDer } from '../../../electron/core/signatures/x509/certificate-facts';

// Tokens from a throwaway ECDSA TSA run by `openssl ts`: the stored vectors are all RSA
// PKCS#1 v1.5 with signingCertificateV2, so ECDSA and the older signingCertificate (v1) are
// covered here. (openssl ts refuses to sign with a TSA certificate that breaks RFC 3161's
// rules, so those are covered by the verifyChain tests on generated certificates.)
const CONFIG = `[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign
[tsa_cert]
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
[tsa]
default_tsa = v2
[v2]
serial = serial.txt
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384
accuracy = secs:2, millisecs:5
ess_cert_id_alg = sha256
[v1]
serial = serial.txt
signer_digest = sha384
default_policy = 1.2.3.4.1
digests = sha256
ess_cert_id_alg = sha1
`;

describe('verifyTimestampToken on tokens made by openssl ts (ECDSA P-256)', () => {
  let dir = '';
  const message = Buffer.from('the raw signature bytes');
  const root = () => [
    {
      name: 'test-tsa-root',
      der: certificatesFromPemOrDer(readFileSync(join(dir, 'root.pem')))[0] as Buffer,
    },
  ];
  const token = (name: string) => readFileSync(join(dir, name));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsa-'));
    writeFileSync(join(dir, 'ts.cnf'), CONFIG);
    writeFileSync(join(dir, 'serial.txt'), '01\n');
    writeFileSync(join(dir, 'message'), message);
    // Commands as one line each (no argument contains a space), run in the temporary folder.
    const openssl = (command: string) =>
      execFileSync('openssl', command.split(/\s+/), {
        cwd: dir,
        stdio: 'pipe',
        env: { ...process.env, OPENSSL_CONF: join(dir, 'ts.cnf') },
      });
    const ec = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1';
    openssl(
      `req -x509 -new -nodes ${ec} -keyout root.key -out root.pem -days 2 -subj /CN=Test-TSA-Root -config ts.cnf -extensions ca`,
    );
    openssl(`req -new -nodes ${ec} -keyout tsa.key -out tsa.csr -subj /CN=Test-TSA -config ts.cnf`);
    openssl(
      'x509 -req -in tsa.csr -CA root.pem -CAkey root.key -set_serial 9 -days 1 -out tsa.pem -extfile ts.cnf -extensions tsa_cert',
    );
    openssl('ts -query -data message -sha384 -cert -out sha384.tsq');
    openssl('ts -query -data message -sha256 -cert -out sha256.tsq');
    const reply = (query: string, section: string, out: string) =>
      openssl(
        `ts -reply -config ts.cnf -section ${section} -queryfile ${query} -signer tsa.pem -inkey tsa.key -chain root.pem -token_out -out ${out}`,
      );
    reply('sha384.tsq', 'v2', 'v2.tst');
    reply('sha256.tsq', 'v1', 'v1.tst');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies an ECDSA token with a SHA-384 imprint and signingCertificateV2, reporting its accuracy', () => {
    const verdict = verifyTimestampToken(token('v2.tst'), message, root());
    expect(verdict.ok && verdict.tsa).toBe('CN=Test-TSA');
    expect(verdict.ok && verdict.accuracyMs).toBe(2005);
    expect(verdict.ok && Math.abs(verdict.genTime.getTime() - Date.now())).toBeLessThan(120_000);
    expect(verifyTimestampToken(token('v2.tst'), Buffer.from('other bytes'), root()).ok).toBe(
      false,
    );
  });

  it('verifies a token bound to its certificate by the older signingCertificate (SHA-1 ESSCertID)', () => {
    expect(verifyTimestampToken(token('v1.tst'), message, root()).ok).toBe(true);
  });

  it('accepts the TSA certificate itself as the trust anchor, and nothing without one', () => {
    const tsa = certificatesFromPemOrDer(readFileSync(join(dir, 'tsa.pem')))[0] as Buffer;
    const verdict = verifyTimestampToken(token('v2.tst'), message, [
      { name: 'pinned-tsa', der: tsa },
    ]);
    expect(verdict.ok && verdict.anchor.name).toBe('pinned-tsa');
    expect(verdict.ok && verdict.tsaChain).toHaveLength(1);
    const none = verifyTimestampToken(token('v2.tst'), message, []);
    expect(none.ok || none.reason).toMatch(
      /^the timestamp authority is not trusted: the certificate chain does not contain any trusted certificate/,
    );
  });
});

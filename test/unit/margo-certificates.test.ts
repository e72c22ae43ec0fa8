import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCertificateAuthority, mintSvid } from '../../electron/core/identity/certificates';
import { readCertificate } from '../../electron/core/signatures/x509/certificate-facts';
import { legacyCa } from '../support/legacy-margo-home';

/**
 * The certificates the plant's CA issues, as a strict verifier reads them: the SPIFFE
 * X.509-SVID leaf constraints MIAF enforces at validation (identity/svids.md), names chaining
 * byte for byte, also under a CA that node-forge made (domains from before issue 17).
 */
const TRUST_DOMAIN = 'plant-0a0b0c0d.commissioner';
const CLIENT = `spiffe://${TRUST_DOMAIN}/margo/wfm/commissioner-0a0b0c0d/client/press-gw`;
const DAY_MS = 24 * 60 * 60 * 1000;

function facts(pem: string) {
  return readCertificate(new X509Certificate(pem).raw);
}

describe('certificates of the trust domain', () => {
  it('a P-256 CA: self-signed with ECDSA-SHA256, a CA with keyCertSign and path length 0', () => {
    const ca = createCertificateAuthority(TRUST_DOMAIN);
    const f = facts(ca.certPem);
    expect(f.cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(f.signatureAlgorithm).toBe('1.2.840.10045.4.3.2');
    expect(f.isCA).toBe(true);
    expect(f.pathLen).toBe(0);
    expect(f.keyUsage?.keyCertSign).toBe(true);
    expect(f.cert.subjectAltName).toBe(`URI:spiffe://${TRUST_DOMAIN}`);
    expect(f.cert.verify(f.cert.publicKey)).toBe(true);
    expect(f.subjectDer.equals(f.issuerDer)).toBe(true);
  });

  for (const [label, makeCa] of [
    ['a P-256 CA', () => createCertificateAuthority(TRUST_DOMAIN)],
    ['an RSA-3072 CA', () => createCertificateAuthority(TRUST_DOMAIN, { keyType: 'rsa-3072' })],
    ['an RSA-2048 CA made by node-forge (before issue 17)', () => legacyCa(TRUST_DOMAIN)],
  ] as const) {
    it(`a client SVID under ${label}: the SVID leaf constraints, its issuer's name byte for byte`, () => {
      const ca = makeCa();
      const svid = mintSvid(ca, { spiffeId: CLIENT, commonName: 'c', server: false, days: 30 });
      const leaf = facts(svid.certPem);
      const issuer = facts(ca.certPem);
      expect(leaf.isCA).toBe(false);
      expect(leaf.keyUsage?.digitalSignature).toBe(true);
      expect(leaf.keyUsage?.keyCertSign).toBe(false);
      expect(leaf.keyUsage?.cRLSign).toBe(false);
      expect(leaf.cert.subjectAltName).toBe(`URI:${CLIENT}`);
      expect(leaf.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
      expect(leaf.unknownCritical).toEqual([]);
      expect(leaf.issuerDer.equals(issuer.subjectDer)).toBe(true);
      expect(leaf.cert.checkIssued(issuer.cert)).toBe(true);
      expect(leaf.cert.verify(issuer.cert.publicKey)).toBe(true);
      // The leaf's key is of its CA's kind, RSA at 3072 bits at least.
      const key = leaf.cert.publicKey;
      if (issuer.cert.publicKey.asymmetricKeyType === 'ec') {
        expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      } else {
        expect(key.asymmetricKeyDetails?.modulusLength).toBe(3072);
      }
      // Serial: positive, 16 bytes, minimal DER (no leading zero byte).
      expect(leaf.serial).toMatch(/^[4-7][0-9A-F]{31}$/);
      // Backdated a day for devices whose clocks are behind.
      expect(leaf.notBefore.getTime()).toBeLessThan(Date.now() - 23 * 3600 * 1000);
    });
  }

  it('a server SVID names its hosts; no certificate outlives its CA', () => {
    const ca = createCertificateAuthority(TRUST_DOMAIN, { days: 10 });
    const svid = mintSvid(ca, {
      spiffeId: `spiffe://${TRUST_DOMAIN}/margo/wfm/commissioner-0a0b0c0d`,
      commonName: 'wfm',
      hosts: ['localhost', '127.0.0.1', '::1'],
      server: true,
      days: 397,
    });
    const leaf = facts(svid.certPem);
    expect(leaf.cert.subjectAltName).toBe(
      `URI:spiffe://${TRUST_DOMAIN}/margo/wfm/commissioner-0a0b0c0d, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1`,
    );
    expect(leaf.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(leaf.notAfter.getTime()).toBe(facts(ca.certPem).notAfter.getTime());
    expect(leaf.notAfter.getTime() - Date.now()).toBeLessThan(10 * DAY_MS);
  });
});

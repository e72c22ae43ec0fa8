import { execFileSync } from 'node:child_process';
import { constants, generateKeyPairSync, privateEncrypt, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustAnchor } from '../../../electron/core/signatures/notary-trust';
import { SignatureProblem } from '../../../electron/core/signatures/signature-problem';
import {
  certificatesFromPemOrDer,
  readCertificate,
} from '../../../electron/core/signatures/x509/certificate-facts';
import {
  verifyChain,
  type ChainVerdict,
} from '../../../electron/core/signatures/x509/verify-chain';
import { needsVectors, readVector } from '../../support/signing-vectors';

const NOW = [new Date()];
const DAY = 24 * 60 * 60 * 1000;

function anchorsFrom(path: string): TrustAnchor[] {
  return certificatesFromPemOrDer(readVector(path)).map((der) => ({ name: path, der }));
}

function reason(verdict: ChainVerdict): string {
  if (verdict.ok)
    throw new Error(`expected a refusal, the chain was trusted through ${verdict.anchor.name}`);
  return verdict.reason;
}

/** N-01's x5c: [leaf serial 2 named like its root, NotationTestRoot]. */
function notationTestChain(): Buffer[] {
  const envelope = JSON.parse(
    readVector('notary/envelopes/mock/ca_valid_sig_env.json').toString('utf8'),
  ) as {
    header: { x5c: string[] };
  };
  return envelope.header.x5c.map((certificate) => Buffer.from(certificate, 'base64'));
}

describe('readCertificate', () => {
  it('reads the facts of a stored root (NotationTestRoot.pem)', (context) => {
    needsVectors(context);
    const [der] = certificatesFromPemOrDer(readVector('notary/trust/ca/NotationTestRoot.pem'));
    const facts = readCertificate(der as Buffer);
    expect(facts.subject).toBe('CN=Notation Test Root, O=Notary, L=Seattle, ST=WA, C=US');
    expect(facts.issuer).toBe(facts.subject);
    expect(facts.serial).toBe('01');
    expect(facts.isCA).toBe(true);
    expect(facts.pathLen).toBe(1);
    expect(facts.keyUsage?.keyCertSign).toBe(true);
    expect(facts.keyUsage?.digitalSignature).toBe(false);
    expect(facts.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.3']);
    expect(facts.unknownCritical).toEqual([]);
    expect(facts.sha256.startsWith('86df8041')).toBe(true);
    expect(facts.notAfter.toISOString()).toBe('2122-09-05T20:38:45.000Z');
  });

  it('refuses bytes that are not a certificate, in plain words', () => {
    expect(() => readCertificate(Buffer.from('not a certificate'))).toThrow(SignatureProblem);
    expect(() => readCertificate(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow(
      /not a valid X\.509 certificate/,
    );
  });
});

describe('certificatesFromPemOrDer', () => {
  it('returns DER as it is and every CERTIFICATE block of a PEM bundle', (context) => {
    needsVectors(context);
    const der = readVector('notary/trust/tsa/globalsignRoot-R6.cer');
    expect(certificatesFromPemOrDer(der)).toEqual([der]);
    const pem = readVector('notary/trust/ca/NotationTestRoot.pem').toString('utf8');
    const bundle = Buffer.from(`explanatory text\n${pem}\n${pem}`);
    const blocks = certificatesFromPemOrDer(bundle);
    expect(blocks).toHaveLength(2);
    expect(readCertificate(blocks[1] as Buffer).subject).toContain('CN=Notation Test Root');
  });

  it('refuses PEM text without a certificate', () => {
    expect(() =>
      certificatesFromPemOrDer(
        Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'),
      ),
    ).toThrow(/no certificate/);
  });
});

describe('verifyChain on the stored certificates', () => {
  it('trusts N-01 through NotationTestRoot although the leaf carries the root name (chain by order)', (context) => {
    needsVectors(context);
    const verdict = verifyChain(
      notationTestChain(),
      anchorsFrom('notary/trust/ca/NotationTestRoot.pem'),
      {
        purpose: 'codeSigning',
        validAt: NOW,
      },
    );
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.anchor.name).toBe('notary/trust/ca/NotationTestRoot.pem');
    expect(verdict.leaf.serial).toBe('02');
    expect(verdict.leaf.subject).toBe('CN=Notation Test Root, O=Notary, L=Seattle, ST=WA, C=US');
  });

  it('trusts the N-01 leaf alone when the trusted root issued it', (context) => {
    needsVectors(context);
    const [leaf] = notationTestChain();
    const verdict = verifyChain(
      [leaf as Buffer],
      anchorsFrom('notary/trust/ca/NotationTestRoot.pem'),
      {
        purpose: 'codeSigning',
        validAt: NOW,
      },
    );
    expect(verdict.ok && verdict.path.length).toBe(2);
  });

  it('refuses N-01 against a root that did not issue it (N-02, GlobalSign R3)', (context) => {
    needsVectors(context);
    const verdict = verifyChain(
      notationTestChain(),
      anchorsFrom('notary/trust/ca/GlobalSignRootCA-R3.crt'),
      {
        purpose: 'codeSigning',
        validAt: NOW,
      },
    );
    expect(reason(verdict)).toMatch(/does not contain any trusted certificate/);
    expect(verdict.ok || verdict.leaf?.serial).toBe('02');
  });

  it('trusts a self-signed leaf that is itself in the trust store (e2e.crt, no CA bit)', (context) => {
    needsVectors(context);
    const anchors = anchorsFrom('notary/trust/ca/e2e.crt');
    const verdict = verifyChain([anchors[0]?.der as Buffer], anchors, {
      purpose: 'codeSigning',
      validAt: NOW,
    });
    expect(verdict.ok && verdict.leaf.subject).toBe('CN=e2e, O=Notary, L=Seattle, ST=WA, C=US');
  });

  it('refuses expired_e2e.crt now, naming the certificate and its end of validity', (context) => {
    needsVectors(context);
    const anchors = anchorsFrom('notary/trust/ca/expired_e2e.crt');
    const chain = [anchors[0]?.der as Buffer];
    const refusal = reason(verifyChain(chain, anchors, { purpose: 'codeSigning', validAt: NOW }));
    expect(refusal).toMatch(
      /^the signing certificate "C=AU, ST=Some-State, O=Internet Widgits Pty Ltd" has expired/,
    );
    expect(refusal).toContain('valid until 2023-06-27T06:10:00Z');
    // Inside its day of validity the same certificate is fine: the instant decides.
    const then = verifyChain(chain, anchors, {
      purpose: 'codeSigning',
      validAt: [new Date('2023-06-26T12:00:00Z')],
    });
    expect(then.ok).toBe(true);
  });

  it('checks every instant it is given', (context) => {
    needsVectors(context);
    const anchors = anchorsFrom('notary/trust/ca/e2e.crt');
    const verdict = verifyChain([anchors[0]?.der as Buffer], anchors, {
      purpose: 'codeSigning',
      validAt: [new Date(), new Date('2022-01-01T00:00:00Z')],
    });
    expect(reason(verdict)).toMatch(
      /is not yet valid at 2022-01-01T00:00:00Z \(valid from 2022-12-19T02:43:39Z\)/,
    );
  });

  it('refuses a code-signing certificate as a timestamp authority', (context) => {
    needsVectors(context);
    const anchors = anchorsFrom('notary/trust/ca/e2e.crt');
    const verdict = verifyChain([anchors[0]?.der as Buffer], anchors, {
      purpose: 'timeStamping',
      validAt: NOW,
    });
    expect(reason(verdict)).toMatch(/not a timestamp authority certificate .*it is codeSigning/);
  });

  it('refuses an empty chain and an unreadable certificate', (context) => {
    needsVectors(context);
    const anchors = anchorsFrom('notary/trust/ca/e2e.crt');
    expect(reason(verifyChain([], anchors, { purpose: 'codeSigning', validAt: NOW }))).toBe(
      'the signature carries no certificate',
    );
    expect(
      reason(
        verifyChain([Buffer.from('garbage')], anchors, { purpose: 'codeSigning', validAt: NOW }),
      ),
    ).toMatch(/could not be read/);
  });
});

// ---- Generated hierarchies: what the stored certificates do not cover. ----

type Extension = Record<string, unknown>;

interface Issued {
  der: Buffer;
  key: KeyObject;
  subject: forge.pki.CertificateField[];
}

interface CertificateSpec {
  name: string;
  issuer?: Issued;
  extensions: Extension[];
  /** Another issuer name than the issuer's subject, or another subject name. */
  subject?: forge.pki.CertificateField[];
  notBefore?: Date;
  notAfter?: Date;
  bits?: number;
  /** Sign with this key instead of the issuer's (a forged issuer). */
  signingKey?: KeyObject;
  sha1?: boolean;
}

// DigestInfo prefixes (RFC 8017 9.2): forge builds the certificate, node:crypto signs it
// natively, because forge's JavaScript RSA takes about a second per certificate on a busy machine.
const DIGEST_INFO: Record<string, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha1: Buffer.from('3021300906052b0e03021a05000414', 'hex'),
};

function nativeSigner(key: KeyObject): forge.pki.rsa.PrivateKey {
  const sign = (md: forge.md.MessageDigest) => {
    const hash = Buffer.from(md.digest().getBytes(), 'binary');
    const digestInfo = Buffer.concat([DIGEST_INFO[md.algorithm] as Buffer, hash]);
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString(
      'binary',
    );
  };
  return { sign } as unknown as forge.pki.rsa.PrivateKey;
}

function issue(spec: CertificateSpec): Issued {
  const { publicKey, privateKey: key } = generateKeyPairSync('rsa', {
    modulusLength: spec.bits ?? 2048,
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  cert.serialNumber = Buffer.from(spec.name).toString('hex').slice(0, 16);
  cert.validity.notBefore = spec.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = spec.notAfter ?? new Date(Date.now() + 30 * DAY);
  const subject = spec.subject ?? [
    { name: 'commonName', value: spec.name },
    { name: 'organizationName', value: 'Test Plant' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer?.subject ?? subject);
  cert.setExtensions(spec.extensions);
  cert.sign(
    nativeSigner(spec.signingKey ?? spec.issuer?.key ?? key),
    (spec.sha1 ? forge.md.sha1 : forge.md.sha256).create(),
  );
  return {
    der: Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'),
    key,
    subject,
  };
}

const CA = (pathLenConstraint?: number): Extension[] => [
  {
    name: 'basicConstraints',
    cA: true,
    critical: true,
    ...(pathLenConstraint === undefined ? {} : { pathLenConstraint }),
  },
  { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
];
const LEAF: Extension[] = [
  { name: 'keyUsage', digitalSignature: true, critical: true },
  { name: 'extKeyUsage', codeSigning: true },
];
const TSA_LEAF: Extension[] = [
  { name: 'keyUsage', digitalSignature: true, critical: true },
  { name: 'extKeyUsage', timeStamping: true, critical: true },
];
const UNKNOWN_CRITICAL: Extension = {
  id: '1.3.6.1.4.1.55555.1',
  critical: true,
  value: forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, ''),
};

describe('verifyChain on generated hierarchies', () => {
  const root = issue({ name: 'Test Root', extensions: CA(1) });
  const intermediate = issue({ name: 'Test Intermediate', issuer: root, extensions: CA(0) });
  const leaf = issue({ name: 'Test Signer', issuer: intermediate, extensions: LEAF });
  const rootAnchor: TrustAnchor[] = [{ name: 'plant-root', der: root.der }];
  const codeSigning = { purpose: 'codeSigning' as const, validAt: NOW };

  it('trusts root → intermediate → leaf, with or without the root in the chain', () => {
    const withoutRoot = verifyChain([leaf.der, intermediate.der], rootAnchor, codeSigning);
    expect(withoutRoot.ok && withoutRoot.path.map((facts) => facts.subject)).toEqual([
      'O=Test Plant, CN=Test Signer',
      'O=Test Plant, CN=Test Intermediate',
      'O=Test Plant, CN=Test Root',
    ]);
    const withRoot = verifyChain([leaf.der, intermediate.der, root.der], rootAnchor, codeSigning);
    expect(withRoot.ok && withRoot.anchor.name).toBe('plant-root');
  });

  it('trusts an intermediate in the trust store without its root', () => {
    const verdict = verifyChain(
      [leaf.der, intermediate.der],
      [{ name: 'plant-intermediate', der: intermediate.der }],
      codeSigning,
    );
    expect(verdict.ok && verdict.anchor.name).toBe('plant-intermediate');
    const issuedByAnchor = verifyChain(
      [leaf.der],
      [{ name: 'plant-intermediate', der: intermediate.der }],
      codeSigning,
    );
    expect(issuedByAnchor.ok && issuedByAnchor.path.length).toBe(2);
  });

  it('refuses a chain missing its intermediate', () => {
    expect(reason(verifyChain([leaf.der], rootAnchor, codeSigning))).toMatch(
      /does not contain any trusted certificate/,
    );
  });

  it('refuses certificates out of order', () => {
    expect(reason(verifyChain([intermediate.der, leaf.der], rootAnchor, codeSigning))).toMatch(
      /^the certificate chain is broken: .*"O=Test Plant, CN=Test Intermediate" was not issued by the next certificate/,
    );
  });

  it('refuses an intermediate signed by another key under the root name (forged issuer)', () => {
    const impostor = issue({ name: 'Impostor', extensions: CA() });
    const forged = issue({
      name: 'Test Intermediate',
      issuer: root,
      extensions: CA(0),
      signingKey: impostor.key,
    });
    const forgedLeaf = issue({ name: 'Test Signer', issuer: forged, extensions: LEAF });
    expect(reason(verifyChain([forgedLeaf.der, forged.der], rootAnchor, codeSigning))).toMatch(
      /does not contain any trusted certificate/,
    );
    expect(
      reason(verifyChain([forgedLeaf.der, forged.der, root.der], rootAnchor, codeSigning)),
    ).toMatch(/was not issued by the next certificate .*the issuer signature does not verify/);
  });

  it('accepts a leaf that carries its root name, as N-01 does, because the order decides', () => {
    const twin = issue({ name: 'Twin', issuer: root, subject: root.subject, extensions: LEAF });
    expect(verifyChain([twin.der, root.der], rootAnchor, codeSigning).ok).toBe(true);
  });

  it('respects pathLen', () => {
    const strictRoot = issue({ name: 'Strict Root', extensions: CA(0) });
    const middle = issue({ name: 'Middle', issuer: strictRoot, extensions: CA() });
    const signer = issue({ name: 'Signer', issuer: middle, extensions: LEAF });
    const refusal = reason(
      verifyChain([signer.der, middle.der], [{ name: 'strict', der: strictRoot.der }], codeSigning),
    );
    expect(refusal).toBe(
      'the trusted certificate "O=Test Plant, CN=Strict Root" allows at most 0 intermediate certificates below it, but the chain has 1',
    );
  });

  it('refuses an issuer without the CA bit', () => {
    const notCa = issue({
      name: 'Not A CA',
      issuer: root,
      extensions: [{ name: 'keyUsage', keyCertSign: true, critical: true }],
    });
    const signer = issue({ name: 'Signer', issuer: notCa, extensions: LEAF });
    expect(reason(verifyChain([signer.der, notCa.der], rootAnchor, codeSigning))).toBe(
      'the intermediate certificate "O=Test Plant, CN=Not A CA" is not a CA certificate (basic constraints do not say CA), so it cannot issue certificates',
    );
  });

  it('refuses an issuer whose key usage lacks keyCertSign', () => {
    const noSign = issue({
      name: 'No Cert Sign',
      issuer: root,
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', digitalSignature: true, critical: true },
      ],
    });
    const signer = issue({ name: 'Signer', issuer: noSign, extensions: LEAF });
    expect(reason(verifyChain([signer.der, noSign.der], rootAnchor, codeSigning))).toMatch(
      /"O=Test Plant, CN=No Cert Sign" is not allowed to issue certificates/,
    );
  });

  it('refuses a leaf for other purposes, without digitalSignature, or that is a CA', () => {
    const server = issue({
      name: 'Web Server',
      issuer: intermediate,
      extensions: [
        { name: 'keyUsage', digitalSignature: true },
        { name: 'extKeyUsage', serverAuth: true },
      ],
    });
    expect(reason(verifyChain([server.der, intermediate.der], rootAnchor, codeSigning))).toBe(
      'the signing certificate "O=Test Plant, CN=Web Server" is not meant for code signing (its extended key usage is serverAuth)',
    );
    const encipher = issue({
      name: 'Encipher',
      issuer: intermediate,
      extensions: [{ name: 'keyUsage', keyEncipherment: true }],
    });
    expect(reason(verifyChain([encipher.der, intermediate.der], rootAnchor, codeSigning))).toMatch(
      /lacks digitalSignature/,
    );
    const caLeaf = issue({
      name: 'CA Leaf',
      issuer: intermediate,
      extensions: [{ name: 'basicConstraints', cA: true }],
    });
    expect(reason(verifyChain([caLeaf.der, intermediate.der], rootAnchor, codeSigning))).toMatch(
      /is a CA certificate, which must not sign directly/,
    );
  });

  it('accepts a leaf without key usage extensions (they only restrict when present)', () => {
    const plain = issue({ name: 'Plain', issuer: intermediate, extensions: [] });
    expect(verifyChain([plain.der, intermediate.der], rootAnchor, codeSigning).ok).toBe(true);
  });

  it('refuses an unknown critical extension anywhere on the path', () => {
    const oddLeaf = issue({
      name: 'Odd Leaf',
      issuer: intermediate,
      extensions: [...LEAF, UNKNOWN_CRITICAL],
    });
    expect(reason(verifyChain([oddLeaf.der, intermediate.der], rootAnchor, codeSigning))).toBe(
      'the signing certificate "O=Test Plant, CN=Odd Leaf" has a critical extension this verifier does not understand (1.3.6.1.4.1.55555.1)',
    );
    const oddMiddle = issue({
      name: 'Odd Middle',
      issuer: root,
      extensions: [...CA(), UNKNOWN_CRITICAL],
    });
    const signer = issue({ name: 'Signer', issuer: oddMiddle, extensions: LEAF });
    expect(reason(verifyChain([signer.der, oddMiddle.der], rootAnchor, codeSigning))).toMatch(
      /intermediate certificate .* critical extension/,
    );
    // Not critical: an extension we do not know is ignored, as RFC 5280 asks.
    const mild = issue({
      name: 'Mild',
      issuer: intermediate,
      extensions: [...LEAF, { ...UNKNOWN_CRITICAL, critical: false }],
    });
    expect(verifyChain([mild.der, intermediate.der], rootAnchor, codeSigning).ok).toBe(true);
  });

  it('refuses an expired intermediate, naming it', () => {
    const old = issue({
      name: 'Old Intermediate',
      issuer: root,
      extensions: CA(),
      notBefore: new Date(Date.now() - 10 * DAY),
      notAfter: new Date(Date.now() - 2 * DAY),
    });
    const signer = issue({ name: 'Signer', issuer: old, extensions: LEAF });
    expect(reason(verifyChain([signer.der, old.der], rootAnchor, codeSigning))).toMatch(
      /^the intermediate certificate "O=Test Plant, CN=Old Intermediate" has expired: it was valid until /,
    );
  });

  it('refuses an RSA key shorter than 2048 bits', () => {
    const weak = issue({ name: 'Weak', issuer: intermediate, extensions: LEAF, bits: 1024 });
    expect(reason(verifyChain([weak.der, intermediate.der], rootAnchor, codeSigning))).toMatch(
      /RSA key that is too short \(1024 bits/,
    );
  });

  it('refuses a certificate its issuer signed with SHA-1', () => {
    const legacy = issue({ name: 'Legacy', issuer: intermediate, extensions: LEAF, sha1: true });
    expect(reason(verifyChain([legacy.der, intermediate.der], rootAnchor, codeSigning))).toMatch(
      /^the signing certificate "O=Test Plant, CN=Legacy" is signed with an algorithm that is not accepted \(1\.2\.840\.113549\.1\.1\.5;/,
    );
  });

  it('requires exactly one critical timeStamping usage for a timestamp authority', () => {
    const timestamping = { purpose: 'timeStamping' as const, validAt: NOW };
    const tsa = issue({ name: 'TSA', issuer: intermediate, extensions: TSA_LEAF });
    // The intermediate restricts nothing (no EKU), so it may vouch for a TSA.
    expect(verifyChain([tsa.der, intermediate.der], rootAnchor, timestamping).ok).toBe(true);
    const lax = issue({
      name: 'Lax TSA',
      issuer: intermediate,
      extensions: [
        { name: 'keyUsage', digitalSignature: true },
        { name: 'extKeyUsage', timeStamping: true },
      ],
    });
    expect(reason(verifyChain([lax.der, intermediate.der], rootAnchor, timestamping))).toMatch(
      /not marked critical/,
    );
    const both = issue({
      name: 'Both',
      issuer: intermediate,
      extensions: [{ name: 'extKeyUsage', timeStamping: true, codeSigning: true, critical: true }],
    });
    expect(reason(verifyChain([both.der, intermediate.der], rootAnchor, timestamping))).toMatch(
      /must be exactly timeStamping/,
    );
  });

  it('refuses a CA restricted to other purposes', () => {
    const webCa = issue({
      name: 'Web CA',
      issuer: root,
      extensions: [...CA(), { name: 'extKeyUsage', serverAuth: true }],
    });
    const signer = issue({ name: 'Signer', issuer: webCa, extensions: LEAF });
    expect(reason(verifyChain([signer.der, webCa.der], rootAnchor, codeSigning))).toMatch(
      /"O=Test Plant, CN=Web CA" is restricted to other purposes \(its extended key usage is serverAuth\)/,
    );
  });
});

describe('verifyChain with ECDSA and RSA-PSS signatures (made by openssl)', () => {
  let dir = '';
  const read = (name: string) =>
    certificatesFromPemOrDer(readFileSync(join(dir, name)))[0] as Buffer;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'x509-chain-'));
    writeFileSync(
      join(dir, 'openssl.cnf'),
      [
        '[req]',
        'distinguished_name = dn',
        '[dn]',
        '[ca]',
        'basicConstraints = critical,CA:TRUE',
        'keyUsage = critical,keyCertSign',
        '[leaf]',
        'keyUsage = critical,digitalSignature',
        'extendedKeyUsage = codeSigning',
        '',
      ].join('\n'),
    );
    // Commands as one line each (no argument contains a space), run in the temporary folder.
    const openssl = (command: string) =>
      execFileSync('openssl', command.split(/\s+/), {
        cwd: dir,
        stdio: 'pipe',
        env: { ...process.env, OPENSSL_CONF: join(dir, 'openssl.cnf') },
      });
    const pair = (prefix: string, key: string, sign: string) => {
      openssl(
        `req -x509 -new -nodes ${key} ${sign} -keyout ${prefix}-root.key -out ${prefix}-root.pem -days 2 -subj /CN=${prefix}-root -config openssl.cnf -extensions ca`,
      );
      openssl(
        `req -new -nodes ${key} -keyout ${prefix}-leaf.key -out ${prefix}-leaf.csr -subj /CN=${prefix}-leaf -config openssl.cnf`,
      );
      openssl(
        `x509 -req -in ${prefix}-leaf.csr ${sign} -CA ${prefix}-root.pem -CAkey ${prefix}-root.key -set_serial 7 -days 1 -out ${prefix}-leaf.pem -extfile openssl.cnf -extensions leaf`,
      );
    };
    pair('ec', '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1', '-sha256');
    pair(
      'pss',
      '-newkey rsa:2048',
      '-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['ec', 'pss'])('trusts a %s-signed leaf and refuses it under another root', (prefix) => {
    const leaf = read(`${prefix}-leaf.pem`);
    const root = read(`${prefix}-root.pem`);
    // openssl starts validity at the second it ran, after this file's NOW.
    const now = [new Date()];
    const verdict = verifyChain([leaf], [{ name: `${prefix}-root`, der: root }], {
      purpose: 'codeSigning',
      validAt: now,
    });
    expect(verdict.ok && verdict.leaf.subject).toBe(`CN=${prefix}-leaf`);
    const other = read(`${prefix === 'ec' ? 'pss' : 'ec'}-root.pem`);
    expect(
      reason(
        verifyChain([leaf], [{ name: 'other', der: other }], {
          purpose: 'codeSigning',
          validAt: now,
        }),
      ),
    ).toMatch(/does not contain any trusted certificate/);
  });
});

import { ArtifactTrust, type TrustLevel } from '../../../shared/contract/trust';

/** A digest made of one repeated hex character: easy to tell apart in a failure. */
export function digestOf(c: string): string {
  return `sha256:${c.repeat(64)}`;
}

const policy = (level: TrustLevel, scope: string | null = '*') => ({ scope, level });

/** The demo package, signed by a supplier whose certificate chains to the `acme-root` entry. */
export function signedPackage(level: TrustLevel = 'strict'): ArtifactTrust {
  return ArtifactTrust.parse({
    artifact: digestOf('a'),
    kind: 'package',
    name: 'org-commissioner-demo-line-status@1.0.0',
    format: 'jws',
    verdict: 'verified',
    signer: 'CN=Acme Release Signing,O=Acme Industrial,C=DE',
    trustedBy: 'acme-root',
    signedAt: '2026-03-01T10:00:00.000Z',
    timestampedAt: '2026-03-01T10:00:05.000Z',
    reason: null,
    policy: policy(level),
    signatures: [],
  });
}

/** A component whose signature was made with a certificate that had expired. */
export function invalidComponent(level: TrustLevel = 'strict'): ArtifactTrust {
  return ArtifactTrust.parse({
    artifact: digestOf('b'),
    kind: 'component',
    name: 'line-status@1.0.0',
    format: 'jws',
    verdict: 'invalid',
    signer: 'CN=Someone Else',
    trustedBy: null,
    signedAt: '2026-03-01T10:00:00.000Z',
    reason:
      'the signing certificate expired on 2025-12-31 and no trusted timestamp proves an earlier signing time',
    policy: policy(level),
  });
}

/** An image pinned by digest, with no signature at all. */
export function unsignedImage(
  level: TrustLevel = 'strict',
  scope: string | null = '*',
): ArtifactTrust {
  return ArtifactTrust.parse({
    artifact: digestOf('c'),
    kind: 'image',
    name: `registry.plant.local/demo/busybox@${digestOf('c')}`,
    format: null,
    verdict: 'unsigned',
    signer: null,
    trustedBy: null,
    signedAt: null,
    reason: null,
    policy: policy(level, scope),
  });
}

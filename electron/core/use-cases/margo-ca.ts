import { audited } from '../audit/audited';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { beginCaRotation, finishCaRotation } from '../identity/ca-files';
import { createCertificateAuthority } from '../identity/certificates';
import { KeyType, keyTypeOf } from '../identity/key-type';
import { caFingerprint } from '../identity/margo-clients';
import {
  createPlantIdentity,
  readPlantIdentity,
  type PlantIdentity,
} from '../identity/plant-identity';
import {
  clientsWithoutCertificateFrom,
  endCertificatesIssuedBy,
} from '../store/margo-client-certificates';
import type { Store } from '../store/store';

export const CertificateAuthority = z.strictObject({
  /** `current`: the WFM's certificate chains to it; `next`: the CA a rotation moves to. */
  role: z.enum(['current', 'next']),
  /** `ecdsa-p256`, `rsa-3072`, or what an older domain holds (`rsa-2048`). */
  keyType: z.string(),
  /** SHA-256 of the certificate, `AB:CD:…`, as certificate viewers show it. */
  fingerprint: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
});
export type CertificateAuthority = z.infer<typeof CertificateAuthority>;

export const MargoCaStatus = z.strictObject({
  trustDomain: z.string(),
  wfmSpiffeId: z.string(),
  authorities: z.array(CertificateAuthority),
  rotation: z.strictObject({ startedAt: z.string() }).nullable(),
  /** The trust bundle's `spiffe_sequence`: devices refreshing it see the anchors changed. */
  trustBundleSequence: z.number().int(),
});
export type MargoCaStatus = z.infer<typeof MargoCaStatus>;

function authority(role: CertificateAuthority['role'], certPem: string): CertificateAuthority {
  const cert = new X509Certificate(certPem);
  return {
    role,
    keyType: keyTypeOf(cert.publicKey),
    fingerprint: cert.fingerprint256,
    notBefore: new Date(Date.parse(cert.validFrom)).toISOString(),
    notAfter: new Date(Date.parse(cert.validTo)).toISOString(),
  };
}

function status(identity: PlantIdentity): MargoCaStatus {
  return {
    trustDomain: identity.trustDomain,
    wfmSpiffeId: identity.wfmSpiffeId,
    authorities: [
      authority('current', identity.ca.certPem),
      ...(identity.nextCa ? [authority('next', identity.nextCa.certPem)] : []),
    ],
    rotation: identity.rotation ? { startedAt: identity.rotation.startedAt } : null,
    trustBundleSequence: identity.trustBundleSequence ?? 1,
  };
}

function keyTypeInput(keyType: string | undefined): KeyType | undefined {
  if (keyType === undefined) return undefined;
  const parsed = KeyType.safeParse(keyType);
  if (!parsed.success) {
    throw new CommissionerError(
      'invalid-input',
      `"${keyType}" is not a key type: use ${KeyType.options.join(' or ')}`,
      { field: 'keyType' },
    );
  }
  return parsed.data;
}

function existing(store: Store, what: string): PlantIdentity {
  const identity = readPlantIdentity(store.paths);
  if (!identity) {
    throw new CommissionerError(
      'refused',
      `this laptop has no trust domain yet, so there is no CA to ${what}: it is made on first use, or created with a chosen key type`,
      { reasons: ['no trust domain'] },
    );
  }
  return identity;
}

/** The trust domain and its CA(s), or null when this laptop has none yet (nothing is created). */
export function showMargoCa(store: Store): MargoCaStatus | null {
  const identity = readPlantIdentity(store.paths);
  return identity ? status(identity) : null;
}

/** Creates the trust domain with the key type asked for (ECDSA P-256 by default). */
export function initMargoCa(store: Store, input: { keyType?: string }): MargoCaStatus {
  return audited(store, caOperation('margo.ca.init', input), () => {
    const keyType = keyTypeInput(input.keyType);
    return status(createPlantIdentity(store.paths, keyType ? { keyType } : {}));
  });
}

function caOperation(operation: string, inputs: { keyType?: string; force?: boolean }) {
  return {
    operation,
    target: 'Margo CA',
    inputs: {
      ...(inputs.keyType !== undefined ? { keyType: inputs.keyType } : {}),
      ...(inputs.force !== undefined ? { force: inputs.force } : {}),
    },
  };
}

/**
 * Starts moving the trust domain to a new CA (ECDSA P-256 unless asked otherwise). From now
 * on both CAs are trust anchors: the trust bundle and the ca.pem of every new provisioning
 * bundle hold both, the WFM accepts client certificates from either, and new client
 * certificates (added or renewed clients) come from the new CA. The WFM keeps presenting its
 * certificate from the current CA, which every device provisioned so far trusts, until the
 * rotation is finished.
 */
export function rotateMargoCa(store: Store, input: { keyType?: string }): MargoCaStatus {
  return audited(store, caOperation('margo.ca.rotate', input), () => rotateNow(store, input));
}

function rotateNow(store: Store, input: { keyType?: string }): MargoCaStatus {
  const keyType = keyTypeInput(input.keyType);
  const identity = existing(store, 'rotate');
  if (identity.rotation) {
    throw new CommissionerError(
      'refused',
      `a CA rotation is already under way (since ${identity.rotation.startedAt}): finish it first`,
      { reasons: ['a rotation is under way'] },
    );
  }
  const next = createCertificateAuthority(identity.trustDomain, keyType ? { keyType } : {});
  beginCaRotation(identity.dir, next);
  return status(existing(store, 'rotate'));
}

/**
 * Finishes a rotation: the new CA becomes the only trust anchor and the WFM presents a
 * certificate from it (a running server from its next connection on); certificates from the
 * old CA are refused from then on, also on connections already open. Refused while accepted
 * clients hold no valid certificate from the new CA (renew or revoke them first), unless
 * `force`: those devices are then cut off.
 */
export function finishMargoCaRotation(store: Store, input: { force?: boolean }): MargoCaStatus {
  return audited(store, caOperation('margo.ca.finishRotation', input), () =>
    finishRotationNow(store, input),
  );
}

function finishRotationNow(store: Store, input: { force?: boolean }): MargoCaStatus {
  const identity = existing(store, 'finish rotating');
  if (!identity.rotation || !identity.nextCa) {
    throw new CommissionerError('refused', 'no CA rotation is under way: there is none to finish', {
      reasons: ['no rotation under way'],
    });
  }
  const now = new Date().toISOString();
  const waiting = clientsWithoutCertificateFrom(store, caFingerprint(identity.nextCa.certPem), now);
  if (waiting.length > 0 && !input.force) {
    const named =
      waiting.length > 5
        ? `${waiting.slice(0, 5).join(', ')} and ${waiting.length - 5} more`
        : waiting.join(', ');
    throw new CommissionerError(
      'refused',
      `${waiting.length === 1 ? '1 accepted client holds' : `${waiting.length} accepted clients hold`} no certificate from the new CA yet (${named}): renew them (and install their new bundles) or revoke them before finishing; finishing anyway cuts them off`,
      { reasons: waiting.map((c) => `client ${c} has no certificate from the new CA`) },
    );
  }
  // The database first: a certificate refused a moment early is safe, one accepted late is not.
  endCertificatesIssuedBy(store, caFingerprint(identity.ca.certPem), now);
  finishCaRotation(identity.dir);
  return status(existing(store, 'finish rotating'));
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DevicePlanView } from '../../shared/contract/deploy';
import { ArtifactTrust, type TrustLevel } from '../../shared/contract/trust';
import {
  auditWarning,
  auditedUnverified,
  policyWords,
  refusedByPolicy,
  shortDigests,
  signatureRefusalMessage,
} from '../../shared/trust/artifact-trust-words';
import { auditEntries } from '../../electron/core/store/audit-trail';
import { openStore } from '../../electron/core/store/store';
import { applyDeploy } from '../../electron/core/use-cases/apply-deploy';
import type { PlannedDevice } from '../../electron/core/use-cases/plan-deploy';

const IMAGE_DIGEST = `sha256:${'c'.repeat(64)}`;

function artifact(
  verdict: ArtifactTrust['verdict'],
  level: TrustLevel,
  more: Partial<ArtifactTrust> = {},
): ArtifactTrust {
  return ArtifactTrust.parse({
    artifact: IMAGE_DIGEST,
    kind: 'image',
    name: `registry.plant.local/demo/web@${IMAGE_DIGEST}`,
    format: verdict === 'unsigned' ? null : 'jws',
    verdict,
    signer: null,
    trustedBy: null,
    signedAt: null,
    reason: verdict === 'invalid' ? 'the certificate chain does not end in a trusted root' : null,
    policy: { scope: '*', level },
    ...more,
  });
}

describe('what the trust policy does to a deployment', () => {
  it('strict refuses unsigned and invalid, never verified; audit only warns; skip says nothing', () => {
    const all = (['verified', 'unsigned', 'invalid'] as const).flatMap((v) =>
      (['strict', 'audit', 'skip'] as const).map((l) => artifact(v, l)),
    );
    expect(refusedByPolicy(all).map((a) => [a.verdict, a.policy.level])).toEqual([
      ['unsigned', 'strict'],
      ['invalid', 'strict'],
    ]);
    expect(auditedUnverified(all).map((a) => [a.verdict, a.policy.level])).toEqual([
      ['unsigned', 'audit'],
      ['invalid', 'audit'],
    ]);
  });

  it('the refusal names each artifact, the check that failed and the scope that requires it', () => {
    const message = signatureRefusalMessage('press-1', [
      artifact('unsigned', 'strict', { kind: 'package', name: 'com-acme-line@1.0.0' }),
      artifact('invalid', 'strict', { policy: { scope: 'org:Acme', level: 'strict' } }),
    ]);
    expect(message.split('\n')).toEqual([
      'the trust policy refuses what would be sent to press-1, so nothing changed on it:',
      '  package com-acme-line@1.0.0: it is not signed, and the policy for * refuses unsigned or invalid artifacts',
      `  image registry.plant.local/demo/web@${IMAGE_DIGEST}: the certificate chain does not end in a trusted root, and the policy for org:Acme refuses unsigned or invalid artifacts`,
      'import a kit whose signatures verify against the trust store, or change the policy',
    ]);
  });

  it('words for the policy and the warnings, with digests shortened where people read them', () => {
    expect(policyWords({ scope: '*', level: 'strict' })).toBe(
      'Refuse unsigned or invalid (policy for *)',
    );
    expect(policyWords({ scope: null, level: 'skip' })).toBe('Do not check (default policy)');
    expect(auditWarning(artifact('unsigned', 'audit', { name: 'busybox:1.36' }))).toBe(
      'image busybox:1.36: it is not signed; the policy for * only warns, so it is sent anyway',
    );
    expect(shortDigests(`registry.plant.local/demo/web@${IMAGE_DIGEST}`)).toBe(
      'registry.plant.local/demo/web@sha256:cccccccccccc…',
    );
  });
});

/**
 * A device whose plan can be applied, counting how often it is. planDeploy never hands one out
 * under a refusing policy, so plannings are built by hand here: they stand for any caller that
 * narrows or assembles a planning itself.
 */
function applicable() {
  const counter = { applied: 0 };
  const view: DevicePlanView = {
    ok: true,
    device: 'press-1',
    appId: 'com-acme-line',
    version: '1.0.0',
    profile: 'compose',
    deploymentId: 'dep-1',
    update: null,
    upToDate: false,
    items: [],
    images: [],
    yaml: '',
    digest: `sha256:${'d'.repeat(64)}`,
    hostAccess: [],
    hostAccessDigest: null,
    warnings: [],
  };
  const device: PlannedDevice = {
    device: 'press-1',
    view,
    apply: () => {
      counter.applied += 1;
      return Promise.resolve({
        device: 'press-1',
        deploymentId: 'dep-1',
        revision: 1,
        state: 'installed' as const,
        rolledBackTo: null,
        error: null,
      });
    },
  };
  return { counter, device, digest: view.digest };
}

const APP = { id: 'com-acme-line', version: '1.0.0', name: 'Line' };

// Applying records each device's audit entry in a real store.
const home = mkdtempSync(join(tmpdir(), 'commissioner-deploy-trust-'));
const store = openStore(home);
const audit = { store, inputs: {} };
afterAll(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

describe('applying a planning', () => {
  it('under a strict policy that refuses an artifact, touches no device', async () => {
    const { counter, device, digest } = applicable();
    const progress: string[] = [];
    const outcomes = await applyDeploy(
      { app: APP, devices: [device], signatures: [artifact('unsigned', 'strict')], audit },
      {
        reviewed: { 'press-1': digest },
        onProgress: (_d, p) => {
          if (p.kind === 'state') progress.push(p.state);
        },
      },
    );
    expect(counter.applied).toBe(0);
    expect(outcomes).toEqual([
      {
        device: 'press-1',
        deploymentId: 'dep-1',
        revision: null,
        state: 'refused',
        rolledBackTo: null,
        error: {
          code: 'signature',
          message: expect.stringContaining('it is not signed, and the policy for * refuses'),
          source: 'press-1',
        },
      },
    ]);
    expect(progress).toEqual(['failed']);
    expect(auditEntries(store).at(-1)).toMatchObject({
      operation: 'deploy',
      target: 'press-1',
      outcome: { result: 'refused', error: 'signature' },
    });
  });

  it('under audit, or strict with everything verified, applies it', async () => {
    for (const signatures of [[artifact('unsigned', 'audit')], [artifact('verified', 'strict')]]) {
      const { counter, device } = applicable();
      const outcomes = await applyDeploy({ app: APP, devices: [device], signatures, audit });
      expect(counter.applied).toBe(1);
      expect(outcomes.map((o) => o.state)).toEqual(['installed']);
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  OWNERSHIP_LABELS,
  ownershipLabels,
  readOwnershipLabels,
  takenOverWords,
  type OwnershipStamp,
} from '../../shared/application-deployment/ownership-labels';
import { nextRecord } from '../../electron/core/deployments/docker/device-record-update';

const ana = {
  installation: '6f1c0c7e-6a55-4a8e-9d43-2b1f4f0f3a10',
  engineer: 'Ana',
  host: 'LAPTOP-7',
};
const ben = {
  installation: '0b7e4c52-1f7a-4d7e-8f1e-5a3c9d2e7b44',
  engineer: 'Ben',
  host: 'LAPTOP-9',
};

function stamp(revision: number, owner = ana, deployedAt = `2026-12-06T0${revision}:00:00.000Z`) {
  return {
    deploymentId: 'd-1',
    appId: 'com-example-line-app',
    version: '1.0.0',
    revision,
    deploymentDigest: `sha256:${String(revision).repeat(64)}`,
    valuesDigest: `sha256:${'a'.repeat(64)}`,
    owner,
    deployedAt,
  } satisfies OwnershipStamp;
}

describe('ownership labels', () => {
  it('are read back as written, all under one prefix', () => {
    const labels = ownershipLabels(stamp(3));
    expect(Object.keys(labels).every((k) => k.startsWith('org.margo-commissioner.'))).toBe(true);
    expect(readOwnershipLabels({ ...labels, 'com.docker.compose.project': 'x' })).toEqual(stamp(3));
  });

  it('are not read from what another tool made, or from half a set', () => {
    expect(readOwnershipLabels({ 'com.docker.compose.project': 'x' })).toBeUndefined();
    const { [OWNERSHIP_LABELS.installation]: _gone, ...half } = ownershipLabels(stamp(1));
    expect(readOwnershipLabels(half)).toBeUndefined();
    expect(
      readOwnershipLabels({ ...ownershipLabels(stamp(1)), [OWNERSHIP_LABELS.revision]: 'x' }),
    ).toBeUndefined();
  });

  it('say who took a deployment over in words', () => {
    expect(
      takenOverWords({ owner: ben, deployedAt: '2026-12-06T10:00:00.000Z', revision: 4 }),
    ).toBe('taken over by Ben on LAPTOP-9 at 2026-12-06 10:00 UTC (revision 4 there)');
  });
});

describe('the record a device keeps', () => {
  const added = (revision: number) => ({
    revision,
    version: '1.0.0',
    profile: 'p',
    outcome: 'installed' as const,
    deployment: 'kind: ApplicationDeployment\n',
  });

  it('keeps the revisions of every installation, in order, each with its owner', () => {
    const first = nextRecord(undefined, {
      stamp: stamp(1),
      device: 'press-1',
      version: '1.0.0',
      profile: 'p',
      state: 'installed',
      added: added(1),
      outcomes: { 1: 'installed' },
    });
    const second = nextRecord(first, {
      stamp: stamp(2, ben),
      device: 'line-7',
      version: '1.0.0',
      profile: 'p',
      state: 'installed',
      added: added(2),
      outcomes: { 2: 'installed', 1: 'superseded' },
    });
    expect(second.owner).toEqual(ben);
    expect(second.revision).toBe(2);
    expect(second.revisions.map((r) => [r.revision, r.outcome, r.owner.engineer])).toEqual([
      [1, 'superseded', 'Ana'],
      [2, 'installed', 'Ben'],
    ]);
  });

  it('keeps only the newest 30 revisions', () => {
    let record = undefined as ReturnType<typeof nextRecord> | undefined;
    for (let r = 1; r <= 35; r++) {
      record = nextRecord(record, {
        stamp: stamp(r, ana, `2026-12-06T10:00:${String(r).padStart(2, '0')}.000Z`),
        device: 'press-1',
        version: '1.0.0',
        profile: 'p',
        state: 'installed',
        added: added(r),
      });
    }
    expect(record!.revisions.map((r) => r.revision)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 6),
    );
  });
});

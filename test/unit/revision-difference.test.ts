import { describe, expect, it } from 'vitest';
import {
  revisionDifference,
  type RevisionFacts,
} from '../../shared/application-deployment/revision-difference';
import { MASK } from '../../shared/configuration/secret-heuristic';

const base: RevisionFacts = {
  revision: 1,
  version: '1.2.0',
  profile: 'line-status-compose',
  digest: 'sha256:' + 'a'.repeat(64),
  values: { LINE_NAME: 'Press Hall A', POLL: 30, TAGS: ['a', 'b'], ADMIN_PASSWORD: 's3cret' },
  secrets: ['ADMIN_PASSWORD'],
  components: { 'line-status': '1.2.0' },
  images: { 'line-status/board': { image: 'busybox:1.36', imageId: 'sha256:111' } },
};

describe('the difference between two revisions', () => {
  it('says values old → new, the version, components, images and the digest, in words', () => {
    const next: RevisionFacts = {
      ...base,
      revision: 2,
      version: '1.3.0',
      digest: 'sha256:' + 'b'.repeat(64),
      values: { ...base.values, LINE_NAME: 'Press Hall B', TAGS: ['a', 'c'] },
      components: { 'line-status': '1.3.0' },
      images: { 'line-status/board': { image: 'busybox:1.37', imageId: 'sha256:222' } },
    };
    const d = revisionDifference(base, next);
    expect(d.from).toBe(1);
    expect(d.to).toBe(2);
    expect(d.changes.map((c) => c.kind)).toEqual([
      'version',
      'value',
      'value',
      'component',
      'image',
      'digest',
    ]);
    expect(d.words).toBe(
      'version 1.2.0 → 1.3.0; LINE_NAME: Press Hall A → Press Hall B; TAGS: a, b → a, c; ' +
        'component line-status 1.2.0 → 1.3.0; image of line-status/board: busybox:1.36 → busybox:1.37; ' +
        'deployment digest sha256:aaaaaaaaaaaa… → sha256:bbbbbbbbbbbb…',
    );
    expect(d.changes[1]).toMatchObject({
      subject: 'LINE_NAME',
      from: 'Press Hall A',
      to: 'Press Hall B',
    });
  });

  it('never puts a secret in words: it "changed", from and to stay null', () => {
    const d = revisionDifference(base, {
      ...base,
      revision: 2,
      values: { ...base.values, ADMIN_PASSWORD: 'n3w-secret' },
    });
    expect(d.changes).toEqual([
      {
        kind: 'value',
        subject: 'ADMIN_PASSWORD',
        from: null,
        to: null,
        words: 'ADMIN_PASSWORD changed (secret)',
      },
    ]);
    expect(JSON.stringify(d)).not.toContain('s3cret');
    expect(JSON.stringify(d)).not.toContain('n3w-secret');
  });

  it('says nothing of a secret only one side kept as the mask (adopted from a device)', () => {
    const d = revisionDifference(base, {
      ...base,
      revision: 2,
      values: { ...base.values, ADMIN_PASSWORD: MASK },
    });
    expect(d.changes).toEqual([]);
    expect(d.words).toBe('nothing differs: the same deployment');
  });

  it('names values set and unset, services added, the same image rebuilt; skips unknown images', () => {
    const d = revisionDifference(base, {
      ...base,
      revision: 3,
      values: { LINE_NAME: 'Press Hall A', POLL: 30, TAGS: ['a', 'b'], SITE: 'Plant 1' },
      images: {
        'line-status/board': { image: 'busybox:1.36', imageId: 'sha256:999' },
        'line-status/api': { image: 'api:1', imageId: 'sha256:333' },
      },
    });
    expect(d.changes.map((c) => c.words)).toEqual([
      'ADMIN_PASSWORD no longer set (secret)',
      'SITE: (not set) → Plant 1',
      'service line-status/api added (image api:1)',
      'image busybox:1.36 of line-status/board changed (another build of the same name)',
    ]);
    const unknown = revisionDifference(base, { ...base, revision: 4, images: null });
    expect(unknown.changes).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { Downloads } from '../../electron/core/contract-handlers/downloads';

const zip = {
  name: 'press-gw-margo-bundle.zip',
  mediaType: 'application/zip',
  bytes: new Uint8Array([1, 2, 3]),
};

describe('one-time downloads (a bundle with its key, held in memory)', () => {
  it('hands a download out once, under a token of its own', () => {
    const downloads = new Downloads();
    const a = downloads.offer(zip);
    const b = downloads.offer(zip);
    expect(a.token).not.toBe(b.token);
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).toMatchObject({ name: zip.name, size: 3 });
    expect(downloads.take(a.token)?.bytes).toEqual(zip.bytes);
    expect(downloads.take(a.token)).toBeUndefined();
    expect(downloads.take('not-a-token')).toBeUndefined();
    expect(downloads.take(b.token)?.name).toBe(zip.name);
  });

  it('forgets what was not taken in time', () => {
    let now = 1_000;
    const downloads = new Downloads(60_000, () => now);
    const ticket = downloads.offer(zip);
    now += 59_999;
    const kept = downloads.offer(zip);
    now += 1;
    expect(downloads.take(ticket.token)).toBeUndefined();
    expect(downloads.take(kept.token)).toBeDefined();
  });
});

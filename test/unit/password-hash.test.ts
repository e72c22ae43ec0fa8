import { describe, expect, it } from 'vitest';
import {
  decoyHash,
  hashPassword,
  verifyPassword,
} from '../../electron/core/accounts/password-hash';

describe('password hashes (scrypt)', () => {
  it('keeps scheme, parameters, salt and key, never the password; verifies only the same password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(hash).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts each hash: the same password twice gives two different hashes, both valid', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password'),
      hashPassword('same password'),
    ]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('verifies with the parameters stored in the hash, so raising them later keeps old hashes valid', async () => {
    const light = await hashPassword('older password', { N: 2 ** 10, r: 8, p: 1 });
    expect(light).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('older password', light)).toBe(true);
  });

  it('refuses what is not one of its hashes, without throwing', async () => {
    for (const stored of [
      '',
      'plain',
      'scrypt$x$8$1$aa$bb',
      'bcrypt$10$abc',
      'scrypt$1024$8$1$c2FsdA$c2hvcnQ',
    ]) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
  });

  it('the decoy for unknown names costs a real check and matches no password', async () => {
    const decoy = await decoyHash();
    expect(decoy).toMatch(/^scrypt\$131072\$/);
    const started = performance.now();
    expect(await verifyPassword('guess', decoy)).toBe(false);
    const decoyMs = performance.now() - started;
    const real = await hashPassword('a real password');
    const t = performance.now();
    await verifyPassword('guess', real);
    const realMs = performance.now() - t;
    // Same parameters, same work: within a factor that no scheduler noise on 2 cores exceeds.
    expect(decoyMs).toBeGreaterThan(realMs / 5);
  });
});

import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeOwnerOnly } from '../deployments/owner-only-file';
import type { KeyAndCertificate } from './certificates';
import { readIdentityFile, writeIdentityFile } from './identity-file';

/**
 * A CA rotation on disk, in keys/margo/: the next CA beside the current one
 * (next-ca.pem, next-ca-key.pem), identity.json saying a rotation is under way. Every file is
 * replaced atomically, and identity.json is written last at the start and first at the
 * finish, so an interruption leaves either the state before or one the next start completes.
 */
export function beginCaRotation(dir: string, next: KeyAndCertificate): void {
  const file = readIdentityFile(dir);
  writeOwnerOnly(join(dir, 'next-ca-key.pem'), Buffer.from(next.keyPem));
  writeOwnerOnly(join(dir, 'next-ca.pem'), Buffer.from(next.certPem));
  writeIdentityFile(dir, {
    ...file,
    rotation: { startedAt: new Date().toISOString() },
    trustBundleSequence: (file.trustBundleSequence ?? 1) + 1,
  });
}

/**
 * Makes the next CA the current one: the old certificate is kept in retired/ (for the record;
 * its key is deleted, so nothing can be signed with it again), the next CA's files take
 * ca.pem and ca-key.pem, the rotation is over. Marked `finishing` first, so a start after an
 * interruption completes it (each step can run again with the same result).
 */
export function finishCaRotation(dir: string): void {
  const file = readIdentityFile(dir);
  if (!file.rotation) return;
  writeIdentityFile(dir, { ...file, rotation: { ...file.rotation, finishing: true } });
  completeCaRotation(dir);
}

export function completeCaRotation(dir: string): void {
  const file = readIdentityFile(dir);
  if (!file.rotation?.finishing) return;
  const next = {
    certPem: readFileSync(join(dir, 'next-ca.pem'), 'utf8'),
    keyPem: readFileSync(join(dir, 'next-ca-key.pem'), 'utf8'),
  };
  const current = readFileSync(join(dir, 'ca.pem'), 'utf8');
  if (current !== next.certPem) {
    const retired = join(dir, 'retired');
    mkdirSync(retired, { recursive: true, mode: 0o700 });
    const fingerprint = createHash('sha256')
      .update(new X509Certificate(current).raw)
      .digest('hex')
      .slice(0, 16);
    writeOwnerOnly(join(retired, `ca-${fingerprint}.pem`), Buffer.from(current));
  }
  // The key first: until ca.pem changes too, the old certificate marks this step as not done.
  writeOwnerOnly(join(dir, 'ca-key.pem'), Buffer.from(next.keyPem));
  writeOwnerOnly(join(dir, 'ca.pem'), Buffer.from(next.certPem));
  const { rotation: _done, ...rest } = file;
  writeIdentityFile(dir, { ...rest, trustBundleSequence: (file.trustBundleSequence ?? 1) + 1 });
  for (const name of ['next-ca.pem', 'next-ca-key.pem']) {
    if (existsSync(join(dir, name))) rmSync(join(dir, name));
  }
}

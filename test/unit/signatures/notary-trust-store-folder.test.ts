import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTrustStoreFolder } from '../../../electron/core/signatures/trust-store-folder';
import { needsVectors, readVector } from '../../support/signing-vectors';

const dir = mkdtempSync(join(tmpdir(), 'notary-trust-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function folder(files: Record<string, Buffer | string>): string {
  const root = join(dir, `store-${++n}`);
  mkdirSync(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('loadTrustStoreFolder (--trust-store <dir>)', () => {
  it('reads ca/, signingAuthority/ and tsa/ (PEM or DER, named sub-stores, notation x509/ root), naming each anchor by its path', async (context) => {
    needsVectors(context);
    const pem = readVector('notary/trust/ca/e2e.crt');
    const der = readVector('notary/trust/tsa/globalsignRoot-R6.cer');
    const bundle = Buffer.concat([pem, readVector('notary/trust/ca/NotationTestRoot.pem')]);
    const trust = await loadTrustStoreFolder(
      folder({
        'ca/e2e.crt': pem,
        'ca/acme/bundle.pem': bundle,
        'tsa/r6.cer': der,
        'signingAuthority/sa.pem': pem,
        'ca/.hidden': 'x',
      }),
    );
    expect(trust.ca.map((a) => a.name)).toEqual([
      'ca/acme/bundle.pem',
      'ca/acme/bundle.pem',
      'ca/e2e.crt',
    ]);
    expect(trust.tsa.map((a) => a.name)).toEqual(['tsa/r6.cer']);
    expect(trust.tsa[0]?.der).toEqual(der);
    expect(trust.signingAuthority.map((a) => a.name)).toEqual(['signingAuthority/sa.pem']);
    const notation = await loadTrustStoreFolder(folder({ 'x509/ca/e2e/e2e.crt': pem }));
    expect(notation).toMatchObject({
      ca: [{ name: 'ca/e2e/e2e.crt' }],
      tsa: [],
      signingAuthority: [],
    });
  });

  it('refuses what would make it trust the wrong thing: links, non-certificates, an empty tsa folder, no store folders', async (context) => {
    needsVectors(context);
    const linked = folder({ 'ca/real.crt': readVector('notary/trust/ca/e2e.crt') });
    symlinkSync('/etc/ssl/certs', join(linked, 'ca', 'system'));
    await expect(loadTrustStoreFolder(linked)).rejects.toThrow(
      /ca\/system in the trust store is not a regular certificate file/,
    );
    await expect(loadTrustStoreFolder(folder({ 'ca/readme.txt': 'hello' }))).rejects.toThrow(
      /ca\/readme\.txt in the trust store is not a certificate/,
    );
    const emptyTsa = folder({ 'ca/e2e.crt': readVector('notary/trust/ca/e2e.crt') });
    mkdirSync(join(emptyTsa, 'tsa'));
    await expect(loadTrustStoreFolder(emptyTsa)).rejects.toThrow(
      /tsa folder holds no certificates/,
    );
    await expect(loadTrustStoreFolder(folder({ 'other/x.pem': 'x' }))).rejects.toThrow(
      /none of the folders ca, signingAuthority or tsa/,
    );
    await expect(loadTrustStoreFolder(join(dir, 'absent'))).rejects.toMatchObject({
      name: 'not-found',
    });
  });
});

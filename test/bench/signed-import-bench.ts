import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importSources } from '../../electron/core/import/import-sources';
import { openStore } from '../../electron/core/store/store';
import { packKit } from '../../electron/core/use-cases/pack-kit';
import { createSigningRoot, issueCodeSigningCert } from '../support/signing-identity';
import { trustCommands } from '../support/trust-setup';
import type { Measure } from './run';

const DEMO = new URL('../../resources/demo', import.meta.url).pathname;
const RUNS = 15;

/**
 * What checking signatures costs an import: the demo kit (package and compose component)
 * signed by `kit pack --sign`, imported under a strict policy with its root trusted, against
 * the same kit unsigned with no policy — medians of fresh stores, in the same run. The kit is
 * tiny on purpose: the fixed cost per signature (chain parsing, one verification, the stored
 * verdict) shows; in kits with images, hashing the layers dominates and the ratio nears 1.
 */
export async function signedImportBenchmarks(): Promise<Measure[]> {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-bench-signed-'));
  try {
    const ca = createSigningRoot(root, 'Bench Root');
    const signer = issueCodeSigningCert(ca, root, 'Bench Signing');
    const pack = (out: string, sign: boolean) =>
      packKit({
        packageDir: join(DEMO, 'package'),
        packageShownAs: 'package',
        components: [{ name: 'line-status', revision: '1.0.0', dir: join(DEMO, 'compose') }],
        images: [],
        out,
        ...(sign ? { sign: { keyPath: signer.keyPath, certPath: signer.chainPath } } : {}),
      });
    await pack(join(root, 'signed.tar'), true);
    await pack(join(root, 'unsigned.tar'), false);
    // Data homes made once and copied for every run: each import goes into an empty catalog.
    const plain = join(root, 'plain-home');
    openStore(plain).close();
    const trusted = join(root, 'trusted-home');
    openStore(trusted).close();
    const trust = trustCommands(trusted);
    await trust.addCa('bench', ca.certPath);
    await trust.policy('*', 'strict');

    const time = async (kit: string, template: string) => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const home = join(root, `${kit}-${i}-${Math.random().toString(36).slice(2)}`);
        cpSync(template, home, { recursive: true });
        const store = openStore(home);
        try {
          const start = performance.now();
          const report = await importSources(store, [{ input: kit, path: join(root, kit) }]);
          times.push(performance.now() - start);
          if (report.imported.length !== 2) throw new Error(`${kit}: ${JSON.stringify(report)}`);
        } finally {
          store.close();
        }
      }
      times.sort((a, b) => a - b);
      return times[times.length >> 1] as number;
    };
    await time('signed.tar', trusted); // warm-up: module loading and JIT for both paths
    // Alternated rounds, so neither side profits from running later in a warmer process.
    const rounds: [number, number][] = [];
    for (let r = 0; r < 3; r++)
      rounds.push([await time('unsigned.tar', plain), await time('signed.tar', trusted)]);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1] as number;
    const unsigned = median(rounds.map((r) => r[0]));
    const signed = median(rounds.map((r) => r[1]));
    const ratio = Math.round((signed / unsigned) * 100) / 100;
    return [
      {
        name: 'import the demo kit signed (strict, verified) vs unsigned (no policy)',
        value: ratio,
        unit: '×',
        target: '≤ 2',
        pass: ratio <= 2,
        detail: `median of 3 × ${RUNS} each: signed ${Math.round(signed * 10) / 10} ms, unsigned ${Math.round(unsigned * 10) / 10} ms`,
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

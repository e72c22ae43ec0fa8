import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSources } from '../../electron/core/import/import-sources';
import { openStore } from '../../electron/core/store/store';
import { makeKit, makePackageFixture } from '../support/kit-fixture';
import { CLI } from '../support/run-cli';
import { snapshotStore } from '../support/store-snapshot';

const root = mkdtempSync(join(tmpdir(), 'commissioner-interrupt-'));
const home = join(root, 'home');
let bigKit: string;

beforeAll(async () => {
  // A store that already holds something, so "as before" is not trivially "empty".
  const small = await makePackageFixture(join(root, 'small'), { id: 'com-example-small' });
  const store = openStore(home);
  try {
    await importSources(store, [{ input: small.packageDir, path: small.packageDir }]);
  } finally {
    store.close();
  }
  const big = await makePackageFixture(join(root, 'big'), {
    imageLayers: [{ bigFile: { path: 'data/blob.bin', bytes: 256 * 1024 * 1024 } }],
  });
  bigKit = await makeKit(big, join(root, 'big-kit'));
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function stagedBytes(): number {
  let total = 0;
  const tmp = join(home, 'tmp');
  for (const dir of readdirSync(tmp)) {
    const path = join(tmp, dir);
    if (!statSync(path).isDirectory()) continue;
    for (const f of readdirSync(path)) total += statSync(join(path, f)).size;
  }
  return total;
}

function startImport(env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [CLI, 'import', bigKit, '--json'], {
    env: { ...process.env, COMMISSIONER_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { child, exited };
}

describe('an interrupted import leaves the store exactly as before', () => {
  it('killed while copying the kit: the next start removes its staging, nothing else changed', async () => {
    const before = snapshotStore(home);
    const { child, exited } = startImport();
    // Kill it for real once it is well into staging the 256 MiB layer.
    while (stagedBytes() < 32 * 1024 * 1024) {
      const done = await Promise.race([
        exited.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 20)),
      ]);
      if (done) throw new Error('the import finished before it could be interrupted');
    }
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
    expect(stagedBytes()).toBeGreaterThan(0);

    const store = openStore(home);
    try {
      expect(store.recovery.staleStaging).toBe(1);
      expect(store.recovery.orphanBlobs).toBe(0);
    } finally {
      store.close();
    }
    expect(snapshotStore(home)).toEqual(before);
  }, 60_000);

  it('killed after renaming blobs into the store but before the commit: the orphans are removed at the next start', async () => {
    const before = snapshotStore(home);
    // Test-only fault injection: the exact moment between rename and COMMIT cannot be hit from outside.
    const { exited } = startImport({ COMMISSIONER_FAULT: 'kill-before-commit' });
    expect((await exited).signal).toBe('SIGKILL');
    const store = openStore(home);
    try {
      expect(store.recovery.orphanBlobs).toBeGreaterThan(0);
    } finally {
      store.close();
    }
    expect(snapshotStore(home)).toEqual(before);
  }, 60_000);

  it('after both, the same kit imports normally', async () => {
    const { exited, child } = startImport();
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    expect((await exited).code).toBe(0);
    const report = JSON.parse(stdout) as { imported: { ref: string }[] };
    expect(report.imported.map((i) => i.ref).sort()).toEqual([
      'com-example-line-monitor:1.2.0',
      'registry.example.com/compose/monitor:1.2.0',
      'registry.example.com/monitor:1.2.0',
    ]);
  }, 60_000);
});

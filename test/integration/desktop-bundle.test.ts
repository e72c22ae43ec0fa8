import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleShell, EXTERNAL } from '../../electron/build/bundle-shell';
import { MAIN_BUNDLE, PRELOAD_BUNDLE } from '../../electron/build/paths';

/**
 * The Electron binary cannot be downloaded on these machines, so the desktop app cannot be
 * launched here (the smoke test in test/e2e says so when it skips). What can be checked
 * without it is checked: the shell bundles, the main process loads only Node, Electron and the
 * native modules from outside its bundle, and the sandboxed preload loads nothing but
 * Electron (a sandboxed preload that required anything else would fail to start).
 */
function requires(code: string): Set<string> {
  return new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!));
}

describe('desktop shell bundle', () => {
  it('bundles main and preload with nothing outside but Node, Electron and native modules', async () => {
    await bundleShell();
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const main = requires(readFileSync(MAIN_BUNDLE, 'utf8'));
    expect(main.has('electron')).toBe(true);
    expect(main.has('better-sqlite3')).toBe(true);
    const foreign = [...main].filter((m) => !builtins.has(m) && !EXTERNAL.includes(m));
    expect(foreign).toEqual([]);

    const preload = readFileSync(PRELOAD_BUNDLE, 'utf8');
    expect([...requires(preload)]).toEqual(['electron']);
    // The bridge exposes the contract's functions under one name, nothing else.
    expect(preload).toContain('exposeInMainWorld');
    expect(preload.match(/exposeInMainWorld/g)?.length).toBe(1);
  }, 120_000);
});

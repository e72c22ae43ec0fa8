import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/run-cli';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${filePath}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

describe('architecture boundaries enforced by lint', () => {
  it('shared/ may not import Node modules, in any spelling', async () => {
    for (const source of [
      "import { readFileSync } from 'node:fs';",
      "import { join } from 'path';",
      "import { spawn } from 'child_process';",
    ]) {
      const messages = await restricted('shared/probe.ts', `${source}\nexport const x = 1;\n`);
      expect(messages.join(), source).toMatch(/shared\/ is isomorphic/);
    }
  });

  it('shared/ may not use Node or DOM globals', async () => {
    expect(await restricted('shared/probe.ts', 'export const x = document.title;\n')).not.toEqual(
      [],
    );
    expect(await restricted('shared/probe.ts', 'export const y = process.env.HOME;\n')).not.toEqual(
      [],
    );
    expect(await restricted('shared/probe.ts', "export const z = Buffer.from('a');\n")).not.toEqual(
      [],
    );
  });

  it('shared/ may not import I/O libraries', async () => {
    expect(
      await restricted(
        'shared/probe.ts',
        "import Database from 'better-sqlite3';\nexport const d = Database;\n",
      ),
    ).not.toEqual([]);
  });

  it('only the Electron shell imports electron', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    for (const file of [
      'electron/core/probe.ts',
      'electron/main.ts',
      'electron/browser-host/probe.ts',
      'electron/cli/probe.ts',
      'renderer/probe.ts',
      'shared/probe.ts',
    ]) {
      expect((await restricted(file, code)).join(), file).toMatch(/electron/);
    }
    for (const file of [
      'electron/shell/main.ts',
      'electron/shell/preload.ts',
      'electron/shell/window.ts',
    ]) {
      expect(await restricted(file, code), file).toEqual([]);
    }
  });

  it('the renderer reaches the core only through the contract', async () => {
    for (const source of [
      "import { readFileSync } from 'node:fs';",
      "import Database from 'better-sqlite3';",
      "import { openStore } from '../../electron/core/store/store';",
    ]) {
      const messages = await restricted(
        'renderer/src/probe.ts',
        `${source}\nexport const x = 1;\n`,
      );
      expect(messages.join(), source).toMatch(/renderer/);
    }
    expect(
      await restricted(
        'renderer/src/probe.ts',
        "import { OPERATIONS } from '../../shared/contract/operations';\nexport const o = OPERATIONS;\n",
      ),
    ).toEqual([]);
  });

  it('the repository itself passes these rules (npm test runs lint too)', async () => {
    const results = await eslint.lintFiles([
      'shared/**/*.ts',
      'electron/**/*.ts',
      'renderer/src/**/*.{ts,tsx}',
    ]);
    const violations = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId?.startsWith('no-restricted'))
        .map((m) => `${r.filePath}: ${m.message}`),
    );
    expect(violations).toEqual([]);
    // Linting the whole repository takes tens of seconds on a busy 2-core machine.
  }, 180_000);
});

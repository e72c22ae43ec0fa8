import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCliBundle } from '../../electron/build/cli-bundle-stamp.mjs';
import { METAFILE } from '../../electron/build/bundle-cli';
import { CLI_OUT, ROOT } from '../../electron/build/paths';
import { REPO_ROOT, runCli } from '../support/run-cli';

const VERSION = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** The chunks Node loads for an output before running it: its static imports, transitively. */
function staticClosure(metafile: Metafile, output: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const i of metafile.outputs[path]?.imports ?? [])
      if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(output);
  return [...seen];
}

describe('the commissioner launcher and its bundle', () => {
  it('--version and -V print the version in package.json, and only that', async () => {
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${VERSION}\n`);
      expect(run.stderr).toBe('');
    }
  });

  it('--help loads commander and the program, none of the commands or their libraries', async () => {
    const built = checkCliBundle(ROOT, CLI_OUT);
    if (!built.entry) throw new Error(`the CLI bundle is not current: ${built.stale}`);
    const metafile = JSON.parse(
      readFileSync(join(dirname(built.entry), METAFILE), 'utf8'),
    ) as Metafile;
    const entry = relative(ROOT, built.entry);
    const loaded = staticClosure(metafile, entry);
    const inputs = loaded.flatMap((o) => Object.keys(metafile.outputs[o]!.inputs));
    const externals = loaded.flatMap((o) =>
      metafile.outputs[o]!.imports.filter((i) => i.external).map((i) => i.path),
    );
    expect(inputs.filter((i) => /node_modules\/(zod|yaml|semver|ws|node-forge)\//.test(i))).toEqual(
      [],
    );
    expect(inputs.filter((i) => i.startsWith('electron/cli/commands/'))).toEqual([]);
    expect(inputs.some((i) => i.includes('node_modules/commander/'))).toBe(true);
    expect(externals.filter((e) => !e.startsWith('node:'))).toEqual([]);
    // The command modules are there, as chunks loaded when their command runs.
    const lazy = metafile.outputs[entry]!.imports.filter((i) => i.kind === 'dynamic-import');
    expect(lazy.length).toBeGreaterThanOrEqual(11);
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: commissioner');
  });

  it('finds the files its modules read beside their sources: migrations, from the bundle', async () => {
    const home = mkdtempSync(join(tmpdir(), 'commissioner-launcher-home-'));
    try {
      const run = await runCli(['catalog', 'list', '--json'], {
        env: { COMMISSIONER_HOME: home },
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  describe('in a copy of the sources, which it builds for itself', () => {
    const copy = mkdtempSync(join(tmpdir(), 'commissioner-launcher-'));
    beforeAll(() => {
      for (const part of ['electron', 'shared', 'package.json', 'tsconfig.json'])
        cpSync(join(REPO_ROOT, part), join(copy, part), { recursive: true });
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'));
    });
    afterAll(() => rmSync(copy, { recursive: true, force: true }));
    const launcher = join(copy, 'electron', 'cli', 'commissioner.mjs');
    const cli = (args: string[]) => runCli(args, { command: [process.execPath, launcher] });
    const current = () => checkCliBundle(copy, join(copy, 'out', 'cli'));

    it('builds on first use, then runs that build while nothing changed', async () => {
      expect(current().stale).toBe('it is not built yet');
      const first = await cli(['--version']);
      expect(first).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
      const build = current().entry;
      expect(build).toBeDefined();
      expect((await cli(['-V'])).code).toBe(0);
      expect(current().entry).toBe(build);
    }, 120_000);

    it('never runs stale code: a changed source is rebuilt before it runs', async () => {
      const before = current().entry;
      const main = join(copy, 'electron', 'cli', 'main.ts');
      const source = readFileSync(main, 'utf8');
      writeFileSync(main, source.replace('import, check and deploy', 'import, check, deploy'));
      expect(current().stale).toBe('electron/cli/main.ts changed');
      const run = await cli(['--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Commissioner: import, check, deploy Margo applications');
      expect(current().entry).not.toBe(before);
    }, 120_000);

    it('says in one line why it cannot run when the sources do not build, and exits 2', async () => {
      const output = join(copy, 'electron', 'cli', 'output.ts');
      writeFileSync(output, `${readFileSync(output, 'utf8')}\nexport const broken = ;\n`);
      const run = await cli(['--version']);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(
        /^commissioner: the CLI in .* is out of date \(electron\/cli\/output\.ts changed\) and could not be rebuilt: electron\/cli\/output\.ts:\d+:\d+: ERROR: .* run npm run build:cli to see why\n$/,
      );
    }, 120_000);
  });
});

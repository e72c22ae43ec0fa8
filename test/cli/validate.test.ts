import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationReport } from '../../shared/validation/diagnostic';
import { BASE_DESCRIPTION, edit } from '../support/base-documents';
import { CLI, REPO_ROOT, runCli } from '../support/run-cli';
import { needsSpec, specPath } from '../support/spec-examples';

const VALID = specPath(
  'pre-draft_v1.0.0-rc.3/src/specification/applications/resources/examples/valid/ApplicationDescription-001.yaml',
);
const INVALID = specPath(
  'pre-draft_v1.0.0-rc.3/src/specification/applications/resources/examples/invalid/ApplicationDescription-002.yaml',
);
const LINE = /^(.+):(\d+):(\d+): (error|warning): (.+) \[([a-z0-9-]+)\]$/;

describe('commissioner validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'commissioner-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 for a valid description and says so', async (context) => {
    needsSpec(context);
    const run = await runCli(['validate', VALID]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`${VALID}: valid, no findings`);
  });

  it('prints one line per finding as file:line:col: severity: message [rule], then a summary, and exits 1', async (context) => {
    needsSpec(context);
    const run = await runCli(['validate', INVALID]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    const findings = lines.slice(0, -1);
    expect(findings.length).toBeGreaterThan(1);
    for (const line of findings) expect(line).toMatch(LINE);
    expect(findings[0]).toMatch(
      new RegExp(`^${INVALID}:5:5: error: application id .* \\[app-id-pattern\\]$`),
    );
    expect(lines.at(-1)).toMatch(/: invalid, 1 error, \d+ warnings$/);
  });

  it('--json prints exactly one JSON object of the documented shape, before or after the path', async (context) => {
    needsSpec(context);
    for (const args of [
      ['validate', '--json', INVALID],
      ['validate', INVALID, '--json'],
      ['--json', 'validate', INVALID],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(1);
      const report = ValidationReport.parse(JSON.parse(run.stdout));
      expect(run.stdout.trim().split('\n')).toHaveLength(1);
      expect(report.valid).toBe(false);
      expect(report.diagnostics[0]).toEqual({
        severity: 'error',
        rule: 'app-id-pattern',
        message: expect.stringContaining('an-incorrect-id-with-special-chars**&%'),
        file: INVALID,
        line: 5,
        column: 5,
        path: 'id',
      });
    }
  });

  it('--json still prints its object for YAML syntax errors, bad encoding and oversize files (exit 1)', async () => {
    const files = {
      'syntax.yaml': 'a: "unclosed\n',
      'latin1.yaml': Buffer.from('name: Überwachung\n', 'latin1'),
      'big.yaml': Buffer.alloc(1024 * 1024 + 1, 'a'),
    };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(dir, name), content);
      const run = await runCli(['validate', join(dir, name), '--json']);
      expect(run.code, name).toBe(1);
      const report = ValidationReport.parse(JSON.parse(run.stdout));
      expect(report.valid).toBe(false);
      expect(report.diagnostics[0]?.rule).toBe(
        {
          'syntax.yaml': 'yaml-syntax',
          'latin1.yaml': 'file-encoding',
          'big.yaml': 'file-too-large',
        }[name],
      );
    }
  });

  it('exits 2 only for a missing or unreadable path, with the reason on stderr and nothing on stdout', async () => {
    const run = await runCli(['validate', join(dir, 'does-not-exist.yaml'), '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('does-not-exist.yaml does not exist');
    const usage = await runCli(['validate']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("missing required argument 'path'");
    const unknown = await runCli(['validate', VALID, '--frobnicate']);
    expect(unknown.code).toBe(2);
  });

  it('validates a package directory: the description and the files it references', async () => {
    const pkg = join(dir, 'line-monitor');
    mkdirSync(join(pkg, 'resources'), { recursive: true });
    writeFileSync(join(pkg, 'margo.yaml'), BASE_DESCRIPTION);
    writeFileSync(join(pkg, 'resources', 'icon.png'), 'png');
    const run = await runCli(['validate', pkg, '--json']);
    expect(JSON.parse(run.stdout)).toEqual({
      valid: false,
      diagnostics: [
        expect.objectContaining({
          rule: 'package-file-missing',
          file: join(pkg, 'margo.yaml'),
          path: 'metadata.catalog.application.descriptionFile',
          line: 10,
          column: 24,
        }),
      ],
    });
    expect(run.code).toBe(1);
    writeFileSync(join(pkg, 'resources', 'description.md'), '# Line Monitor');
    expect((await runCli(['validate', pkg])).code).toBe(0);
  });

  it('resolves relative paths against the directory it was called from (npm run cli and the bin)', async () => {
    const here = join(dir, 'caller');
    mkdirSync(here, { recursive: true });
    writeFileSync(join(here, 'app.yaml'), edit(BASE_DESCRIPTION, 'version: 1.2.0', 'version: 1.0'));
    const viaNpm = await runCli(
      ['--prefix', REPO_ROOT, 'run', '--silent', 'cli', '--', 'validate', 'app.yaml', '--json'],
      {
        cwd: here,
        command: ['npm'],
      },
    );
    expect(viaNpm.code).toBe(0);
    expect(JSON.parse(viaNpm.stdout)).toMatchObject({
      valid: true,
      diagnostics: [{ rule: 'type-coerced', file: 'app.yaml' }],
    });
    const viaBin = await runCli(['validate', 'app.yaml', '--json'], { cwd: here, command: [CLI] });
    expect(viaBin.code).toBe(0);
    expect(JSON.parse(viaBin.stdout)).toMatchObject({
      valid: true,
      diagnostics: [{ file: 'app.yaml', line: 6, column: 12 }],
    });
  });
});

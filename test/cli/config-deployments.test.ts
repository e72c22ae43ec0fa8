import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASK } from '../../shared/configuration/secret-heuristic';
import { validateDocumentText } from '../../shared/validation/validate-document';
import { BASE_DESCRIPTION, edit } from '../support/base-documents';
import { runCli } from '../support/run-cli';

const root = mkdtempSync(join(tmpdir(), 'commissioner-cli-deploy-'));
const env = { COMMISSIONER_HOME: join(root, 'home') };
const cli = (args: string[], cwd = root) => runCli(args, { env, cwd });
const APP = 'com-example-line-monitor';

/** The base package with a secret, an immutable choice and a list setting added. */
const DESCRIPTION = edit(
  edit(
    edit(
      BASE_DESCRIPTION,
      'configuration:\n',
      `  dbPassword:
    value: factory-default-pw
    targets:
      - pointer: DB_PASSWORD
        components: [monitor]
  mode:
    value: safe
    targets:
      - pointer: MODE
        components: [monitor]
  plcHosts:
    targets:
      - pointer: PLC_HOSTS
        components: [monitor]
configuration:
`,
    ),
    '          schema: siteText\n',
    `          schema: siteText
        - parameter: dbPassword
          name: Database password
          schema: siteText
        - parameter: mode
          name: Mode
          immutable: true
          schema: modes
        - parameter: plcHosts
          name: PLC hosts
          schema: hosts
`,
  ),
  '      maxLength: 40\n',
  `      maxLength: 40
    - name: modes
      dataType: string
      options: [safe, fast]
    - name: hosts
      dataType: array[string]
      allowEmpty: true
`,
);

beforeAll(async () => {
  const pkg = join(root, 'package');
  mkdirSync(join(pkg, 'resources'), { recursive: true });
  writeFileSync(join(pkg, 'margo.yaml'), DESCRIPTION);
  writeFileSync(join(pkg, 'resources', 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(pkg, 'resources', 'description.md'), '# Line Monitor\n');
  const imported = await cli(['import', 'package']);
  if (imported.code !== 0) throw new Error(imported.stdout + imported.stderr);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('config schema', () => {
  it('--json prints {schema, uiSchema} with standard keywords, secrets masked', async () => {
    const run = await cli(['config', 'schema', APP, '--profile', 'line-monitor-compose', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      schema: Record<string, never>;
      uiSchema: Record<string, never>;
    };
    expect(out.schema.properties).toMatchObject({
      pollSeconds: {
        type: 'integer',
        minimum: 5,
        maximum: 3600,
        default: 30,
        title: 'Poll interval',
      },
      siteName: { type: 'string', maxLength: 40, default: 'Plant 1' },
      mode: { type: 'string', enum: ['safe', 'fast'] },
      plcHosts: { type: 'array', items: { type: 'string' } },
      dbPassword: { default: MASK, writeOnly: true },
    });
    expect(out.uiSchema).toMatchObject({
      dbPassword: { 'ui:widget': 'password' },
      'ui:order': expect.any(Array),
    });
    expect(run.stdout).not.toContain('factory-default-pw');
  });

  it('prints the form for people, and asks for a profile when there are several (exit 2)', async () => {
    const run = await cli([
      'config',
      'schema',
      `${APP}@1.2.0`,
      '--profile',
      'line-monitor-compose',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Poll interval [pollSeconds]: integer, ≥ 5, ≤ 3600, required');
    expect(run.stdout).toContain('goes to environment variable POLL_SECONDS of monitor');
    expect(run.stdout).not.toContain('factory-default-pw');
    const ambiguous = await cli(['config', 'schema', APP]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('has 2 profiles: choose one');
    expect(ambiguous.stderr).toContain('choose it with --profile <id>');
    const missing = await cli(['config', 'schema', 'com-example-nothing', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
  });
});

describe('deployments render', () => {
  const renderIn = (cwd: string, ...extra: string[]) =>
    cli(
      [
        'deployments',
        'render',
        APP,
        '--device',
        'press-42',
        '--profile',
        'line-monitor-compose',
        ...extra,
      ],
      cwd,
    );
  const render = (...extra: string[]) => renderIn(root, ...extra);

  it('prints the deployment YAML with secrets masked, and the same bytes every time', async () => {
    const first = await render('--set', 'pollSeconds=60', '--set', 'plcHosts=10.0.0.5,10.0.0.6');
    expect(first.code, first.stderr).toBe(0);
    const deployment = parse(first.stdout) as {
      id: string;
      metadata: Record<string, unknown>;
      spec: { parameters: Record<string, { value: unknown }> };
    };
    expect(deployment.metadata).toMatchObject({
      name: `${APP}-press-42`,
      namespace: APP,
      deviceId: 'press-42',
    });
    expect(deployment.spec.parameters.pollSeconds?.value).toBe(60);
    expect(deployment.spec.parameters.plcHosts?.value).toEqual(['10.0.0.5', '10.0.0.6']);
    expect(deployment.spec.parameters.dbPassword?.value).toBe(MASK);
    expect(first.stdout).not.toContain('factory-default-pw');
    expect(first.stderr).toMatch(/secret values \(dbPassword\) are masked here/);
    expect(first.stderr).toMatch(/digest sha256:[0-9a-f]{64}/);
    const second = await render('--set', 'plcHosts=10.0.0.5,10.0.0.6', '--set', 'pollSeconds=60');
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
  });

  it('writes the real deployment only to -o, readable by its owner only; its digest is of those bytes', async () => {
    mkdirSync(join(root, 'work'), { recursive: true });
    const work = join(root, 'work');
    const run = await renderIn(work, '-o', 'no-such-dir/deployment.yaml');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot write no-such-dir/deployment.yaml');
    const ok = await renderIn(
      work,
      '--set',
      'dbPassword=plant-secret-9',
      '-o',
      'deployment.yaml',
      '--json',
    );
    expect(ok.code, ok.stderr).toBe(0);
    const file = join(root, 'work', 'deployment.yaml');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(file, 'utf8');
    expect(bytes).toContain('value: plant-secret-9');
    expect(ok.stdout).not.toContain('plant-secret-9');
    expect(ok.stderr).not.toContain('plant-secret-9');
    const summary = JSON.parse(ok.stdout) as {
      valid: boolean;
      digest: string;
      file: string;
      secrets: string[];
    };
    expect(summary).toMatchObject({ valid: true, file, secrets: ['dbPassword'] });
    const { createHash } = await import('node:crypto');
    expect(summary.digest).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
    const checked = validateDocumentText(bytes, { file: 'deployment.yaml' });
    expect(checked.kind).toBe('ApplicationDeployment');
    expect(checked.valid, JSON.stringify(checked.diagnostics)).toBe(true);
  });

  it('refuses invalid values with exit 1, naming each parameter and where it came from', async () => {
    writeFileSync(join(root, 'values.yaml'), 'siteName: "x"\npollSeconds: 2\nmode: slow\n');
    const run = await render(
      '--values',
      'values.yaml',
      '--set',
      'siteName=' + 'y'.repeat(41),
      '--set',
      'nope=1',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'pollSeconds (Poll interval): must be at least 5 [values.yaml:2:14]',
    );
    expect(run.stderr).toContain(
      'siteName (Site): must be at most 40 characters (is 41) [--set siteName]',
    );
    expect(run.stderr).toContain('mode (Mode): must be one of "safe", "fast" [values.yaml:3:7]');
    expect(run.stderr).toContain('nope: is not a parameter of this application [--set nope]');
    const json = await render('--set', 'pollSeconds=abc', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      valid: false,
      errors: [
        {
          parameter: 'pollSeconds',
          setting: 'Poll interval',
          message: 'must be a whole number',
          source: '--set pollSeconds',
        },
      ],
    });
  });

  it('reads a values file by each setting’s type: 0123 stays text for a text setting', async () => {
    writeFileSync(
      join(root, 'typed.yaml'),
      'siteName: 0123\npollSeconds: 45\nplcHosts: [plc-1, "plc,2"]\n',
    );
    const run = await render('--values', 'typed.yaml');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('value: "0123"');
    const d = parse(run.stdout, { version: '1.1' }) as {
      spec: { parameters: Record<string, { value: unknown }> };
    };
    expect(d.spec.parameters.siteName?.value).toBe('0123');
    expect(d.spec.parameters.plcHosts?.value).toEqual(['plc-1', 'plc,2']);
    writeFileSync(join(root, 'broken.yaml'), 'siteName: [unclosed\n');
    const broken = await render('--values', 'broken.yaml');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^broken\.yaml:\d+:\d+: error: /m);
  });

  it('writes any device id verbatim, even one not in the inventory', async () => {
    const run = await cli([
      'deployments',
      'render',
      APP,
      '--device',
      'gateway-01/edge-07',
      '--profile',
      'line-monitor-helm',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const d = parse(run.stdout) as { metadata: { deviceId: string; name: string } };
    expect(d.metadata.deviceId).toBe('gateway-01/edge-07');
    expect(d.metadata.name).toBe(`${APP}-gateway-01-edge-07`);
  });

  it('--update keeps the id, refuses a change to an immutable setting naming it', async () => {
    const install = await render('--set', 'mode=fast', '-o', 'installed.yaml');
    expect(install.code, install.stderr).toBe(0);
    const installed = parse(readFileSync(join(root, 'installed.yaml'), 'utf8')) as { id: string };
    const update = await render('--update', 'installed.yaml', '--set', 'pollSeconds=90');
    expect(update.code, update.stderr).toBe(0);
    const updated = parse(update.stdout) as {
      id: string;
      spec: { parameters: Record<string, { value: unknown }> };
    };
    expect(updated.id).toBe(installed.id);
    expect(updated.spec.parameters.mode?.value).toBe('fast');
    expect(updated.spec.parameters.pollSeconds?.value).toBe(90);
    const refused = await render('--update', 'installed.yaml', '--set', 'mode=safe');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'mode (Mode): cannot change after installation (immutable): it was installed as "fast"',
    );
  });

  it('usage errors exit 2: malformed --set, a missing values file', async () => {
    const set = await render('--set', 'pollSeconds');
    expect(set.code).toBe(2);
    expect(set.stderr).toContain('write it as <parameter>=<value>');
    const missing = await render('--values', 'no-such.yaml');
    expect(missing.code).toBe(2);
    const noDevice = await cli(['deployments', 'render', APP]);
    expect(noDevice.code).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { interpolate } from '../../shared/compose/interpolate';
import { loadCompose, type ComposeLoadResult } from '../../shared/compose/load-compose';
import type { ComposeModel } from '../../shared/compose/compose-model';

const FILE = 'line-monitor@1.2.0/compose.yaml';

function load(
  text: string,
  variables: Record<string, string> = {},
  files: Record<string, string> = {},
): ComposeLoadResult {
  return loadCompose({ text, file: FILE, variables, readFile: (p) => files[p] });
}

function model(
  text: string,
  variables: Record<string, string> = {},
  files: Record<string, string> = {},
): ComposeModel {
  const result = load(text, variables, files);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems, null, 2)}`);
  return result.model;
}

/** 1-based line and column of the first occurrence of `needle`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1] as string).length + 1 };
}

const lookupIn = (variables: Record<string, string>) => (name: string) =>
  Object.hasOwn(variables, name) ? variables[name] : undefined;

describe('interpolation, every form of the compose spec', () => {
  const vars = { HOST: 'historian.plant.local', EMPTY: '', PORT: '8086' };
  const cases: [string, string][] = [
    ['$HOST', 'historian.plant.local'],
    ['${HOST}', 'historian.plant.local'],
    ['http://${HOST}:$PORT/write', 'http://historian.plant.local:8086/write'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${HOST:-fallback}', 'historian.plant.local'],
    ['${MISSING-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${HOST:+set}', 'set'],
    ['${EMPTY:+set}', ''],
    ['${MISSING:+set}', ''],
    ['${EMPTY+set}', 'set'],
    ['${MISSING+set}', ''],
    ['price: $$5', 'price: $5'],
    ['$$HOST', '$HOST'],
    ['$${HOST}', '${HOST}'],
    ['cost $1 and $ alone and 100$', 'cost $1 and $ alone and 100$'],
    ['${MISSING:-${HOST}}', 'historian.plant.local'],
    ['${MISSING:-${ALSO_MISSING:-deep}}', 'deep'],
    ['${MISSING:-http://${HOST}:${PORT}}', 'http://historian.plant.local:8086'],
    ['${MISSING:-$$literal}', '$literal'],
    ['${HOST:?must be set}', 'historian.plant.local'],
    ['${EMPTY?may be empty}', ''],
    ['${lower_case:-ok}', 'ok'],
  ];
  it.each(cases)('%s → %s', (text, expected) => {
    const result = interpolate(text, lookupIn(vars));
    expect(result.errors).toEqual([]);
    expect(result.value).toBe(expected);
  });

  it('an unset variable without default becomes "" and is named as unset; a default that is not used never warns', () => {
    expect(interpolate('a${NOPE}b$ALSO_NOPE', lookupIn({}))).toEqual({
      value: 'ab',
      unset: ['NOPE', 'ALSO_NOPE'],
      errors: [],
    });
    expect(interpolate('${SET:-${NOPE}}', lookupIn({ SET: 'x' })).unset).toEqual([]);
    expect(interpolate('${UNSET:-${NOPE}}', lookupIn({})).unset).toEqual(['NOPE']);
  });

  it('${VAR:?message} and ${VAR?message} name the variable and carry the message', () => {
    expect(
      interpolate('${IDP_URL:?the identity provider URL is required}', lookupIn({})).errors,
    ).toEqual([
      'the variable IDP_URL must be set and not empty: the identity provider URL is required',
    ]);
    expect(interpolate('${IDP_URL:?}', lookupIn({ IDP_URL: '' })).errors[0]).toContain(
      'IDP_URL must be set',
    );
    expect(interpolate('${IDP_URL?needed}', lookupIn({ IDP_URL: '' })).errors).toEqual([]);
    expect(interpolate('${IDP_URL?needed}', lookupIn({})).errors).toEqual([
      'the variable IDP_URL must be set: needed',
    ]);
  });

  it.each([
    ['${', 'never closed'],
    ['${VAR', 'never closed'],
    ['${VAR:-default', 'never closed'],
    ['${}', 'must be followed by a variable name'],
    ['${1ABC}', 'must be followed by a variable name'],
    ['${VAR:=x}', 'cannot follow the variable name VAR'],
    ['${VAR }', 'cannot follow the variable name VAR'],
  ])('malformed %s is an error (%s)', (text, words) => {
    const result = interpolate(text, lookupIn({ VAR: 'x' }));
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(words);
  });

  it('defaults nested beyond the limit are refused, not a stack overflow', () => {
    const deep = `${'${A:-'.repeat(5000)}x${'}'.repeat(5000)}`;
    const result = interpolate(deep, lookupIn({}));
    expect(result.errors[0]).toContain('nested more than');
  });
});

describe('interpolation in compose.yaml', () => {
  const text = `services:
  collector:
    image: registry.plant.local/collector:\${TAG:-1.4.2}
    environment:
      IDP_URL: \${IDP_URL}
      POLL_SECONDS: \${POLL_SECONDS:-30}
      HISTORIAN: http://\${HISTORIAN_HOST:-\${GATEWAY:-historian}}:8086
      PROMETHEUS_TEXT: "rate: $$VALUE"
      \${NOT_A_KEY}: kept as written
    labels:
      site: \${SITE}
`;

  it('replaces every string value, keeps keys, and warns about each unset variable at its line:column', () => {
    const result = load(text, { IDP_URL: 'https://idp.plant.local', POLL_SECONDS: '' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const service = result.model.services[0];
    expect(service?.image).toBe('registry.plant.local/collector:1.4.2');
    expect(service?.environment).toEqual({
      IDP_URL: 'https://idp.plant.local',
      POLL_SECONDS: '30',
      HISTORIAN: 'http://historian:8086',
      PROMETHEUS_TEXT: 'rate: $VALUE',
      '${NOT_A_KEY}': 'kept as written',
    });
    expect(service?.labels).toEqual({ site: '' });
    expect(result.warnings).toEqual([
      {
        file: FILE,
        ...positionOf(text, '${SITE}'),
        path: 'services.collector.labels.site',
        message: expect.stringMatching(
          /^the variable SITE is not set: services\.collector\.labels\.site gets an empty text/,
        ),
      },
    ]);
  });

  it('a missing required variable is a problem at its line:column naming the variable and the message', () => {
    const required = `services:
  collector:
    image: collector:1.0
    environment:
      IDP_URL: \${IDP_URL:?set the identity provider in the deployment}
`;
    const result = load(required);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        file: FILE,
        ...positionOf(required, '${IDP_URL'),
        path: 'services.collector.environment.IDP_URL',
        message:
          'the variable IDP_URL must be set and not empty: set the identity provider in the deployment',
      },
    ]);
  });

  it('a malformed ${ is a problem at its line:column', () => {
    const broken = `services:
  collector:
    image: collector:1.0
    command: ["run", "--url", "\${URL"]
`;
    const result = load(broken, { URL: 'x' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({
      line: 4,
      column: 31,
      path: 'services.collector.command[2]',
    });
    expect(result.problems[0]?.message).toContain('never closed');
  });

  it('numbers and booleans are not interpolated and keep their written form where text is needed', () => {
    const m = model(`services:
  plc:
    image: plc-bridge:2.1
    environment:
      FIRMWARE: 1.10
      ENABLED: true
      RATE: 0x1F
`);
    expect(m.services[0]?.environment).toEqual({ FIRMWARE: '1.10', ENABLED: 'true', RATE: '0x1F' });
  });

  it('extension sections are not interpolated, but what aliases bring from them is, once', () => {
    const result = load(`x-env: &env
  PRICE: "$$5"
  UNUSED: \${NEVER_WARNED}
services:
  a:
    image: a:1
    environment:
      <<: *env
  b:
    image: b:1
    environment: *env
`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // `$$` read once per use: both services get "$5", never "" from a second pass.
    expect(result.model.services.map((s) => s.environment.PRICE)).toEqual(['$5', '$5']);
    // The unset variable is reported for each service that receives it, not for x-env itself.
    expect(result.warnings.map((w) => w.path)).toEqual([
      'services.a.environment.UNUSED',
      'services.b.environment.UNUSED',
    ]);
    expect(result.warnings[0]?.message).toContain('NEVER_WARNED');
  });

  it('sections that are not read are not interpolated: no warnings from name, version or x- keys', () => {
    const result = load(
      'version: "${V}"\nname: ${PROJECT}\nx-a: ${NOPE}\nservices:\n  a:\n    image: a:1\n    x-b: ${NOPE2}\n',
    );
    expect(result).toMatchObject({ ok: true, warnings: [] });
  });

  it('variables named like the deployment parameters (environment-variable names) need nothing special', () => {
    const m = model('services:\n  a:\n    image: "${REGISTRY}/a:${VERSION}"\n', {
      REGISTRY: 'registry.plant.local:5000',
      VERSION: '2.0.1',
    });
    expect(m.services[0]?.image).toBe('registry.plant.local:5000/a:2.0.1');
  });
});

describe('env files', () => {
  const compose = (envFile: string) => `services:
  historian:
    image: influxdb:1.8
    env_file: ${envFile}
    environment:
      INFLUXDB_HTTP_AUTH_ENABLED: "true"
`;

  it('reads KEY=VALUE lines with comments, export, quotes and escapes; environment wins', () => {
    const envText = [
      '# historian settings',
      '',
      'INFLUXDB_DB=plant',
      'export INFLUXDB_ADMIN_USER=admin',
      "INFLUXDB_ADMIN_PASSWORD='pa$$ #word'",
      'GREETING="line one\\nline two\\t\\"quoted\\" \\\\ \\$HOME"',
      'PADDED =   spaced value   # a comment',
      'HASH=value#not-a-comment',
      'INFLUXDB_HTTP_AUTH_ENABLED=false',
      'URL=http://${HOST}:${PORT:-8086}/${INFLUXDB_DB}',
      'MULTI="first',
      'second"',
      'FROM_DEPLOYMENT',
      'NOT_IN_DEPLOYMENT',
      'AFTER=last',
    ].join('\n');
    const result = load(
      compose('./conf/historian.env'),
      { HOST: 'h1', FROM_DEPLOYMENT: 'given' },
      { 'conf/historian.env': envText },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.model.services[0]?.environment).toEqual({
      INFLUXDB_DB: 'plant',
      INFLUXDB_ADMIN_USER: 'admin',
      INFLUXDB_ADMIN_PASSWORD: 'pa$$ #word',
      GREETING: 'line one\nline two\t"quoted" \\ $HOME',
      PADDED: 'spaced value',
      HASH: 'value#not-a-comment',
      INFLUXDB_HTTP_AUTH_ENABLED: 'true',
      URL: 'http://h1:8086/plant',
      MULTI: 'first\nsecond',
      FROM_DEPLOYMENT: 'given',
      AFTER: 'last',
    });
    expect(result.warnings).toEqual([]);
  });

  it('a line that is not KEY=VALUE is refused with the env file name and line', () => {
    const result = load(compose('app.env'), {}, { 'app.env': 'GOOD=1\nBAD KEY=2\n' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.objectContaining({ file: 'line-monitor@1.2.0/app.env', line: 2, column: 1 }),
    ]);
  });

  it('several env files: later ones win; the long form may mark a file optional', () => {
    const text = `services:
  a:
    image: a:1
    env_file:
      - base.env
      - path: site.env
      - path: optional.env
        required: false
`;
    const m = model(text, {}, { 'base.env': 'A=1\nB=1\n', 'site.env': 'B=2\n' });
    expect(m.services[0]?.environment).toEqual({ A: '1', B: '2' });
  });

  it('a missing required env file is a problem naming it', () => {
    const text = compose('conf/missing.env');
    const result = load(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, 'conf/missing.env'),
        path: 'services.historian.env_file',
        message: expect.stringContaining('the env file conf/missing.env is not in the application'),
      }),
    ]);
  });

  it.each(['../secrets.env', '/etc/app.env', '~/app.env', 'conf/../../x.env'])(
    'an env file outside the archive (%s) is refused',
    (path) => {
      const result = load(compose(path), {}, { 'secrets.env': 'A=1' });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems[0]?.message).toMatch(
        /absolute path|home folder|leads out of the application/,
      );
    },
  );

  it('an unclosed quote in an env file is reported at its line and column', () => {
    const result = load(compose('app.env'), {}, { 'app.env': 'A=1\nB="open\nC=3\n' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: 'line-monitor@1.2.0/app.env',
        line: 2,
        column: 3,
        message: expect.stringContaining('never closed'),
      }),
    ]);
  });
});

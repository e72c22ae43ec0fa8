import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ComposeModel, ComposeProblem } from '../../shared/compose/compose-model';
import { interpolate } from '../../shared/compose/interpolate';
import { loadCompose } from '../../shared/compose/load-compose';

/** Fragments real compose files are made of, to get past the YAML parser often. */
const fragment = fc.oneof(
  fc.constantFrom(
    'services:\n',
    '  web:\n',
    '  db:\n',
    '    image: ',
    '    build: .\n',
    '    ports:\n',
    '      - ',
    '    volumes:\n',
    '    environment:\n',
    '    env_file: ',
    '    depends_on: ',
    '    networks: ',
    '    healthcheck:\n      test: ',
    '    deploy:\n      resources:\n        limits:\n          memory: ',
    'networks:\n  n:\n',
    'volumes:\n  v:\n',
    'configs:\n  c:\n    file: ',
    '${',
    '${X:-',
    '${X:?',
    '$$',
    '}',
    '"',
    "'",
    '[',
    ']',
    '{',
    ':',
    '&a ',
    '*a',
    '<<: *a\n',
    '8080:80',
    './conf:/etc/app:ro',
    '../x',
    '1m30s',
    '512m',
    '\n',
    '  ',
    '- ',
  ),
  fc.string({ maxLength: 12 }),
);

const yamlish = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));
const variables = fc.dictionary(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/),
  fc.string({ maxLength: 20 }),
  { maxKeys: 5 },
);
const files = fc.dictionary(
  fc.constantFrom('x', 'conf/app.env', 'a.conf'),
  fc.string({ maxLength: 60 }),
  { maxKeys: 3 },
);

describe('loadCompose never throws', () => {
  it('for arbitrary YAML-ish text, variables and archive files: a model or problems, well formed', () => {
    fc.assert(
      fc.property(yamlish, variables, files, (text, vars, archive) => {
        const result = loadCompose({
          text,
          file: 'p/compose.yaml',
          variables: vars,
          readFile: (p) => archive[p],
        });
        for (const w of result.warnings) ComposeProblem.parse(w);
        if (result.ok) ComposeModel.parse(result.model);
        else {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const p of result.problems) ComposeProblem.parse(p);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('for every supported key holding a value of any type, at any nesting', () => {
    const keys = [
      'image',
      'container_name',
      'command',
      'entrypoint',
      'environment',
      'env_file',
      'ports',
      'volumes',
      'networks',
      'depends_on',
      'restart',
      'healthcheck',
      'labels',
      'user',
      'devices',
      'cap_add',
      'privileged',
      'tmpfs',
      'ulimits',
      'deploy',
      'extra_hosts',
      'stop_grace_period',
      'logging',
      'configs',
      'mem_limit',
      'cpus',
      'shm_size',
      'dns',
      'expose',
      'pull_policy',
      'build',
    ];
    const value = fc.jsonValue({ maxDepth: 3 });
    const shaped = fc.oneof(
      value,
      fc.array(
        fc.oneof(
          value,
          fc.dictionary(
            fc.constantFrom(
              'target',
              'source',
              'type',
              'published',
              'condition',
              'path',
              'soft',
              'hard',
              'capabilities',
              'count',
              'test',
            ),
            value,
          ),
        ),
      ),
      fc.dictionary(
        fc.constantFrom(
          'resources',
          'limits',
          'reservations',
          'devices',
          'restart_policy',
          'aliases',
          'options',
          'driver',
          'test',
          'interval',
          'a',
          'b',
        ),
        value,
      ),
    );
    const service = fc.dictionary(fc.constantFrom(...keys), shaped);
    const top = fc.record({
      services: fc.dictionary(fc.constantFrom('a', 'b', 'web'), service, { minKeys: 1 }),
      networks: fc.option(
        fc.dictionary(
          fc.constantFrom('a', 'plant'),
          fc.oneof(
            value,
            fc.dictionary(fc.constantFrom('external', 'driver', 'ipam', 'name'), value),
          ),
        ),
      ),
      volumes: fc.option(
        fc.dictionary(
          fc.constantFrom('data', 'b'),
          fc.oneof(value, fc.dictionary(fc.constantFrom('external', 'driver', 'name'), value)),
        ),
      ),
      configs: fc.option(
        fc.dictionary(
          fc.constantFrom('c'),
          fc.oneof(value, fc.dictionary(fc.constantFrom('file', 'content', 'external'), value)),
        ),
      ),
    });
    fc.assert(
      fc.property(top, (doc) => {
        const text = stringify(doc);
        const result = loadCompose({
          text,
          file: 'p/compose.yaml',
          variables: {},
          readFile: (p) => (p === 'a' ? 'A=1' : undefined),
        });
        if (result.ok) ComposeModel.parse(result.model);
        else expect(result.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
    // ~12 s alone on this 2-core machine; a busy machine must not make it a failure.
  }, 120_000);

  it('for a valid file with arbitrary variable values substituted anywhere', () => {
    const text = `services:
  app:
    image: "\${IMAGE:-acme/app:1}"
    command: \${CMD}
    ports: ["\${PORT:-8080}:80"]
    environment:
      A: \${A}
      B: "\${B:?b is needed}"
    volumes: ["\${VOL:-data}:/data"]
    mem_limit: \${MEM:-512m}
    restart: \${RESTART:-always}
volumes:
  data:
`;
    const names = fc.constantFrom('IMAGE', 'CMD', 'PORT', 'A', 'B', 'VOL', 'MEM', 'RESTART');
    fc.assert(
      fc.property(fc.dictionary(names, fc.string({ maxLength: 30 })), (vars) => {
        const result = loadCompose({
          text,
          file: 'p/compose.yaml',
          variables: vars,
          readFile: () => undefined,
        });
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) ComposeModel.parse(result.model);
        else expect(result.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('interpolation of text without $ is the identity, and $$ always gives one $', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const plain = s.replaceAll('$', '');
        expect(interpolate(plain, () => undefined).value).toBe(plain);
        expect(interpolate(`${plain.replaceAll('$', '')}$$`, () => undefined).value).toBe(
          `${plain}$`,
        );
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { loadCompose, type ComposeLoadResult } from '../../shared/compose/load-compose';

const FILE = 'historian@2.4.1/compose.yaml';

function load(text: string, files: Record<string, string> = {}): ComposeLoadResult {
  return loadCompose({ text, file: FILE, variables: {}, readFile: (p) => files[p] });
}

function problemsOf(text: string, files: Record<string, string> = {}) {
  const result = load(text, files);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems;
}

function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1] as string).length + 1 };
}

describe('unsupported keys are named, with their line:column, never silently ignored', () => {
  it('top-level secrets, include, models and an unknown key', () => {
    const text = `version: "3.8"
name: ignored-project
x-defaults: {restart: always}
include:
  - other.yaml
services:
  db:
    image: postgres:16
secrets:
  db_password:
    file: ./db_password.txt
models:
  llm: {model: ai/x}
servics: {}
`;
    expect(problemsOf(text)).toEqual([
      {
        file: FILE,
        ...positionOf(text, 'include:'),
        path: 'include',
        message: expect.stringMatching(/^top-level include is not supported by Commissioner: /),
      },
      {
        file: FILE,
        ...positionOf(text, 'secrets:'),
        path: 'secrets',
        message: expect.stringMatching(
          /^top-level secrets is not supported by Commissioner: .*deployment parameters/,
        ),
      },
      {
        file: FILE,
        ...positionOf(text, 'models:'),
        path: 'models',
        message: expect.stringMatching(/^top-level models is not supported by Commissioner/),
      },
      {
        file: FILE,
        ...positionOf(text, 'servics:'),
        path: 'servics',
        message: expect.stringContaining(
          'servics is not a top-level compose key (did you mean services?)',
        ),
      },
    ]);
  });

  it('version and name are accepted without a warning', () => {
    const result = load('version: "3.9"\nname: whatever\nservices:\n  a:\n    image: a:1\n');
    expect(result).toMatchObject({ ok: true, warnings: [] });
  });

  it('build: images must come pre-built in the kit', () => {
    const text = 'services:\n  gw:\n    build: ./gateway\n    image: acme/gw:1\n';
    expect(problemsOf(text)).toEqual([
      {
        file: FILE,
        ...positionOf(text, 'build'),
        path: 'services.gw.build',
        message:
          'build is not supported by Commissioner: images must come pre-built in the kit: Commissioner never builds images on a device',
      },
    ]);
  });

  it('a service without image says images come from the kit', () => {
    const text = 'services:\n  gw:\n    command: run\n';
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        ...positionOf(text, 'gw:'),
        path: 'services.gw',
        message: expect.stringContaining('has no image: images must come pre-built in the kit'),
      }),
    ]);
  });

  it.each([
    ['network_mode: host', 'network_mode is not supported by Commissioner'],
    ['secrets: [db_password]', 'secrets is not supported by Commissioner'],
    ['extends: {service: base}', 'extends is not supported by Commissioner'],
    ['pid: host', 'pid is not supported by Commissioner'],
    ['ipc: service:web', 'ipc: service:web is not supported by Commissioner'],
    ['cgroup: container:x', 'cgroup: container:x is not supported by Commissioner'],
    ['userns_mode: private', 'userns_mode must be host'],
    ['uts: host', 'uts is not supported by Commissioner'],
    ['profiles: [debug]', 'profiles is not supported by Commissioner'],
    ['scale: 2', 'scale is not supported by Commissioner'],
    ['sysctls: [somaxconn=1024]', '"somaxconn" is not a kernel parameter name'],
    ['security_opt: [seccomp=profile.json]', 'a seccomp profile is not supported by Commissioner'],
    ['security_opt: [privileged]', 'security_opt "privileged" is not an option'],
    ['cpu_shares: 512', 'cpu_shares is not supported by Commissioner'],
    ['runtime: nvidia', 'deploy.resources.reservations.devices'],
    ['imgae: x', 'imgae is not a compose service setting (did you mean image?)'],
    ['deploy: {replicas: 2}', 'deploy.replicas is not supported by Commissioner'],
    [
      'deploy: {placement: {constraints: [x]}}',
      'deploy.placement is not supported by Commissioner',
    ],
    [
      'deploy: {resources: {limits: {cpus: 1, gpus: 1}}}',
      'limits.gpus is not supported by Commissioner',
    ],
  ])('service key `%s`', (line, words) => {
    const text = `services:\n  db:\n    image: postgres:16\n    ${line}\n`;
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(words);
    expect(problems[0]?.line).toBe(4);
  });

  it('x- keys in a service are ignored', () => {
    expect(load('services:\n  a:\n    image: a:1\n    x-acme: {anything: [1]}\n').ok).toBe(true);
  });
});

describe('checks across sections', () => {
  it('depends_on a service that does not exist', () => {
    const text =
      'services:\n  gw:\n    image: gw:1\n    depends_on: [brokr]\n  broker:\n    image: b:1\n';
    expect(problemsOf(text)).toEqual([
      {
        file: FILE,
        ...positionOf(text, 'brokr'),
        path: 'services.gw.depends_on[0]',
        message: 'gw depends on brokr, which is not a service of this file',
      },
    ]);
  });

  it('an optional dependency that does not exist is dropped with a warning', () => {
    const result = load(
      'services:\n  gw:\n    image: gw:1\n    depends_on:\n      cache: {condition: service_started, required: false}\n',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.model.services[0]?.dependsOn).toEqual([]);
    expect(result.warnings[0]).toMatchObject({
      line: 5,
      column: 7,
      message: expect.stringContaining('left out'),
    });
  });

  it('a dependency cycle is named', () => {
    const text = `services:
  ui:
    image: ui:1
    depends_on: [api]
  api:
    image: api:1
    depends_on:
      db: {condition: service_healthy}
  db:
    image: db:1
    depends_on: [ui]
  lonely:
    image: l:1
    depends_on: [lonely]
`;
    const problems = problemsOf(text);
    expect(problems.map((p) => p.message)).toEqual([
      'ui → api → db → ui: these services depend on each other in a circle, so none of them can start first; remove one of these depends_on',
      'lonely depends on itself: remove it from its own depends_on',
    ]);
    // At the dependency that closes the circle, inside the flow list.
    expect(problems[0]).toMatchObject({ line: 4, column: 18, path: 'services.ui.depends_on[0]' });
    expect(problems[1]).toMatchObject({
      ...positionOf(text, 'lonely]'),
      path: 'services.lonely.depends_on[0]',
    });
  });

  it('undeclared network, volume and config; a folder written without ./ is taken as a volume', () => {
    const text = `services:
  historian:
    image: influxdb:1.8
    networks:
      - default
      - plant
    volumes:
      - influx:/var/lib/influxdb
    configs: [influx_conf]
`;
    const problems = problemsOf(text);
    expect(problems).toEqual([
      {
        file: FILE,
        ...positionOf(text, 'plant'),
        path: 'services.historian.networks[1]',
        message: 'the network plant is not declared: add it under the top-level networks:',
      },
      expect.objectContaining({
        ...positionOf(text, 'influx:'),
        path: 'services.historian.volumes[0]',
        message: expect.stringContaining('the volume influx is not declared'),
      }),
      expect.objectContaining({
        ...positionOf(text, 'influx_conf'),
        path: 'services.historian.configs[0]',
        message: expect.stringContaining('the config influx_conf is not declared'),
      }),
    ]);
  });

  it('two services with the same container_name', () => {
    const text =
      'services:\n  a:\n    image: a:1\n    container_name: gw\n  b:\n    image: b:1\n    container_name: gw\n';
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: 7,
        column: 21,
        message:
          'b and a both want the container name gw: container names must be unique on a device',
      }),
    ]);
  });

  it('two services publishing the same host port; two mounts at one path', () => {
    const ports = problemsOf(
      'services:\n  a:\n    image: a:1\n    ports: ["8080:80"]\n  b:\n    image: b:1\n    ports: ["0.0.0.0:8080:81"]\n',
    );
    expect(ports[0]?.message).toBe(
      'the host port 8080/tcp is published by a and b: a port of the device can be published once',
    );
    expect(
      load(
        'services:\n  a:\n    image: a:1\n    ports: ["127.0.0.1:8080:80"]\n  b:\n    image: b:1\n    ports: ["127.0.0.2:8080:80"]\n',
      ).ok,
    ).toBe(true);
    const mounts = problemsOf(
      'services:\n  a:\n    image: a:1\n    volumes: ["./conf:/etc/app"]\n    tmpfs: /etc/app/\n',
    );
    expect(mounts[0]?.message).toContain('mounts two things at /etc/app');
  });

  it('bad durations, sizes and CPU amounts are problems at their value', () => {
    const text = `services:
  a:
    image: a:1
    stop_grace_period: 10 seconds
    shm_size: 1 lot
    mem_limit: -5m
    cpus: two
    healthcheck:
      interval: 1d
`;
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['services.a.mem_limit', 6],
      ['services.a.cpus', 7],
      ['services.a.stop_grace_period', 4],
      ['services.a.shm_size', 5],
      ['services.a.healthcheck.interval', 9],
    ]);
    expect(problems[0]?.message).toContain('512m');
    expect(problems[4]?.message).toContain('30s');
  });

  it('YAML syntax errors come with their position and compose wording', () => {
    const syntax = problemsOf('services:\n  a:\n    image: "unclosed\n');
    expect(syntax).toEqual([
      expect.objectContaining({
        line: 3,
        column: 12,
        message: expect.stringContaining('never closed'),
      }),
    ]);
    expect(problemsOf('- just\n- a list\n')[0]?.message).toContain(
      'a compose file starts with services:',
    );
    expect(problemsOf('')[0]?.message).toContain('empty');
    expect(
      problemsOf('services:\n  a:\n    image: a:1\n---\nservices: {}\n')[0]?.message,
    ).toContain('a compose file holds exactly one document');
    expect(problemsOf('name: x\n')[0]?.message).toContain('no services');
    const duplicate = problemsOf('services:\n  a:\n    image: a:1\n    image: b:1\n');
    expect(duplicate[0]).toMatchObject({
      line: 4,
      message: expect.stringContaining('"image" appears twice'),
    });
  });

  it('a merge key naming something other than a mapping, and an alias without anchor, are explained', () => {
    const merge = 'x-port: &port 8080\nservices:\n  a:\n    <<: *port\n    image: a:1\n';
    expect(problemsOf(merge)).toEqual([
      expect.objectContaining({
        line: 4,
        column: 5,
        message: expect.stringContaining('a merge key (<<) must name a mapping'),
      }),
    ]);
    const dangling = 'services:\n  a:\n    image: a:1\n    environment: *common\n';
    expect(problemsOf(dangling)).toEqual([
      expect.objectContaining({
        line: 4,
        column: 18,
        message: expect.stringContaining('the alias *common refers to no anchor: set &common'),
      }),
    ]);
  });

  it('a service with problems of its own is still a service others may depend on', () => {
    const text =
      'services:\n  broker:\n    image: b:1\n    ports: ["99999:1883"]\n  gw:\n    image: gw:1\n    depends_on: [broker]\n';
    expect(problemsOf(text).map((p) => p.path)).toEqual(['services.broker.ports[0]']);
  });

  it('keys such as __proto__ and constructor are keys like any other', () => {
    const result = load(`services:
  a:
    image: a:1
    environment:
      __proto__: polluted
      constructor: built
    labels: {__proto__: x}
    __proto__: {image: b}
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.message)).toEqual([
      '__proto__ is not a compose service setting: remove it or correct its name',
    ]);
    expect(
      problemsOf('services:\n  a:\n    image: a:1\n    networks: [constructor]\n')[0]?.message,
    ).toBe('the network constructor is not declared: add it under the top-level networks:');
    const ok = load('services:\n  a:\n    image: a:1\n    environment:\n      __proto__: kept\n');
    expect(ok.ok && Object.entries(ok.model.services[0]?.environment ?? {})).toEqual([
      ['__proto__', 'kept'],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a huge file is refused unread; a file with hundreds of problems lists the first hundred and says so', () => {
    const huge = `services:\n  a:\n    image: a:1\n    command: "${'x'.repeat(300 * 1024)}"\n`;
    expect(problemsOf(huge)).toEqual([
      expect.objectContaining({
        line: 1,
        column: 1,
        message: expect.stringContaining('larger than 256 KiB'),
      }),
    ]);
    const ports = Array.from({ length: 300 }, (_, i) => `      - "${70000 + i}:80"\n`).join('');
    const many = problemsOf(`services:\n  a:\n    image: a:1\n    ports:\n${ports}`);
    expect(many).toHaveLength(101);
    expect(many[100]?.message).toBe(
      'more than 100 problems: the first 100 are listed; fix them and load the file again',
    );
  });

  it('a billion-laughs compose file is refused, not expanded', () => {
    let bomb = 'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    const letters = 'abcdefghij';
    for (let i = 1; i < letters.length; i++) {
      bomb += `x-${letters[i]}: &${letters[i]} [${Array(9)
        .fill(`*${letters[i - 1]}`)
        .join(',')}]\n`;
    }
    bomb += 'services:\n  a:\n    image: a:1\n    command: *j\n';
    expect(problemsOf(bomb)[0]?.message).toContain('excessive size');
  });
});

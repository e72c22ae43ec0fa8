import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/compose/canonical-json';
import type { ComposeModel, ServiceModel } from '../../shared/compose/compose-model';
import { dependencyOrder, levels } from '../../shared/compose/dependency-order';
import { loadCompose } from '../../shared/compose/load-compose';
import { planProject, type ActualContainer, type DesiredService } from '../../shared/compose/plan';
import { serviceChanges } from '../../shared/compose/service-changes';
import {
  serviceFingerprint,
  type FingerprintExtras,
} from '../../shared/compose/service-fingerprint';

const COMPOSE = `services:
  collector:
    image: acme/collector:\${COLLECTOR_TAG:-2.0.0}
    depends_on:
      broker: {condition: service_healthy}
      migrate: {condition: service_completed_successfully}
    environment:
      POLL_SECONDS: \${POLL_SECONDS:-30}
      API_TOKEN: \${API_TOKEN}
    ports: ["\${COLLECTOR_PORT:-8080}:8080"]
  broker:
    image: eclipse-mosquitto:2.0.18
    healthcheck:
      test: ["CMD", "mosquitto_sub", "-t", "$$SYS/#", "-C", "1"]
    volumes: [broker-data:/mosquitto/data]
  migrate:
    image: acme/migrate:1.0.0
  dashboard:
    image: acme/dashboard:1.1.0
    depends_on: [collector]
volumes:
  broker-data:
`;

const BASE_VARS = { POLL_SECONDS: '30', API_TOKEN: 's3cr3t-token-value' };

function modelWith(variables: Record<string, string>, text = COMPOSE): ComposeModel {
  const result = loadCompose({
    text,
    file: 'collector@2.0.0/compose.yaml',
    variables,
    readFile: () => undefined,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.model;
}

const EXTRAS: FingerprintExtras = {
  imageId: 'sha256:aaaa',
  files: {},
  networks: ['p_default'],
  volumes: [],
};

function hashOf(service: ServiceModel, extras: Partial<FingerprintExtras> = {}): string {
  return createHash('sha256')
    .update(serviceFingerprint(service, { ...EXTRAS, ...extras }))
    .digest('hex');
}

function desiredOf(
  model: ComposeModel,
  hints: Record<string, DesiredService['hints']> = {},
  extras: Record<string, Partial<FingerprintExtras>> = {},
): DesiredService[] {
  return model.services.map((s) => {
    const desired: DesiredService = {
      service: s.name,
      hash: hashOf(s, extras[s.name]),
      dependsOn: s.dependsOn.map((d) => d.service),
    };
    if (hints[s.name]) desired.hints = hints[s.name];
    return desired;
  });
}

/** The containers a fully applied model leaves on the device. */
function runningFor(
  model: ComposeModel,
  state: Partial<Record<string, Partial<ActualContainer>>> = {},
): ActualContainer[] {
  return model.services.map((s) => ({
    id: `id-${s.name}`,
    name: `p-${s.name}-1`,
    service: s.name,
    hash: hashOf(s),
    state: 'running' as const,
    containerNumber: 1,
    ...state[s.name],
  }));
}

/** The same data with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

describe('service fingerprints', () => {
  const model = modelWith(BASE_VARS);
  const collector = model.services[0] as ServiceModel;

  it('is canonical: key order does not matter, the same inputs give the same text', () => {
    const reordered = reverseKeys(collector) as ServiceModel;
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(collector)[0]);
    expect(serviceFingerprint(reordered, EXTRAS)).toBe(serviceFingerprint(collector, EXTRAS));
    expect(serviceFingerprint(modelWith(BASE_VARS).services[0] as ServiceModel, EXTRAS)).toBe(
      serviceFingerprint(collector, EXTRAS),
    );
    expect(canonicalJson({ b: 1, a: [3, { d: undefined, c: 'x' }] })).toBe(
      '{"a":[3,{"c":"x"}],"b":1}',
    );
  });

  it('changes with everything that needs a new container', () => {
    const base = serviceFingerprint(collector, EXTRAS);
    const variants: [string, string][] = [
      [
        'environment',
        serviceFingerprint(
          { ...collector, environment: { ...collector.environment, POLL_SECONDS: '31' } },
          EXTRAS,
        ),
      ],
      ['image', serviceFingerprint({ ...collector, image: 'acme/collector:2.0.1' }, EXTRAS)],
      ['ports', serviceFingerprint({ ...collector, ports: [] }, EXTRAS)],
      ['image id', serviceFingerprint(collector, { ...EXTRAS, imageId: 'sha256:bbbb' })],
      ['files', serviceFingerprint(collector, { ...EXTRAS, files: { 'conf/a.conf': 'sha256:1' } })],
      ['networks', serviceFingerprint(collector, { ...EXTRAS, networks: ['other_default'] })],
      ['volumes', serviceFingerprint(collector, { ...EXTRAS, volumes: ['p_data'] })],
      ['restart', serviceFingerprint({ ...collector, restart: { name: 'always' } }, EXTRAS)],
      [
        'resources',
        serviceFingerprint(
          { ...collector, resources: { deviceRequests: [], memoryBytes: 1 } },
          EXTRAS,
        ),
      ],
    ];
    for (const [what, fingerprint] of variants) expect(fingerprint, what).not.toBe(base);
    expect(new Set(variants.map((v) => v[1])).size).toBe(variants.length);
  });

  it('does not change with dependencies or the pull policy (they never need a new container)', () => {
    const base = serviceFingerprint(collector, EXTRAS);
    expect(serviceFingerprint({ ...collector, dependsOn: [] }, EXTRAS)).toBe(base);
    expect(serviceFingerprint({ ...collector, pullPolicy: 'never' }, EXTRAS)).toBe(base);
  });
});

describe('dependency order', () => {
  it('levels: dependencies first, file order within a level', () => {
    expect(dependencyOrder(modelWith(BASE_VARS))).toEqual([
      ['broker', 'migrate'],
      ['collector'],
      ['dashboard'],
    ]);
  });

  it('services caught in a cycle still come last rather than never; unknown dependencies are ignored', () => {
    expect(
      levels([
        { service: 'a', dependsOn: ['b'] },
        { service: 'b', dependsOn: ['a'] },
        { service: 'c', dependsOn: ['gone'] },
      ]),
    ).toEqual([['c'], ['a', 'b']]);
  });

  it('services without dependencies all start together, in file order', () => {
    expect(
      dependencyOrder(modelWith({}, 'services:\n  b:\n    image: b:1\n  a:\n    image: a:1\n')),
    ).toEqual([['b', 'a']]);
  });
});

describe('planning a deployment', () => {
  const installed = modelWith(BASE_VARS);

  it('fresh install: every service created, in dependency order', () => {
    const plan = planProject({ desired: desiredOf(installed), actual: [], next: installed });
    expect(plan).toEqual([
      { service: 'broker', action: 'create', reasons: ['container missing'], containerIds: [] },
      { service: 'migrate', action: 'create', reasons: ['container missing'], containerIds: [] },
      { service: 'collector', action: 'create', reasons: ['container missing'], containerIds: [] },
      { service: 'dashboard', action: 'create', reasons: ['container missing'], containerIds: [] },
    ]);
  });

  it('nothing changed: every service unchanged (the one-shot job that exited 0 stays done)', () => {
    const actual = runningFor(installed, { migrate: { state: 'exited', exitCode: 0 } });
    const plan = planProject({
      desired: desiredOf(installed),
      actual,
      previous: installed,
      next: installed,
    });
    expect(plan.map((p) => [p.service, p.action, p.reasons])).toEqual([
      ['broker', 'unchanged', []],
      ['migrate', 'unchanged', ['one-shot task completed']],
      ['collector', 'unchanged', []],
      ['dashboard', 'unchanged', []],
    ]);
    expect(plan.map((p) => p.containerIds)).toEqual([
      ['id-broker'],
      ['id-migrate'],
      ['id-collector'],
      ['id-dashboard'],
    ]);
  });

  it('one environment variable changed: only that service is recreated, the reason names the variable, never the value', () => {
    const next = modelWith({ ...BASE_VARS, API_TOKEN: 'n3w-s3cr3t-value' });
    const plan = planProject({
      desired: desiredOf(next),
      actual: runningFor(installed),
      previous: installed,
      next,
    });
    expect(plan.filter((p) => p.action !== 'unchanged')).toEqual([
      {
        service: 'collector',
        action: 'recreate',
        reasons: ['environment API_TOKEN changed'],
        containerIds: ['id-collector'],
      },
    ]);
    const text = JSON.stringify(plan);
    expect(text).not.toContain('n3w-s3cr3t-value');
    expect(text).not.toContain('s3cr3t-token-value');
  });

  it('image and port changed: reasons say what changed', () => {
    const next = modelWith({ ...BASE_VARS, COLLECTOR_TAG: '2.1.0', COLLECTOR_PORT: '9090' });
    const plan = planProject({
      desired: desiredOf(next),
      actual: runningFor(installed),
      previous: installed,
      next,
    });
    expect(plan.find((p) => p.service === 'collector')).toEqual({
      service: 'collector',
      action: 'recreate',
      reasons: [
        'image changed (acme/collector:2.0.0 → acme/collector:2.1.0)',
        'port 9090:8080/tcp added',
        'port 8080/tcp removed',
      ],
      containerIds: ['id-collector'],
    });
  });

  it('a service removed from the file: its containers are removed, last', () => {
    const next = modelWith(BASE_VARS, COMPOSE.replace(/ {2}dashboard:\n.*\n.*\n/, ''));
    expect(next.services.map((s) => s.name)).not.toContain('dashboard');
    const plan = planProject({
      desired: desiredOf(next),
      actual: runningFor(installed),
      previous: installed,
      next,
    });
    expect(plan[plan.length - 1]).toEqual({
      service: 'dashboard',
      action: 'remove',
      reasons: ['service is no longer in the compose file'],
      containerIds: ['id-dashboard'],
    });
    expect(plan.slice(0, -1).every((p) => p.action === 'unchanged')).toBe(true);
  });

  it('an exited container with the same configuration is started; a dead one recreated; a missing one created', () => {
    const actual = runningFor(installed, {
      broker: { state: 'exited', exitCode: 1 },
      dashboard: { state: 'dead' },
    }).filter((c) => c.service !== 'migrate');
    const plan = planProject({
      desired: desiredOf(installed),
      actual,
      previous: installed,
      next: installed,
    });
    expect(plan.map((p) => [p.service, p.action, p.reasons])).toEqual([
      ['broker', 'start', ['container is exited (code 1)']],
      ['migrate', 'create', ['container missing']],
      ['collector', 'unchanged', []],
      ['dashboard', 'recreate', ['container is dead']],
    ]);
  });

  it('duplicate containers of one service: number 1 is kept, the others removed last', () => {
    const actual = [
      ...runningFor(installed),
      {
        id: 'id-broker-2',
        name: 'p-broker-2',
        service: 'broker',
        hash: 'old',
        state: 'running' as const,
        containerNumber: 2,
      },
      {
        id: 'id-broker-3',
        name: 'p-broker-3',
        service: 'broker',
        state: 'exited' as const,
        exitCode: 0,
        containerNumber: 3,
      },
    ];
    const plan = planProject({
      desired: desiredOf(installed),
      actual,
      previous: installed,
      next: installed,
    });
    expect(plan[0]).toEqual({
      service: 'broker',
      action: 'unchanged',
      reasons: [],
      containerIds: ['id-broker'],
    });
    expect(plan[plan.length - 1]).toEqual({
      service: 'broker',
      action: 'remove',
      reasons: [
        'duplicate container p-broker-2 (number 2)',
        'duplicate container p-broker-3 (number 3)',
      ],
      containerIds: ['id-broker-2', 'id-broker-3'],
    });
  });

  it('without the installed model the reason is "configuration changed"; hints name new image content and files', () => {
    const next = modelWith({ ...BASE_VARS, POLL_SECONDS: '10' });
    const unknown = planProject({ desired: desiredOf(next), actual: runningFor(installed), next });
    expect(unknown.find((p) => p.service === 'collector')?.reasons).toEqual([
      'configuration changed',
    ]);

    const desired = desiredOf(
      installed,
      { broker: { imageContent: true, files: ['conf/mosquitto.conf'] } },
      { broker: { imageId: 'sha256:new' } },
    );
    const hinted = planProject({
      desired,
      actual: runningFor(installed),
      previous: installed,
      next: installed,
    });
    expect(hinted[0]).toEqual({
      service: 'broker',
      action: 'recreate',
      reasons: ['image content changed', 'file conf/mosquitto.conf changed'],
      containerIds: ['id-broker'],
    });
  });

  it('a new service in an update is named as new', () => {
    const next = modelWith(
      BASE_VARS,
      `${COMPOSE.replace('volumes:\n  broker-data:\n', '')}  exporter:\n    image: acme/exporter:1\nvolumes:\n  broker-data:\n`,
    );
    const plan = planProject({
      desired: desiredOf(next),
      actual: runningFor(installed),
      previous: installed,
      next,
    });
    expect(plan.find((p) => p.service === 'exporter')).toEqual({
      service: 'exporter',
      action: 'create',
      reasons: ['new service'],
      containerIds: [],
    });
  });
});

describe('reasons for a change, field by field', () => {
  const base = modelWith(BASE_VARS).services[1] as ServiceModel;
  it.each<[string, Partial<ServiceModel>, string[]]>([
    ['labels', { labels: { 'com.acme.tier': 'gold' } }, ['label com.acme.tier added']],
    [
      'restart',
      { restart: { name: 'on-failure', maxRetries: 3 } },
      ['restart policy changed (no → on-failure:3)'],
    ],
    ['mounts', { mounts: [] }, ['mount at /mosquitto/data removed']],
    [
      'networks',
      { networks: [{ name: 'plant', aliases: [] }] },
      ['network plant added', 'network default removed'],
    ],
    ['healthcheck', { healthcheck: undefined }, ['health check removed']],
    ['capabilities', { capAdd: ['NET_ADMIN'], capDrop: ['ALL'] }, ['capabilities changed']],
    ['privileged', { privileged: true }, ['privileged changed (false → true)']],
    [
      'resources',
      { resources: { deviceRequests: [], memoryBytes: 512 } },
      ['resource limits changed'],
    ],
    ['user', { user: '1000' }, ['user added']],
    [
      'devices',
      {
        devices: [
          { pathOnHost: '/dev/ttyUSB0', pathInContainer: '/dev/ttyUSB0', cgroupPermissions: 'rwm' },
        ],
      },
      ['devices changed'],
    ],
    ['command', { command: ['mosquitto', '-v'] }, ['command added']],
    [
      'dependencies only',
      {
        dependsOn: [{ service: 'x', condition: 'service_started', required: true, restart: false }],
      },
      [],
    ],
  ])('%s', (_what, change, reasons) => {
    expect(serviceChanges(base, { ...base, ...change })).toEqual(reasons);
  });
});

describe('plans over drift (changes made on the device outside Commissioner)', () => {
  const model = modelWith(BASE_VARS);
  const drifted = (service: string, drift: NonNullable<DesiredService['drift']>) =>
    desiredOf(model).map((d) => (d.service === service ? { ...d, drift } : d));
  const itemOf = (items: ReturnType<typeof planProject>, service: string) =>
    items.find((i) => i.service === service);

  it('a container recreated by hand with our configuration hash is recreated, the drift the reason', () => {
    const items = planProject({
      desired: drifted('dashboard', {
        reasons: ['container dashboard was recreated outside Commissioner'],
        recreate: true,
      }),
      actual: runningFor(model),
      previous: model,
      next: model,
    });
    expect(itemOf(items, 'dashboard')).toMatchObject({
      action: 'recreate',
      reasons: ['drifted — container dashboard was recreated outside Commissioner'],
    });
    expect(itemOf(items, 'broker')?.action).toBe('unchanged');
  });

  it('a container stopped by hand is started, one removed by hand created, each saying so', () => {
    const items = planProject({
      desired: desiredOf(model).map((d) =>
        d.service === 'broker'
          ? {
              ...d,
              drift: {
                reasons: ['container broker was stopped outside Commissioner'],
                recreate: false,
              },
            }
          : d.service === 'dashboard'
            ? {
                ...d,
                drift: {
                  reasons: ['container dashboard was removed outside Commissioner'],
                  recreate: false,
                },
              }
            : d,
      ),
      actual: runningFor(model, { broker: { state: 'exited', exitCode: 0 } }).filter(
        (c) => c.service !== 'dashboard',
      ),
      previous: model,
      next: model,
    });
    expect(itemOf(items, 'broker')).toMatchObject({
      action: 'start',
      reasons: ['drifted — container broker was stopped outside Commissioner'],
    });
    expect(itemOf(items, 'dashboard')).toMatchObject({
      action: 'create',
      reasons: ['drifted — container dashboard was removed outside Commissioner'],
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  serviceDrift,
  type ServiceDriftInput,
} from '../../electron/core/deployments/docker/container-drift';
import { ownershipLabels } from '../../shared/application-deployment/ownership-labels';
import {
  snapshotOf,
  type InspectedContainer,
} from '../../electron/core/deployments/docker/container-snapshot';

/** A container as `inspect` describes it; each test changes what it is about. */
function container(over: Partial<InspectedContainer> = {}): InspectedContainer {
  return {
    Id: 'c1',
    Name: '/app-web-1',
    Image: 'sha256:aaaaaaaaaaaaaaaa',
    State: { Status: 'running', ExitCode: 0 },
    Config: {
      Env: ['LINE_NAME=Press line', 'DB_PASSWORD=hunter22', 'PATH=/bin'],
      Labels: { 'com.docker.compose.config-hash': 'h1', 'org.margo.deployment.id': 'd1' },
    },
    HostConfig: {
      PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] },
      RestartPolicy: { Name: 'unless-stopped' },
    },
    Mounts: [
      { Type: 'volume', Name: 'app_data', Source: '/var/lib/x', Destination: '/data', RW: true },
    ],
    ...over,
  };
}

const made = container();

function input(current: InspectedContainer | undefined, over: Partial<ServiceDriftInput> = {}) {
  return {
    component: 'app',
    service: 'web',
    rendered: {
      name: 'web',
      hash: 'h1',
      image: 'registry.plant.local/web:1',
      imageId: made.Image,
      imageRef: null,
      files: {},
      filesVolume: null,
      dataFolders: {},
    },
    environment: { LINE_NAME: 'Press line', DB_PASSWORD: 'hunter22' },
    oneShot: false,
    recorded: {
      component: 'app',
      service: 'web',
      containerId: made.Id,
      snapshot: snapshotOf(made),
    },
    current,
    secretValues: ['hunter22'],
    installation: 'inst-a',
    ...over,
  } satisfies ServiceDriftInput;
}

const words = (i: ServiceDriftInput) => serviceDrift(i).map((d) => `${d.kind}: ${d.message}`);

describe('drift of a service’s container', () => {
  it('none when the container is the one Commissioner made, as it made it', () => {
    expect(serviceDrift(input(made))).toEqual([]);
  });

  it('removed, recreated, stopped and paused by hand, in words', () => {
    expect(words(input(undefined))).toEqual([
      'removed: container web was removed outside Commissioner',
    ]);
    expect(words(input({ ...made, Id: 'c2' }))).toEqual([
      'recreated: container web was recreated outside Commissioner',
    ]);
    expect(words(input({ ...made, State: { Status: 'exited', ExitCode: 137 } }))).toEqual([
      'stopped: container web was stopped outside Commissioner',
    ]);
    expect(words(input({ ...made, State: { Status: 'paused' } }))).toEqual([
      'stopped: container web was paused outside Commissioner',
    ]);
  });

  it('a crash is not drift (its Margo state says failed); a finished one-shot task neither', () => {
    const crashed = {
      ...made,
      State: { Status: 'exited', ExitCode: 3 },
      HostConfig: { ...made.HostConfig, RestartPolicy: { Name: 'no' } },
    };
    expect(serviceDrift(input(crashed))).toEqual([]);
    const done = { ...made, State: { Status: 'exited', ExitCode: 0 } };
    expect(serviceDrift(input(done, { oneShot: true }))).toEqual([]);
  });

  it('a service without restart policy (taken for a one-shot task) stopped by hand is drift; killed for lack of memory it is not', () => {
    const never = { ...made.HostConfig, RestartPolicy: { Name: 'no' } };
    const stopped = { ...made, State: { Status: 'exited', ExitCode: 137 }, HostConfig: never };
    expect(words(input(stopped, { oneShot: true }))).toEqual([
      'stopped: container web was stopped outside Commissioner',
    ]);
    const terminated = { ...stopped, State: { Status: 'exited', ExitCode: 143 } };
    expect(words(input(terminated, { oneShot: true }))).toHaveLength(1);
    const oom = { ...stopped, State: { Status: 'exited', ExitCode: 137, OOMKilled: true } };
    expect(serviceDrift(input(oom, { oneShot: true }))).toEqual([]);
  });

  it('image, environment, ports, mounts and labels changed, values of secrets never shown', () => {
    const changed = container({
      Id: 'c2',
      Image: 'sha256:bbbbbbbbbbbbbbbb',
      Config: {
        Env: ['LINE_NAME=Hand line', 'DB_PASSWORD=letmein1', 'PATH=/bin', 'DEBUG=1'],
        Labels: {
          'com.docker.compose.config-hash': 'h1',
          'org.margo.deployment.id': 'd1',
          extra: 'x',
        },
      },
      HostConfig: {
        PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '9090' }] },
        RestartPolicy: { Name: 'unless-stopped' },
      },
      Mounts: [{ Type: 'bind', Source: '/tmp/data', Destination: '/data', RW: true }],
    });
    const found = words(input(changed));
    expect(found).toEqual([
      'recreated: container web was recreated outside Commissioner',
      'image: image of web differs: expected registry.plant.local/web:1 (aaaaaaaaaaaa), found bbbbbbbbbbbb',
      'environment: environment DB_PASSWORD of web differs (a secret: values not shown)',
      'environment: environment LINE_NAME of web differs: expected "Press line", found "Hand line"',
      'environment: environment DEBUG of web was added',
      'ports: published port 80/tcp of web differs: expected 8080, found 9090',
      'mounts: mount /data of web differs: expected volume app_data, found bind /tmp/data',
      'labels: label extra of web was added',
    ]);
    expect(found.join('\n')).not.toMatch(/hunter22|letmein1/);
  });

  it('without a recorded container (a deployment from before live state): the configuration hash, image and the model’s environment', () => {
    const other = container({
      Config: {
        Env: ['LINE_NAME=Hand line', 'DB_PASSWORD=hunter22'],
        Labels: { 'com.docker.compose.config-hash': 'h0' },
      },
    });
    expect(words(input(other, { recorded: undefined }))).toEqual([
      'recreated: container web was recreated outside Commissioner with another configuration',
      'environment: environment LINE_NAME of web differs: expected "Press line", found "Hand line"',
    ]);
    expect(serviceDrift(input(made, { recorded: undefined }))).toEqual([]);
  });

  it('says who recreated a container when another Commissioner installation did', () => {
    const owned = (installation: string) =>
      container({
        Id: 'c2',
        Config: {
          Env: ['LINE_NAME=Other line'],
          Labels: {
            'com.docker.compose.config-hash': 'h9',
            ...ownershipLabels({
              deploymentId: 'd1',
              appId: 'com.example.app',
              version: '1.1.0',
              revision: 4,
              deploymentDigest: 'sha256:d',
              valuesDigest: 'sha256:v',
              owner: { installation, engineer: 'Ben', host: 'LAPTOP-9' },
              deployedAt: '2026-12-06T10:00:00.000Z',
            }),
          },
        },
      });
    // One sentence naming who, not every field their deployment changed.
    expect(words(input(owned('inst-b')))).toEqual([
      'recreated: container web was recreated by Ben on LAPTOP-9 with another Commissioner (revision 4 there)',
    ]);
    // Our own labels on a container recreated by hand: the usual findings.
    expect(words(input(owned('inst-a')))[0]).toBe(
      'recreated: container web was recreated outside Commissioner',
    );
  });
});

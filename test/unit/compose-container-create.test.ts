import { describe, expect, it } from 'vitest';
import type { ComposeModel, ServiceModel } from '../../shared/compose/compose-model';
import {
  COMPOSE_LABELS,
  containerLabels,
  containerName,
  dependsOnLabel,
  networkName,
  normalizeProjectName,
  resourceLabels,
  volumeName,
} from '../../shared/compose/compose-names';
import {
  containerCreateBody,
  extraNetworks,
  networkCreateBody,
  volumeCreateBody,
  type ContainerContext,
} from '../../shared/compose/container-create';
import { loadCompose } from '../../shared/compose/load-compose';

/** An OPC UA gateway, an MQTT broker, a historian, a one-shot schema job and a GPU vision service. */
const PLANT_COMPOSE = `name: line3-monitoring
x-logging: &logging
  driver: json-file
  options:
    max-size: 10m
    max-file: "3"

services:
  broker:
    image: eclipse-mosquitto:2.0.18
    restart: unless-stopped
    ports:
      - "1883:1883"
      - "127.0.0.1:9001:9001"
    volumes:
      - broker-data:/mosquitto/data
      - ./conf/mosquitto.conf:/mosquitto/config/mosquitto.conf:ro
    healthcheck:
      test: ["CMD", "mosquitto_sub", "-t", "$$SYS/#", "-C", "1", "-W", "3"]
      interval: 10s
      timeout: 5s
      retries: 5
      start_period: 20s
    networks: [plant]
    logging: *logging

  historian:
    image: influxdb:1.8.10
    restart: always
    environment:
      INFLUXDB_DB: \${HISTORIAN_DB:-line3}
      INFLUXDB_ADMIN_PASSWORD: \${HISTORIAN_PASSWORD:?set the historian password}
      INFLUXDB_HTTP_AUTH_ENABLED: "true"
    volumes:
      - type: volume
        source: historian-data
        target: /var/lib/influxdb
    healthcheck:
      test: curl -fs http://localhost:8086/ping
      interval: 30s
    deploy:
      resources:
        limits:
          cpus: "1.5"
          memory: 1g
        reservations:
          memory: 256m
    ulimits:
      nofile:
        soft: 20000
        hard: 40000
    networks:
      plant:
        aliases: [influx]

  schema:
    image: acme/historian-schema:1.2.0
    command: migrate --database line3 --wait 30s
    networks: [plant]

  opcua-gateway:
    image: registry.plant.local/acme/opcua-gateway:3.1.4
    restart: on-failure:5
    depends_on:
      broker:
        condition: service_healthy
      historian:
        condition: service_started
        restart: true
      schema:
        condition: service_completed_successfully
    env_file: conf/gateway.env
    environment:
      OPCUA_ENDPOINT: opc.tcp://\${PLC_HOST}:4840
      MQTT_URL: mqtt://broker:1883
      POLL_SECONDS: \${POLL_SECONDS:-5}
    ports:
      - "4840:4840"
    devices:
      - /dev/ttyUSB0:/dev/ttyS0
    cap_add: [NET_ADMIN]
    read_only: true
    tmpfs: ["/run:size=16m", /tmp]
    user: "1000:20"
    working_dir: /opt/gateway
    hostname: opcua-gw
    stop_grace_period: 1m30s
    stop_signal: SIGINT
    extra_hosts: ["plc-7.plant.local:10.0.7.7"]
    init: true
    configs:
      - source: gateway_certs
        target: /etc/gateway/trust.pem
    labels:
      com.acme.line: "3"
    networks:
      plant:
        ipv4_address: 172.28.0.40
      ot:
        aliases: [gateway]
    logging: *logging

  vision:
    image: acme/vision-inspector:0.9.2
    x-note: the vision model comes with the kit
    deploy:
      resources:
        limits:
          pids: 512
        reservations:
          devices:
            - driver: nvidia
              count: all
              capabilities: [gpu]
    shm_size: 1g
    volumes:
      - /srv/vision/models:/models:ro
      - /scratch
    expose: ["8500"]

networks:
  plant:
    ipam:
      config:
        - subnet: 172.28.0.0/16
  ot:
    external: true
    name: ot-backbone

volumes:
  broker-data:
  historian-data:
    labels:
      com.acme.backup: nightly

configs:
  gateway_certs:
    file: ./certs/trust.pem
`;

const FILES: Record<string, string> = {
  'conf/gateway.env': 'OPCUA_SECURITY_MODE=SignAndEncrypt\nPOLL_SECONDS=60\n',
  'certs/trust.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
};

const VARIABLES = { HISTORIAN_PASSWORD: 'pr3ss-42!', PLC_HOST: '10.0.7.7' };
const PROJECT = 'line3-monitoring-press-42';

function plantModel(): ComposeModel {
  const result = loadCompose({
    text: PLANT_COMPOSE,
    file: 'line3@1.0.0/compose.yaml',
    variables: VARIABLES,
    readFile: (p) => FILES[p],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.model;
}

function contextFor(model: ComposeModel, service: ServiceModel): ContainerContext {
  return {
    projectName: PROJECT,
    imageRef: service.image,
    labels: { [COMPOSE_LABELS.project]: PROJECT, [COMPOSE_LABELS.service]: service.name },
    networkName: (name) => networkName(PROJECT, name, model.networks[name] as never),
    volumeName: (name) => volumeName(PROJECT, name, model.volumes[name] as never),
    anonymousVolume: (target) => (target === '/scratch' ? 'a1b2c3d4e5' : undefined),
    archivePath: (relative) => `/var/lib/commissioner/projects/${PROJECT}/files/${relative}`,
    configPath: (name) => `/var/lib/commissioner/projects/${PROJECT}/configs/${name}`,
  };
}

function bodyOf(name: string) {
  const model = plantModel();
  const service = model.services.find((s) => s.name === name) as ServiceModel;
  const context = contextFor(model, service);
  return {
    body: containerCreateBody(service, context),
    extra: extraNetworks(service, context),
    model,
    service,
  };
}

const FILES_ROOT = `/var/lib/commissioner/projects/${PROJECT}`;

describe('container create bodies for a realistic plant application (Engine API 1.41)', () => {
  it('loads without warnings', () => {
    const result = loadCompose({
      text: PLANT_COMPOSE,
      file: 'x',
      variables: VARIABLES,
      readFile: (p) => FILES[p],
    });
    expect(result).toMatchObject({ ok: true, warnings: [] });
  });

  it('the MQTT broker: ports, named volume and archive bind as Mounts, healthcheck in ns, logging', () => {
    expect(bodyOf('broker').body).toEqual({
      Image: 'eclipse-mosquitto:2.0.18',
      Labels: { 'com.docker.compose.project': PROJECT, 'com.docker.compose.service': 'broker' },
      ExposedPorts: { '1883/tcp': {}, '9001/tcp': {} },
      Healthcheck: {
        Test: ['CMD', 'mosquitto_sub', '-t', '$SYS/#', '-C', '1', '-W', '3'],
        Interval: 10_000_000_000,
        Timeout: 5_000_000_000,
        Retries: 5,
        StartPeriod: 20_000_000_000,
      },
      Tty: false,
      OpenStdin: false,
      HostConfig: {
        Mounts: [
          {
            Type: 'volume',
            Source: `${PROJECT}_broker-data`,
            Target: '/mosquitto/data',
            ReadOnly: false,
          },
          {
            Type: 'bind',
            Source: `${FILES_ROOT}/files/conf/mosquitto.conf`,
            Target: '/mosquitto/config/mosquitto.conf',
            ReadOnly: true,
          },
        ],
        PortBindings: {
          '1883/tcp': [{ HostIp: '', HostPort: '1883' }],
          '9001/tcp': [{ HostIp: '127.0.0.1', HostPort: '9001' }],
        },
        RestartPolicy: { Name: 'unless-stopped' },
        Privileged: false,
        ReadonlyRootfs: false,
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
        NetworkMode: `${PROJECT}_plant`,
      },
      NetworkingConfig: { EndpointsConfig: { [`${PROJECT}_plant`]: { Aliases: ['broker'] } } },
    });
  });

  it('the historian: sorted Env with the interpolated secret, resources, ulimits, CMD-SHELL healthcheck, alias', () => {
    const { body } = bodyOf('historian');
    expect(body.Env).toEqual([
      'INFLUXDB_ADMIN_PASSWORD=pr3ss-42!',
      'INFLUXDB_DB=line3',
      'INFLUXDB_HTTP_AUTH_ENABLED=true',
    ]);
    expect(body.Healthcheck).toEqual({
      Test: ['CMD-SHELL', 'curl -fs http://localhost:8086/ping'],
      Interval: 30e9,
    });
    expect(body.HostConfig).toEqual({
      Mounts: [
        {
          Type: 'volume',
          Source: `${PROJECT}_historian-data`,
          Target: '/var/lib/influxdb',
          ReadOnly: false,
        },
      ],
      RestartPolicy: { Name: 'always' },
      Privileged: false,
      ReadonlyRootfs: false,
      Ulimits: [{ Name: 'nofile', Soft: 20000, Hard: 40000 }],
      NanoCpus: 1_500_000_000,
      Memory: 1024 ** 3,
      MemoryReservation: 256 * 1024 ** 2,
      NetworkMode: `${PROJECT}_plant`,
    });
    expect(body.NetworkingConfig).toEqual({
      EndpointsConfig: { [`${PROJECT}_plant`]: { Aliases: ['historian', 'influx'] } },
    });
    expect(body).not.toHaveProperty('ExposedPorts');
  });

  it('the one-shot schema job: the command split into words', () => {
    const { body } = bodyOf('schema');
    expect(body.Cmd).toEqual(['migrate', '--database', 'line3', '--wait', '30s']);
    expect(body).not.toHaveProperty('Entrypoint');
    expect((body.HostConfig as Record<string, unknown>).RestartPolicy).toEqual({ Name: 'no' });
  });

  it('the OPC UA gateway: everything a gateway needs, second network connected after create', () => {
    const { body, extra } = bodyOf('opcua-gateway');
    expect(body).toEqual({
      Image: 'registry.plant.local/acme/opcua-gateway:3.1.4',
      Env: [
        'MQTT_URL=mqtt://broker:1883',
        'OPCUA_ENDPOINT=opc.tcp://10.0.7.7:4840',
        'OPCUA_SECURITY_MODE=SignAndEncrypt',
        // environment wins over the env file, and its own default applies.
        'POLL_SECONDS=5',
      ],
      Labels: {
        'com.acme.line': '3',
        'com.docker.compose.project': PROJECT,
        'com.docker.compose.service': 'opcua-gateway',
      },
      ExposedPorts: { '4840/tcp': {} },
      User: '1000:20',
      WorkingDir: '/opt/gateway',
      Hostname: 'opcua-gw',
      StopSignal: 'SIGINT',
      StopTimeout: 90,
      Tty: false,
      OpenStdin: false,
      HostConfig: {
        Mounts: [
          {
            Type: 'bind',
            Source: `${FILES_ROOT}/configs/gateway_certs`,
            Target: '/etc/gateway/trust.pem',
            ReadOnly: true,
          },
        ],
        PortBindings: { '4840/tcp': [{ HostIp: '', HostPort: '4840' }] },
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 },
        CapAdd: ['NET_ADMIN'],
        Privileged: false,
        ReadonlyRootfs: true,
        Tmpfs: { '/run': 'size=16m', '/tmp': '' },
        Devices: [
          { PathOnHost: '/dev/ttyUSB0', PathInContainer: '/dev/ttyS0', CgroupPermissions: 'rwm' },
        ],
        ExtraHosts: ['plc-7.plant.local:10.0.7.7'],
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
        Init: true,
        // Equal priority: docker compose orders by name, so ot-backbone (key "ot") comes first.
        NetworkMode: 'ot-backbone',
      },
      NetworkingConfig: {
        EndpointsConfig: { 'ot-backbone': { Aliases: ['opcua-gateway', 'gateway'] } },
      },
    });
    expect(extra).toEqual([
      {
        networkName: `${PROJECT}_plant`,
        EndpointConfig: { Aliases: ['opcua-gateway'], IPAMConfig: { IPv4Address: '172.28.0.40' } },
      },
    ]);
  });

  it('the vision service: GPU device request, pids limit, shm size, device bind created when missing, reused anonymous volume', () => {
    const { body } = bodyOf('vision');
    expect(body.ExposedPorts).toEqual({ '8500/tcp': {} });
    expect(body.HostConfig).toEqual({
      Binds: ['/srv/vision/models:/models:ro'],
      Mounts: [{ Type: 'volume', Source: 'a1b2c3d4e5', Target: '/scratch', ReadOnly: false }],
      RestartPolicy: { Name: 'no' },
      Privileged: false,
      ReadonlyRootfs: false,
      PidsLimit: 512,
      DeviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }],
      ShmSize: 1024 ** 3,
      NetworkMode: `${PROJECT}_default`,
    });
    expect(body.NetworkingConfig).toEqual({
      EndpointsConfig: { [`${PROJECT}_default`]: { Aliases: ['vision'] } },
    });
  });

  it('an anonymous volume with nothing to reuse is a volume mount without Source', () => {
    const model = plantModel();
    const vision = model.services.find((s) => s.name === 'vision') as ServiceModel;
    const context = { ...contextFor(model, vision), anonymousVolume: undefined };
    const mounts = (containerCreateBody(vision, context).HostConfig as { Mounts: unknown[] })
      .Mounts;
    expect(mounts).toEqual([{ Type: 'volume', Target: '/scratch', ReadOnly: false }]);
  });

  it('long-syntax binds, tmpfs mounts, nocopy and SELinux labels', () => {
    const result = loadCompose({
      text: `services:
  a:
    image: a:1
    volumes:
      - type: bind
        source: /run/plc
        target: /plc
        bind: {propagation: rslave}
      - type: tmpfs
        target: /cache
        tmpfs: {size: 64m, mode: 0o1777}
      - data:/seed:nocopy
      - ./conf:/etc/app:ro,Z
volumes:
  data:
`,
      file: 'x',
      variables: {},
      readFile: () => undefined,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const service = result.model.services[0] as ServiceModel;
    const host = containerCreateBody(service, contextFor(result.model, service))
      .HostConfig as Record<string, unknown>;
    expect(host.Binds).toEqual([`${FILES_ROOT}/files/conf:/etc/app:ro,Z`]);
    expect(host.Mounts).toEqual([
      {
        Type: 'bind',
        Source: '/run/plc',
        Target: '/plc',
        ReadOnly: false,
        BindOptions: { Propagation: 'rslave' },
      },
      {
        Type: 'tmpfs',
        Target: '/cache',
        ReadOnly: false,
        TmpfsOptions: { SizeBytes: 64 * 1024 ** 2, Mode: 0o1777 },
      },
      {
        Type: 'volume',
        Source: `${PROJECT}_data`,
        Target: '/seed',
        ReadOnly: false,
        VolumeOptions: { NoCopy: true },
      },
    ]);
  });
});

describe('networks and volumes of the project', () => {
  it('network create bodies; external networks are never created', () => {
    const model = plantModel();
    const labels = resourceLabels('network', PROJECT, 'plant', '2.20.2');
    expect(
      networkCreateBody('plant', model.networks.plant as never, `${PROJECT}_plant`, labels),
    ).toEqual({
      Name: `${PROJECT}_plant`,
      CheckDuplicate: true,
      Driver: 'bridge',
      Internal: false,
      Attachable: false,
      EnableIPv6: false,
      Labels: {
        'com.docker.compose.project': PROJECT,
        'com.docker.compose.network': 'plant',
        'com.docker.compose.version': '2.20.2',
      },
      IPAM: { Driver: 'default', Config: [{ Subnet: '172.28.0.0/16' }] },
    });
    expect(() => networkCreateBody('ot', model.networks.ot as never, 'ot-backbone', {})).toThrow(
      /external/,
    );
  });

  it('volume create bodies keep the file labels and add the compose ones', () => {
    const model = plantModel();
    const labels = resourceLabels('volume', PROJECT, 'historian-data', '2.20.2');
    expect(
      volumeCreateBody(
        'historian-data',
        model.volumes['historian-data'] as never,
        `${PROJECT}_historian-data`,
        labels,
      ),
    ).toEqual({
      Name: `${PROJECT}_historian-data`,
      Driver: 'local',
      DriverOpts: {},
      Labels: {
        'com.acme.backup': 'nightly',
        'com.docker.compose.project': PROJECT,
        'com.docker.compose.volume': 'historian-data',
        'com.docker.compose.version': '2.20.2',
      },
    });
  });
});

describe('names and labels as docker compose v2 writes them', () => {
  it('container, network and volume names', () => {
    expect(containerName('line3', { name: 'broker' })).toBe('line3-broker-1');
    expect(containerName('line3', { name: 'broker' }, 2)).toBe('line3-broker-2');
    expect(containerName('line3', { name: 'broker', containerName: 'mqtt' })).toBe('mqtt');
    const network = {
      driverOpts: {},
      external: false,
      internal: false,
      attachable: false,
      enableIpv6: false,
      labels: {},
    };
    expect(networkName('line3', 'plant', network)).toBe('line3_plant');
    expect(networkName('line3', 'plant', { ...network, name: 'plant-net' })).toBe('plant-net');
    expect(networkName('line3', 'ot', { ...network, external: true })).toBe('ot');
    const volume = { driverOpts: {}, external: false, labels: {} };
    expect(volumeName('line3', 'data', volume)).toBe('line3_data');
    expect(volumeName('line3', 'data', { ...volume, external: true, name: 'shared-data' })).toBe(
      'shared-data',
    );
    expect(normalizeProjectName('Line-3 Monitoring@Press.42')).toBe('line-3monitoringpress42');
    expect(normalizeProjectName('__x')).toBe('x');
  });

  it('the compose label keys and a container label set', () => {
    expect(Object.values(COMPOSE_LABELS).sort()).toEqual(
      [
        'project',
        'service',
        'container-number',
        'oneoff',
        'config-hash',
        'project.working_dir',
        'project.config_files',
        'version',
        'network',
        'volume',
        'depends_on',
        'image',
      ]
        .map((k) => `com.docker.compose.${k}`)
        .sort(),
    );
    const gateway = plantModel().services.find((s) => s.name === 'opcua-gateway') as ServiceModel;
    expect(dependsOnLabel(gateway.dependsOn)).toBe(
      'broker:service_healthy:false,historian:service_started:true,schema:service_completed_successfully:false',
    );
    expect(
      containerLabels({
        project: 'line3',
        service: 'broker',
        configHash: 'ab12',
        workingDir: '/var/lib/commissioner/projects/line3',
        configFiles: '/var/lib/commissioner/projects/line3/compose.yaml',
        version: '2.20.2',
        imageId: 'sha256:0f1e',
        dependsOn: [],
      }),
    ).toEqual({
      'com.docker.compose.project': 'line3',
      'com.docker.compose.service': 'broker',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.config-hash': 'ab12',
      'com.docker.compose.project.working_dir': '/var/lib/commissioner/projects/line3',
      'com.docker.compose.project.config_files':
        '/var/lib/commissioner/projects/line3/compose.yaml',
      'com.docker.compose.version': '2.20.2',
      'com.docker.compose.image': 'sha256:0f1e',
      'com.docker.compose.depends_on': '',
    });
  });
});

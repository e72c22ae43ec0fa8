import { describe, expect, it } from 'vitest';
import { ComposeModel, type ServiceModel } from '../../shared/compose/compose-model';
import { loadCompose, type ComposeLoadResult } from '../../shared/compose/load-compose';

const FILE = 'gateway@3.0.0/compose.yaml';

function load(
  text: string,
  variables: Record<string, string> = {},
  files: Record<string, string> = {},
): ComposeLoadResult {
  return loadCompose({ text, file: FILE, variables, readFile: (p) => files[p] });
}

function modelOf(text: string, files: Record<string, string> = {}): ComposeModel {
  const result = load(text, {}, files);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems, null, 2)}`);
  // Whatever the loader builds must be the model its schema describes.
  return ComposeModel.parse(result.model);
}

/** The single service of a file whose service body is `body` (indented 4). */
function service(body: string, files: Record<string, string> = {}, extra = ''): ServiceModel {
  const text = `services:\n  app:\n    image: acme/app:1.0\n${body}${extra}`;
  const m = modelOf(text, files);
  return m.services[0] as ServiceModel;
}

function problemsOf(text: string, files: Record<string, string> = {}) {
  const result = load(text, {}, files);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems;
}

describe('a minimal service gets explicit defaults', () => {
  it('image only', () => {
    expect(service('')).toEqual({
      name: 'app',
      image: 'acme/app:1.0',
      environment: {},
      ports: [],
      mounts: [],
      configs: [],
      networks: [{ name: 'default', aliases: [] }],
      dependsOn: [],
      restart: { name: 'no' },
      labels: {},
      devices: [],
      capAdd: [],
      capDrop: [],
      privileged: false,
      readOnly: false,
      tmpfs: [],
      ulimits: [],
      resources: { deviceRequests: [] },
      extraHosts: [],
      dns: [],
      expose: [],
      groupAdd: [],
      stdinOpen: false,
      tty: false,
    });
  });

  it('the implicit default network exists in the model as a bridge', () => {
    const m = modelOf('services:\n  app:\n    image: a:1\n');
    expect(m.networks).toEqual({
      default: {
        driver: 'bridge',
        driverOpts: {},
        external: false,
        internal: false,
        attachable: false,
        enableIpv6: false,
        labels: {},
      },
    });
  });

  it('services stay in file order, even with names JavaScript would reorder', () => {
    const m = modelOf(
      'services:\n  zeta:\n    image: z:1\n  "10":\n    image: t:1\n  alpha:\n    image: a:1\n',
    );
    expect(m.services.map((s) => s.name)).toEqual(['zeta', '10', 'alpha']);
  });
});

describe('command and entrypoint', () => {
  it.each([
    ['python app.py --port 4840', ['python', 'app.py', '--port', '4840']],
    [`sh -c 'echo "$$HOME" && sleep 1'`, ['sh', '-c', 'echo "$HOME" && sleep 1']],
    [
      'run "two words" three\\ four "esc\\"aped" \'#not-a-comment\'',
      ['run', 'two words', 'three four', 'esc"aped', '#not-a-comment'],
    ],
    ['echo ""', ['echo', '']],
    ['', []],
  ])('string %s is split like a shell', (written, words) => {
    expect(service(`    command: ${JSON.stringify(written)}\n`).command).toEqual(words);
  });

  it('a list is kept as is; numbers become their written text', () => {
    expect(service('    entrypoint: ["/bin/gw", "--rate", 1.50]\n').entrypoint).toEqual([
      '/bin/gw',
      '--rate',
      '1.50',
    ]);
  });

  it('an unclosed quote is a problem at the command', () => {
    const problems = problemsOf('services:\n  app:\n    image: a:1\n    command: echo "oops\n');
    expect(problems).toEqual([
      expect.objectContaining({ line: 4, column: 14, path: 'services.app.command' }),
    ]);
    expect(problems[0]?.message).toContain('never closed');
  });
});

describe('environment', () => {
  it('mapping and list forms; KEY alone takes the deployment variable or is left out', () => {
    const text = (env: string) => `services:\n  app:\n    image: a:1\n    environment:\n${env}`;
    const vars = { SITE_ID: 'press-42' };
    const fromMap = load(
      text('      SITE_ID:\n      ABSENT:\n      PORT: 4840\n      DEBUG: false\n'),
      vars,
    );
    const fromList = load(
      text(
        '      - SITE_ID\n      - ABSENT\n      - PORT=4840\n      - EQUALS=a=b\n      - EMPTY=\n',
      ),
      vars,
    );
    expect(fromMap.ok && fromMap.model.services[0]?.environment).toEqual({
      SITE_ID: 'press-42',
      PORT: '4840',
      DEBUG: 'false',
    });
    expect(fromList.ok && fromList.model.services[0]?.environment).toEqual({
      SITE_ID: 'press-42',
      PORT: '4840',
      EQUALS: 'a=b',
      EMPTY: '',
    });
  });
});

describe('ports', () => {
  it.each([
    ['"80"', [{ target: 80, protocol: 'tcp' }]],
    ['"8080:80"', [{ target: 80, published: 8080, protocol: 'tcp' }]],
    [
      '"127.0.0.1:8080:80"',
      [{ target: 80, published: 8080, protocol: 'tcp', hostIp: '127.0.0.1' }],
    ],
    ['"127.0.0.1::80"', [{ target: 80, protocol: 'tcp', hostIp: '127.0.0.1' }]],
    ['"4840:4840/udp"', [{ target: 4840, published: 4840, protocol: 'udp' }]],
    ['"[::1]:8080:80"', [{ target: 80, published: 8080, protocol: 'tcp', hostIp: '::1' }]],
    [
      '"9000-9002:9100-9102"',
      [9100, 9101, 9102].map((t, i) => ({ target: t, published: 9000 + i, protocol: 'tcp' })),
    ],
    [
      '"5000-5001"',
      [
        { target: 5000, protocol: 'tcp' },
        { target: 5001, protocol: 'tcp' },
      ],
    ],
    ['1883', [{ target: 1883, protocol: 'tcp' }]],
    [
      '{target: 4840, published: "14840", protocol: udp, host_ip: 10.0.7.42, mode: host}',
      [{ target: 4840, published: 14840, protocol: 'udp', hostIp: '10.0.7.42' }],
    ],
    ['{target: 80}', [{ target: 80, protocol: 'tcp' }]],
  ])('%s', (written, expected) => {
    expect(service(`    ports:\n      - ${written}\n`).ports).toEqual(expected);
  });

  it.each([
    ['"8080:80/icmp"', 'protocol must be tcp, udp or sctp'],
    ['"70000:80"', 'is not a port'],
    ['"9000-9002:80"', 'ranges of the same length'],
    ['"not.an.ip:80:80"', 'is not an IP address'],
    ['{published: 80}', 'needs target'],
  ])('%s is refused', (written, words) => {
    const problems = problemsOf(
      `services:\n  app:\n    image: a:1\n    ports:\n      - ${written}\n`,
    );
    expect(problems[0]).toMatchObject({
      line: 5,
      path: expect.stringContaining('services.app.ports[0]'),
    });
    expect(problems[0]?.message).toContain(words);
  });
});

describe('volumes (mounts)', () => {
  const top = 'volumes:\n  data:\n';
  it('short syntax: named, archive-relative, device, anonymous, options', () => {
    const mounts = service(
      `    volumes:
      - data:/var/lib/historian
      - data:/backup:ro,nocopy
      - ./conf/mosquitto.conf:/mosquitto/config/mosquitto.conf:ro
      - ./conf/../certs:/certs
      - .:/app
      - /var/log/plant:/logs:rw,z,rshared,cached
      - /scratch
`,
      {},
      top,
    ).mounts;
    expect(mounts).toEqual([
      { type: 'volume', source: 'data', target: '/var/lib/historian', readOnly: false },
      { type: 'volume', source: 'data', target: '/backup', readOnly: true, nocopy: true },
      {
        type: 'bind',
        source: 'conf/mosquitto.conf',
        target: '/mosquitto/config/mosquitto.conf',
        readOnly: true,
        createHostPath: true,
        bindFrom: 'archive',
      },
      {
        type: 'bind',
        source: 'certs',
        target: '/certs',
        readOnly: false,
        createHostPath: true,
        bindFrom: 'archive',
      },
      {
        type: 'bind',
        source: '.',
        target: '/app',
        readOnly: false,
        createHostPath: true,
        bindFrom: 'archive',
      },
      {
        type: 'bind',
        source: '/var/log/plant',
        target: '/logs',
        readOnly: false,
        createHostPath: true,
        bindFrom: 'device',
        selinux: 'z',
        propagation: 'rshared',
        consistency: 'cached',
      },
      { type: 'volume', target: '/scratch', readOnly: false },
    ]);
  });

  it('long syntax: volume, bind, tmpfs', () => {
    const mounts = service(
      `    volumes:
      - type: volume
        source: data
        target: /data
        read_only: true
        volume: {nocopy: true}
      - type: bind
        source: /dev/shm/plc
        target: /plc
        bind: {propagation: rslave, create_host_path: false, selinux: Z}
      - type: bind
        source: ./certs/ca.pem
        target: /etc/ssl/ca.pem
        read_only: true
      - type: tmpfs
        target: /cache
        tmpfs: {size: 64m, mode: 1777}
      - type: volume
        target: /anonymous
`,
      {},
      top,
    ).mounts;
    expect(mounts).toEqual([
      { type: 'volume', source: 'data', target: '/data', readOnly: true, nocopy: true },
      {
        type: 'bind',
        source: '/dev/shm/plc',
        target: '/plc',
        readOnly: false,
        propagation: 'rslave',
        createHostPath: false,
        selinux: 'Z',
        bindFrom: 'device',
      },
      {
        type: 'bind',
        source: 'certs/ca.pem',
        target: '/etc/ssl/ca.pem',
        readOnly: true,
        bindFrom: 'archive',
      },
      {
        type: 'tmpfs',
        target: '/cache',
        readOnly: false,
        tmpfsSizeBytes: 64 * 1024 * 1024,
        tmpfsMode: 0o1777,
      },
      { type: 'volume', target: '/anonymous', readOnly: false },
    ]);
  });

  it.each([
    ['../outside:/x', 'leads out of the application'],
    ['~/data:/x', 'home folder'],
    ['data:relative', 'must be absolute'],
    ['data:/x:bogus', '"bogus" is not a volume option'],
    ['{type: npipe, source: x, target: /x}', 'volume type "npipe" is not supported'],
    ['{type: bind, target: /x}', 'needs source'],
    ['{type: tmpfs, target: /x, bind: {propagation: shared}}', 'applies to bind mounts only'],
  ])('%s is refused', (written, words) => {
    const problems = problemsOf(
      `services:\n  app:\n    image: a:1\n    volumes:\n      - ${written}\n${top}`,
    );
    expect(problems.map((p) => p.message).join('\n')).toContain(words);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(5);
  });
});

describe('networks, depends_on, restart, healthcheck', () => {
  const nets = 'networks:\n  plant:\n  backend:\n';
  it('networks as a list, or a mapping with aliases, addresses and priority; primary first', () => {
    expect(service('    networks: [plant, backend]\n', {}, nets).networks).toEqual([
      { name: 'backend', aliases: [] },
      { name: 'plant', aliases: [] },
    ]);
    expect(
      service(
        `    networks:
      backend:
      plant:
        aliases: [opcua, gateway]
        ipv4_address: 172.28.0.10
        ipv6_address: fd00::10
        priority: 100
`,
        {},
        nets,
      ).networks,
    ).toEqual([
      {
        name: 'plant',
        aliases: ['opcua', 'gateway'],
        ipv4Address: '172.28.0.10',
        ipv6Address: 'fd00::10',
        priority: 100,
      },
      { name: 'backend', aliases: [] },
    ]);
  });

  it('depends_on as a list and as a mapping with condition, required, restart', () => {
    const text = `services:
  broker:
    image: mosquitto:2
  init:
    image: migrate:1
  gw:
    image: gw:1
    depends_on:
      broker:
        condition: service_healthy
        restart: true
      init:
        condition: service_completed_successfully
        required: false
  ui:
    image: ui:1
    depends_on: [gw]
`;
    const m = modelOf(text);
    expect(m.services[2]?.dependsOn).toEqual([
      { service: 'broker', condition: 'service_healthy', required: true, restart: true },
      {
        service: 'init',
        condition: 'service_completed_successfully',
        required: false,
        restart: false,
      },
    ]);
    expect(m.services[3]?.dependsOn).toEqual([
      { service: 'gw', condition: 'service_started', required: true, restart: false },
    ]);
  });

  it.each([
    ['"no"', { name: 'no' }],
    ['always', { name: 'always' }],
    ['on-failure', { name: 'on-failure' }],
    ['on-failure:3', { name: 'on-failure', maxRetries: 3 }],
    ['unless-stopped', { name: 'unless-stopped' }],
  ])('restart: %s', (written, expected) => {
    expect(service(`    restart: ${written}\n`).restart).toEqual(expected);
  });

  it('deploy.restart_policy maps onto restart', () => {
    expect(
      service('    deploy:\n      restart_policy: {condition: on-failure, max_attempts: 5}\n')
        .restart,
    ).toEqual({
      name: 'on-failure',
      maxRetries: 5,
    });
    expect(service('    deploy:\n      restart_policy: {condition: any}\n').restart).toEqual({
      name: 'always',
    });
  });

  it('restart: forever is refused', () => {
    expect(
      problemsOf('services:\n  a:\n    image: a:1\n    restart: forever\n')[0]?.message,
    ).toContain('restart must be');
  });

  it('healthcheck: string test, list test, durations, disable', () => {
    expect(
      service(`    healthcheck:
      test: curl -fs http://localhost:8086/ping
      interval: 1m30s
      timeout: 500ms
      start_period: 1.5s
      retries: 5
`).healthcheck,
    ).toEqual({
      test: ['CMD-SHELL', 'curl -fs http://localhost:8086/ping'],
      intervalNs: 90e9,
      timeoutNs: 500e6,
      startPeriodNs: 1.5e9,
      retries: 5,
    });
    expect(
      service(
        '    healthcheck:\n      test: ["CMD", "mosquitto_sub", "-t", "$$SYS/#", "-C", "1"]\n',
      ).healthcheck,
    ).toEqual({
      test: ['CMD', 'mosquitto_sub', '-t', '$SYS/#', '-C', '1'],
    });
    expect(service('    healthcheck:\n      disable: true\n').healthcheck).toEqual({
      test: ['NONE'],
    });
  });

  it('a healthcheck with a bad duration or list test is refused', () => {
    const problems = problemsOf(
      'services:\n  a:\n    image: a:1\n    healthcheck:\n      test: [curl, x]\n      interval: 30\n',
    );
    expect(problems.map((p) => p.path)).toEqual([
      'services.a.healthcheck.test',
      'services.a.healthcheck.interval',
    ]);
    expect(problems[1]?.message).toContain('with its unit');
  });

  it('start_interval is kept, with a warning about older engines', () => {
    const result = load(
      'services:\n  a:\n    image: a:1\n    healthcheck:\n      test: ["CMD", "true"]\n      start_interval: 2s\n',
    );
    expect(result.ok && result.model.services[0]?.healthcheck?.startIntervalNs).toBe(2e9);
    expect(result.warnings[0]?.message).toContain('Docker 25');
  });
});

describe('the remaining service keys', () => {
  it('short forms', () => {
    const s = service(`    container_name: plant-gateway
    labels:
      com.acme.line: 3
      com.acme.role: gateway
    user: "1000:1000"
    working_dir: /opt/gw
    devices:
      - /dev/ttyUSB0
      - /dev/ttyUSB1:/dev/ttyS1
      - /dev/video0:/dev/video0:r
      - /dev/ttyACM0:rw
    cap_add: [NET_ADMIN, SYS_TIME]
    cap_drop: [ALL]
    privileged: true
    read_only: "true"
    tmpfs: /run
    ulimits:
      nofile: {soft: 20000, hard: 40000}
      memlock: -1
    extra_hosts:
      - historian.plant.local:10.0.7.20
      - "mes=10.0.7.21"
      - "v6host:::1"
    hostname: gw
    domainname: plant.local
    stop_grace_period: 1m
    stop_signal: SIGINT
    logging:
      driver: json-file
      options: {max-size: 10m, max-file: 3}
    init: true
    dns: 10.0.7.1
    expose: ["4840", "5000-5001/udp"]
    group_add: [dialout]
    platform: linux/arm64
    pull_policy: never
    shm_size: 256m
    stdin_open: true
    tty: true
    mac_address: 02:42:ac:11:00:02
    x-acme-note: ignored
`);
    expect(s).toMatchObject({
      containerName: 'plant-gateway',
      labels: { 'com.acme.line': '3', 'com.acme.role': 'gateway' },
      user: '1000:1000',
      workingDir: '/opt/gw',
      devices: [
        { pathOnHost: '/dev/ttyUSB0', pathInContainer: '/dev/ttyUSB0', cgroupPermissions: 'rwm' },
        { pathOnHost: '/dev/ttyUSB1', pathInContainer: '/dev/ttyS1', cgroupPermissions: 'rwm' },
        { pathOnHost: '/dev/video0', pathInContainer: '/dev/video0', cgroupPermissions: 'r' },
        { pathOnHost: '/dev/ttyACM0', pathInContainer: '/dev/ttyACM0', cgroupPermissions: 'rw' },
      ],
      capAdd: ['NET_ADMIN', 'SYS_TIME'],
      capDrop: ['ALL'],
      privileged: true,
      readOnly: true,
      tmpfs: ['/run'],
      ulimits: [
        { name: 'nofile', soft: 20000, hard: 40000 },
        { name: 'memlock', soft: -1, hard: -1 },
      ],
      extraHosts: ['historian.plant.local:10.0.7.20', 'mes:10.0.7.21', 'v6host:::1'],
      hostname: 'gw',
      domainname: 'plant.local',
      stopGracePeriodNs: 60e9,
      stopSignal: 'SIGINT',
      logging: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } },
      init: true,
      dns: ['10.0.7.1'],
      expose: ['4840', '5000-5001/udp'],
      groupAdd: ['dialout'],
      platform: 'linux/arm64',
      pullPolicy: 'never',
      shmSizeBytes: 256 * 1024 ** 2,
      stdinOpen: true,
      tty: true,
      macAddress: '02:42:ac:11:00:02',
    });
  });

  it('labels and extra_hosts in their other forms; tmpfs as a list', () => {
    const s = service(`    labels: ["com.acme.line=3", "com.acme.flag"]
    extra_hosts:
      historian: 10.0.7.20
      dual: ["10.0.7.21", "fd00::21"]
    tmpfs: ["/run:size=64m", /tmp]
`);
    expect(s.labels).toEqual({ 'com.acme.line': '3', 'com.acme.flag': '' });
    expect(s.extraHosts).toEqual(['historian:10.0.7.20', 'dual:10.0.7.21', 'dual:fd00::21']);
    expect(s.tmpfs).toEqual(['/run:size=64m', '/tmp']);
  });

  it('deploy resources, GPU device requests, and the compose v2 keys', () => {
    const s = service(`    deploy:
      resources:
        limits: {cpus: "1.5", memory: 1gb, pids: 200}
        reservations:
          cpus: 0.25
          memory: 256M
          devices:
            - driver: nvidia
              count: 1
              capabilities: [gpu, utility]
            - capabilities: [gpu]
              device_ids: ["GPU-8f3c"]
              options: {virtualization: false}
            - capabilities: [tpu]
`);
    expect(s.resources).toEqual({
      nanoCpus: 1.5e9,
      memoryBytes: 1024 ** 3,
      pidsLimit: 200,
      reservedNanoCpus: 0.25e9,
      reservedMemoryBytes: 256 * 1024 ** 2,
      deviceRequests: [
        { driver: 'nvidia', count: 1, capabilities: [['gpu', 'utility']] },
        { deviceIds: ['GPU-8f3c'], capabilities: [['gpu']], options: { virtualization: 'false' } },
        { count: -1, capabilities: [['tpu']] },
      ],
    });
    expect(
      service(
        '    mem_limit: 512m\n    mem_reservation: 128m\n    cpus: 0.5\n    pids_limit: 100\n',
      ).resources,
    ).toEqual({
      memoryBytes: 512 * 1024 ** 2,
      reservedMemoryBytes: 128 * 1024 ** 2,
      nanoCpus: 0.5e9,
      pidsLimit: 100,
      deviceRequests: [],
    });
    // Saying the same twice is fine; two different values are not.
    expect(
      service('    mem_limit: 512m\n    deploy: {resources: {limits: {memory: 512M}}}\n').resources
        .memoryBytes,
    ).toBe(512 * 1024 ** 2);
    const clash = problemsOf(
      'services:\n  a:\n    image: a:1\n    cpus: 1\n    deploy: {resources: {limits: {cpus: 2}}}\n',
    );
    expect(clash[0]?.message).toContain('sets the same limit');
  });

  it('pull_policy that needs a registry is a warning that the image must be in the kit', () => {
    const result = load('services:\n  a:\n    image: a:1\n    pull_policy: always\n');
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        line: 4,
        column: 18,
        message: expect.stringContaining('must be in the kit'),
      }),
    ]);
  });

  it('service configs: short and long syntax, default target', () => {
    const text = `services:
  broker:
    image: mosquitto:2
    configs:
      - mosquitto_conf
      - source: acl
        target: /mosquitto/config/acl
        uid: "1883"
        gid: "1883"
        mode: 0440
configs:
  mosquitto_conf:
    file: ./conf/mosquitto.conf
  acl:
    content: |
      user \${MQTT_USER:-gateway}
      topic readwrite plant/#
`;
    const result = load(text, {}, { 'conf/mosquitto.conf': 'listener 1883\n' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.model.services[0]?.configs).toEqual([
      { source: 'mosquitto_conf', target: '/mosquitto_conf' },
      { source: 'acl', target: '/mosquitto/config/acl', uid: '1883', gid: '1883', mode: 0o440 },
    ]);
    expect(result.model.configs).toEqual({
      mosquitto_conf: { file: 'conf/mosquitto.conf', content: 'listener 1883\n' },
      acl: { content: 'user gateway\ntopic readwrite plant/#\n' },
    });
  });
});

describe('top-level networks, volumes, configs', () => {
  it('networks with every setting; external ones by name (and the legacy form with a warning)', () => {
    const result = load(`services:
  a:
    image: a:1
    networks: [plant, legacy, ot]
networks:
  plant:
    driver: bridge
    driver_opts: {com.docker.network.bridge.name: br-plant}
    internal: true
    attachable: true
    enable_ipv6: true
    labels: {com.acme.zone: ot}
    ipam:
      driver: default
      config:
        - subnet: 172.28.0.0/16
          gateway: 172.28.0.1
          ip_range: 172.28.5.0/24
  legacy:
    external:
      name: plant-backbone
  ot:
    external: true
    name: ot-net
`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.model.networks).toEqual({
      plant: {
        driver: 'bridge',
        driverOpts: { 'com.docker.network.bridge.name': 'br-plant' },
        external: false,
        internal: true,
        attachable: true,
        enableIpv6: true,
        labels: { 'com.acme.zone': 'ot' },
        ipam: {
          driver: 'default',
          config: [{ subnet: '172.28.0.0/16', gateway: '172.28.0.1', ipRange: '172.28.5.0/24' }],
          options: {},
        },
      },
      legacy: {
        driverOpts: {},
        external: true,
        name: 'plant-backbone',
        internal: false,
        attachable: false,
        enableIpv6: false,
        labels: {},
      },
      ot: {
        driverOpts: {},
        external: true,
        name: 'ot-net',
        internal: false,
        attachable: false,
        enableIpv6: false,
        labels: {},
      },
    });
    expect(result.warnings).toEqual([
      expect.objectContaining({
        line: 20,
        column: 5,
        message:
          'external: {name: plant-backbone} is the old form: write external: true and name: plant-backbone',
      }),
    ]);
  });

  it('volumes with driver, options, name, labels, external', () => {
    const m = modelOf(`services:
  a:
    image: a:1
    volumes: [data:/data, shared:/shared]
volumes:
  data:
    driver: local
    driver_opts: {type: nfs, o: "addr=10.0.7.5,rw", device: ":/exports/data"}
    labels: {com.acme.backup: "true"}
    name: historian-data
  shared:
    external: true
`);
    expect(m.volumes).toEqual({
      data: {
        driver: 'local',
        driverOpts: { type: 'nfs', o: 'addr=10.0.7.5,rw', device: ':/exports/data' },
        labels: { 'com.acme.backup': 'true' },
        name: 'historian-data',
        external: false,
      },
      shared: { driverOpts: {}, external: true, labels: {} },
    });
  });

  it('an external network with driver settings is refused: it is used as it is', () => {
    const problems = problemsOf(
      'services:\n  a:\n    image: a:1\n    networks: [n]\nnetworks:\n  n:\n    external: true\n    driver: macvlan\n',
    );
    expect(problems).toEqual([
      expect.objectContaining({ line: 8, column: 5, path: 'networks.n.driver' }),
    ]);
  });

  it.each([
    ['    external: true\n', 'external configs are not supported by Commissioner'],
    ['    environment: PLANT_CONF\n', 'configs from environment variables are not supported'],
    ['    file: ./missing.conf\n', 'the file missing.conf is not in the application'],
    ['    file: ../outside.conf\n', 'leads out of the application'],
    ['    file: /etc/passwd\n', 'is an absolute path'],
    ['    file: a.conf\n    content: x\n', 'give exactly one of file or content'],
  ])('config %s is refused', (body, words) => {
    const problems = problemsOf(
      `services:\n  a:\n    image: a:1\n    configs: [c]\nconfigs:\n  c:\n${body}`,
      { 'a.conf': 'x' },
    );
    expect(problems.map((p) => p.message).join('\n')).toContain(words);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(6);
  });
});

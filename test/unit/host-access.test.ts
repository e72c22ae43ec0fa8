import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ComposeModel } from '../../shared/compose/compose-model';
import { containerCreateBody, type ContainerContext } from '../../shared/compose/container-create';
import {
  HostAccessRule,
  normalizeDevicePath,
  reviewHostAccess,
  type HostAccessFinding,
} from '../../shared/compose/host-access';
import { loadCompose } from '../../shared/compose/load-compose';
import { serviceChanges } from '../../shared/compose/service-changes';
import { serviceFingerprint } from '../../shared/compose/service-fingerprint';
import { REPO_ROOT } from '../support/run-cli';

function model(text: string): ComposeModel {
  const loaded = loadCompose({
    text,
    file: 'compose.yaml',
    variables: {},
    readFile: () => undefined,
  });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  return loaded.model;
}

function review(services: string): HostAccessFinding[] {
  return reviewHostAccess(model(`services:\n${services}`), 'app');
}

const brief = (findings: HostAccessFinding[]) =>
  findings.map((f) => [f.service, f.rule, f.severity]);

/** Rules each case below proves; the last test checks none is left without one. */
const covered = new Set<string>();
const seen = (findings: HostAccessFinding[]) => {
  for (const f of findings) covered.add(f.rule);
  return findings;
};

describe('host-access review', () => {
  it('the Docker socket and the device root: critical, in plain sentences, with where', () => {
    const findings = seen(
      review(
        [
          '  web:',
          '    image: web:1',
          '    user: "1000"',
          '    volumes:',
          '      - /var/run/docker.sock:/var/run/docker.sock',
          '      - /:/host:ro',
        ].join('\n'),
      ),
    );
    expect(findings).toEqual([
      {
        component: 'app',
        service: 'web',
        rule: 'host-docker-socket',
        severity: 'critical',
        message:
          "service web mounts the device's Docker socket: it can control every container on the device",
        path: 'services.web.volumes[0]',
      },
      {
        component: 'app',
        service: 'web',
        rule: 'host-bind-system',
        severity: 'critical',
        message:
          "service web mounts the device's whole file system (/) (read-only): it can read every file on the device",
        path: 'services.web.volumes[1]',
      },
    ]);
  });

  it('privileged and cap_add ALL are root on the device; default capabilities are nothing', () => {
    const findings = seen(
      review(
        [
          '  agent:',
          '    image: a:1',
          '    privileged: true',
          '    cap_add: [ALL, CHOWN, cap_net_admin, SYS_ADMIN]',
        ].join('\n'),
      ),
    );
    expect(brief(findings)).toEqual([
      ['agent', 'host-privileged', 'critical'],
      ['agent', 'host-capability', 'critical'],
      ['agent', 'host-capability', 'critical'],
      ['agent', 'host-capability', 'elevated'],
    ]);
    expect(findings[1]?.message).toBe(
      'service agent adds every capability (cap_add ALL): it can do what root on the device can',
    );
    expect(findings[3]?.message).toContain('NET_ADMIN');
  });

  it('system folders: critical when whole, holding one, or writable; a read-only file inside is elevated', () => {
    const findings = seen(
      review(
        [
          '  a:',
          '    image: a:1',
          '    user: "1000:1000"',
          '    volumes:',
          '      - /etc/localtime:/etc/localtime:ro',
          '      - /etc/ssl:/certs',
          '      - /var:/hostvar:ro',
          '      - /run:/hostrun',
          '      - /proc:/hostproc',
          '      - /srv//data/./:/data',
          '  b:',
          '    image: b:1',
          '    volumes: [/opt/b:/opt/b]',
        ].join('\n'),
      ),
    );
    expect(findings.map((f) => [f.service, f.rule, f.severity, f.path])).toEqual([
      ['a', 'host-bind-system', 'critical', 'services.a.volumes[1]'],
      ['a', 'host-docker-socket', 'critical', 'services.a.volumes[2]'],
      ['a', 'host-docker-socket', 'critical', 'services.a.volumes[3]'],
      ['a', 'host-bind-system', 'critical', 'services.a.volumes[4]'],
      ['a', 'host-bind', 'elevated', 'services.a.volumes[0]'],
      ['a', 'host-bind', 'elevated', 'services.a.volumes[5]'],
      ['b', 'host-bind', 'elevated', 'services.b.volumes[0]'],
      ['b', 'host-root-bind', 'elevated', 'services.b'],
    ]);
    expect(findings[1]?.message).toContain('/var (read-only), which holds the Docker socket');
    expect(findings[5]?.message).toContain('/srv/data (writable)');
  });

  it('a local volume that binds a device folder is a bind of that folder', () => {
    const findings = seen(
      reviewHostAccess(
        model(
          [
            'services:',
            '  a:',
            '    image: a:1',
            '    user: app',
            '    volumes: [hostetc:/x]',
            'volumes:',
            '  hostetc:',
            '    driver_opts: {type: none, o: bind, device: /etc}',
          ].join('\n'),
        ),
        'app',
      ),
    );
    expect(brief(findings)).toEqual([['a', 'host-bind-system', 'critical']]);
  });

  it('devices: memory and disks are critical, other hardware elevated', () => {
    const findings = seen(
      review(
        [
          '  a:',
          '    image: a:1',
          '    devices: [/dev/ttyUSB0:/dev/ttyS0, /dev/sda, /dev/mem]',
        ].join('\n'),
      ),
    );
    expect(brief(findings)).toEqual([
      ['a', 'host-device', 'critical'],
      ['a', 'host-device', 'critical'],
      ['a', 'host-device', 'elevated'],
    ]);
    expect(findings[2]?.message).toBe(
      'service a has the device file /dev/ttyUSB0 (as /dev/ttyS0): it can use that hardware directly',
    );
  });

  it('confinement switched off, namespaces shared, kernel parameters', () => {
    const findings = seen(
      review(
        [
          '  a:',
          '    image: a:1',
          '    security_opt:',
          '      - seccomp:unconfined',
          '      - apparmor=unconfined',
          '      - label=disable',
          '      - systempaths=unconfined',
          '      - apparmor=plant-profile',
          '      - label=type:svirt_apache_t',
          '      - no-new-privileges:true',
          '    userns_mode: host',
          '    ipc: host',
          '    cgroup: host',
          '    sysctls: {net.core.somaxconn: 1024}',
        ].join('\n'),
      ),
    );
    expect(brief(findings)).toEqual([
      ['a', 'host-security-opt', 'critical'],
      ['a', 'host-security-opt', 'critical'],
      ['a', 'host-security-opt', 'critical'],
      ['a', 'host-security-opt', 'critical'],
      ['a', 'host-security-opt', 'elevated'],
      ['a', 'host-security-opt', 'elevated'],
      ['a', 'host-userns', 'elevated'],
      ['a', 'host-ipc', 'elevated'],
      ['a', 'host-cgroup', 'elevated'],
      ['a', 'host-sysctl', 'elevated'],
    ]);
  });

  it('an ordinary service needs nothing of the device', () => {
    expect(
      review(
        [
          '  a:',
          '    image: a:1',
          '    cap_add: [NET_BIND_SERVICE]',
          '    cap_drop: [ALL]',
          '    security_opt: [no-new-privileges]',
          '    ipc: private',
          '    cgroup: private',
          '    volumes: [data:/data, ./conf:/conf:ro]',
          'volumes:',
          '  data: {}',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('paths are read as the kernel reads them', () => {
    expect(normalizeDevicePath('/var//run/./docker.sock/')).toBe('/var/run/docker.sock');
    expect(normalizeDevicePath('/srv/../etc')).toBe('/etc');
    expect(normalizeDevicePath('/..')).toBe('/');
  });

  it('every rule has a case here and a row in docs/validation-rules.md', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/validation-rules.md'), 'utf8');
    const rows = [...doc.matchAll(/^\|\s*`(host-[a-z-]+)`\s*\|\s*(critical|elevated)/gm)].map(
      (m) => m[1],
    );
    expect(rows).toEqual(HostAccessRule.options);
    expect(HostAccessRule.options.filter((r) => !covered.has(r))).toEqual([]);
  });
});

describe('the engine runs what the review shows', () => {
  const context: ContainerContext = {
    projectName: 'p',
    imageRef: 'a:1',
    labels: {},
    networkName: (n) => `p_${n}`,
    volumeName: (n) => `p_${n}`,
    archivePath: (p) => `/files/${p}`,
    configPath: (c) => `/configs/${c}`,
  };

  it('security_opt, userns_mode, ipc, cgroup and sysctls become their HostConfig fields', () => {
    const service = model(
      [
        'services:',
        '  a:',
        '    image: a:1',
        '    security_opt: [seccomp:unconfined, no-new-privileges]',
        '    userns_mode: host',
        '    ipc: shareable',
        '    cgroup: host',
        '    sysctls: ["net.ipv4.ip_forward=1"]',
      ].join('\n'),
    ).services[0]!;
    const host = containerCreateBody(service, context).HostConfig as Record<string, unknown>;
    expect(host).toMatchObject({
      SecurityOpt: ['seccomp=unconfined', 'no-new-privileges=true'],
      UsernsMode: 'host',
      IpcMode: 'shareable',
      CgroupnsMode: 'host',
      Sysctls: { 'net.ipv4.ip_forward': '1' },
    });
  });

  it('services without them keep their body and config hash (no recreate after an upgrade)', () => {
    const service = model('services:\n  a:\n    image: a:1\n').services[0]!;
    const host = containerCreateBody(service, context).HostConfig as Record<string, unknown>;
    for (const key of ['SecurityOpt', 'UsernsMode', 'IpcMode', 'CgroupnsMode', 'Sysctls'])
      expect(host).not.toHaveProperty(key);
    const fingerprint = serviceFingerprint(service, {
      imageId: 'sha256:1',
      files: {},
      networks: [],
      volumes: [],
    });
    expect(fingerprint).not.toMatch(/securityOpt|usernsMode|ipc|cgroup|sysctls/);
  });

  it('a change of them recreates the container, and says why', () => {
    const [before, after] = [
      'services:\n  a:\n    image: a:1\n',
      'services:\n  a:\n    image: a:1\n    security_opt: [seccomp=unconfined]\n',
    ].map((t) => model(t).services[0]!);
    expect(serviceChanges(before!, after!)).toEqual(['security options added']);
  });
});

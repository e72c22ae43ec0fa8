import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packKit } from '../../electron/core/kit/pack-kit';
import { writeBusyboxDockerSave } from './busybox-image';

export const LINE_APP = 'com-example-line-app';
export const LINE_IMAGE = 'registry.example.com/line/busybox:1.0';
export const LINE_COMPONENT = 'line-app';

/**
 * A three-service compose application, as a supplier would ship it, built on the offline
 * busybox image:
 * - `db` keeps its data in the named volume `dbdata` (it writes /data/first-start once, on
 *   the volume's first start) and serves /data/www on 8080; healthy when that answers.
 * - `api` waits for `db` to be healthy, serves poll interval + a config file from the archive
 *   (a relative bind) on port 8081, and takes an env_file from the archive.
 * - `worker` starts after `api` and needs its config `plc` (from the archive, mode 0440);
 *   `mode: broken` makes it exit 3 with an error message, the way a misconfigured PLC
 *   connector dies.
 * - `api`'s health check is a script from the archive (it must arrive executable).
 * Parameters: pollSeconds → POLL_SECONDS (api), logLevel → LOG_LEVEL (db), mode → MODE
 * (worker), siteName → SITE_NAME (api, worker), adminPassword → ADMIN_PASSWORD (api, secret).
 */
export interface LineAppOptions {
  id?: string;
  /** The app's name in the catalog (default "Line App"). */
  name?: string;
  version?: string;
  timeout?: string;
  /** YAML of the profile's `deviceConstraints` (indented as the profile's fields). */
  deviceConstraints?: string;
}

export function lineAppDescription(options: LineAppOptions = {}): string {
  const version = options.version ?? '1.0.0';
  return `apiVersion: margo.org/v1-alpha1
kind: ApplicationDescription
id: ${options.id ?? LINE_APP}
metadata:
  name: ${options.name ?? 'Line App'}
  version: ${version}
  catalog:
    application:
      tagline: Collects the line's data
    organization:
      - name: Example Industrial
deploymentProfiles:
  - type: compose
    id: line-app-compose
    components:
      - name: ${LINE_COMPONENT}
        properties:
          repository: oci://registry.example.com/compose/${options.id && options.id !== LINE_APP ? options.id : 'line-app'}
          revision: ${version}
          wait: true
          timeout: ${options.timeout ?? '1m0s'}
${options.deviceConstraints ? `    deviceConstraints:\n${options.deviceConstraints}\n` : ''}parameters:
  pollSeconds:
    value: 30
    targets:
      - pointer: POLL_SECONDS
        components: [${LINE_COMPONENT}]
  logLevel:
    value: info
    targets:
      - pointer: LOG_LEVEL
        components: [${LINE_COMPONENT}]
  mode:
    value: normal
    targets:
      - pointer: MODE
        components: [${LINE_COMPONENT}]
  siteName:
    value: Plant 1
    targets:
      - pointer: SITE_NAME
        components: [${LINE_COMPONENT}]
  adminPassword:
    value: factory-secret
    targets:
      - pointer: ADMIN_PASSWORD
        components: [${LINE_COMPONENT}]
configuration:
  sections:
    - name: General
      settings:
        - parameter: pollSeconds
          name: Poll interval
          schema: poll
        - parameter: logLevel
          name: Log level
          schema: levels
        - parameter: mode
          name: Mode
          schema: modes
        - parameter: siteName
          name: Site
          schema: text
        - parameter: adminPassword
          name: Administrator password
          schema: text
  schema:
    - name: poll
      dataType: integer
      minValue: 1
      maxValue: 3600
    - name: levels
      dataType: string
      options: [debug, info, warning]
    - name: modes
      dataType: string
      options: [normal, broken]
    - name: text
      dataType: string
      maxLength: 40
`;
}

export const LINE_COMPOSE = `services:
  db:
    image: ${LINE_IMAGE}
    environment:
      LOG_LEVEL: \${LOG_LEVEL:-info}
    command:
      - sh
      - -c
      - mkdir -p /data/www; [ -f /data/first-start ] || date > /data/first-start; echo "level=$$LOG_LEVEL" > /data/www/level; exec httpd -f -p 8080 -h /data/www
    volumes:
      - dbdata:/data
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/level"]
      interval: 1s
      timeout: 2s
      retries: 30
    stop_grace_period: 1s
  api:
    image: ${LINE_IMAGE}
    depends_on:
      db:
        condition: service_healthy
    env_file: conf/api.env
    environment:
      POLL_SECONDS: \${POLL_SECONDS}
      SITE_NAME: \${SITE_NAME:-unknown}
      ADMIN_PASSWORD: \${ADMIN_PASSWORD}
    command:
      - sh
      - -c
      - mkdir -p /srv; { echo "poll=$$POLL_SECONDS"; echo "site=$$SITE_NAME"; echo "units=$$UNITS"; cat /etc/line/app.conf; } > /srv/index.html; exec httpd -f -p 80 -h /srv
    volumes:
      - ./conf/app.conf:/etc/line/app.conf:ro
      - ./conf/probe.sh:/probe.sh:ro
    ports:
      - "8081:80"
    healthcheck:
      test: ["CMD", "/probe.sh"]
      interval: 1s
      timeout: 2s
      retries: 30
    restart: unless-stopped
    stop_grace_period: 1s
  worker:
    image: ${LINE_IMAGE}
    depends_on:
      - api
    environment:
      MODE: \${MODE:-normal}
      SITE_NAME: \${SITE_NAME:-unknown}
    command:
      - sh
      - -c
      - if [ "$$MODE" = broken ]; then echo "cannot reach PLC 10.0.0.9:502 (mode $$MODE)" >&2; exit 3; fi; grep -q plc= /etc/plc.conf || exit 4; exec sleep 100000
    configs:
      - source: plc
        target: /etc/plc.conf
        mode: 0440
    stop_grace_period: 1s
volumes:
  dbdata: {}
configs:
  plc:
    file: ./conf/plc.conf
`;

export interface LineAppKit {
  kit: string;
  packageDir: string;
  composeDir: string;
  imageTar: string;
}

/**
 * Writes the line app's package, compose folder and image archive under `dir` and packs them
 * into a kit (`kit.tar`), as `kit pack` would.
 */
export async function makeLineAppKit(
  dir: string,
  options: LineAppOptions & { compose?: string; kitName?: string; withImage?: boolean } = {},
): Promise<LineAppKit> {
  const packageDir = join(dir, 'package');
  const composeDir = join(dir, 'compose');
  await mkdir(join(packageDir, 'resources'), { recursive: true });
  await mkdir(join(composeDir, 'conf'), { recursive: true });
  await writeFile(join(packageDir, 'margo.yaml'), lineAppDescription(options));
  await writeFile(join(composeDir, 'compose.yaml'), options.compose ?? LINE_COMPOSE);
  await writeFile(join(composeDir, 'conf', 'app.conf'), 'line=3\nshift=early\n');
  await writeFile(join(composeDir, 'conf', 'api.env'), '# units of the line\nUNITS=metric\n');
  await writeFile(join(composeDir, 'conf', 'plc.conf'), 'plc=10.0.0.9:502\n');
  // The api's health check is this script: it works only if its execute bit arrives.
  await writeFile(
    join(composeDir, 'conf', 'probe.sh'),
    '#!/bin/sh\nexec wget -q -O /dev/null http://127.0.0.1:80/\n',
    { mode: 0o755 },
  );
  const imageTar = join(dir, 'busybox.tar');
  await writeBusyboxDockerSave(imageTar, [LINE_IMAGE]);
  const kit = join(dir, options.kitName ?? 'kit.tar');
  await packKit({
    packageDir,
    packageShownAs: 'package',
    components: [{ name: LINE_COMPONENT, revision: options.version ?? '1.0.0', dir: composeDir }],
    images: options.withImage === false ? [] : [imageTar],
    out: kit,
  });
  return { kit, packageDir, composeDir, imageTar };
}

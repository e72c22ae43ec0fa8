import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDocumentBytes } from '../../shared/validation/validate-document';
import {
  CTT,
  CTT_SCENARIOS,
  runStep,
  type CttEndpoint,
  type StepOutcome,
} from '../support/ctt-scenarios';
import { margoExchange } from '../support/margo-device-client';
import { REPO_ROOT, runCli } from '../support/run-cli';
import { startMargoServe } from '../support/serve-process';
import { describeWithReference } from '../support/shared-reference';

/**
 * The Margo Conformance Test Toolkit's WFM-supplier scenarios (third-party data, read from
 * ../shared/margo-ctt), every step run against a real `commissioner margo serve` over mutual
 * TLS with a client bundle from `margo client add`. What a step asks of an operator is done
 * through our own CLI. Where a step's expectation contradicts rc.3, our rc.3 answer is
 * asserted instead (docs/margo-conformance.md lists those steps and the spec text).
 */
const PROBLEM = 'https://docs.margo.org/specification/problem-types#';
const CLIENT = 'ctt-wfm';
const APP = 'ctt-multi-component-app';
// The step that waits "while an operator assigns the deployment via the WFM console".
const ASSIGN_STEP = 'efd8ad9d-1a6f-4b12-bf9d-040f11eddec6';

const root = mkdtempSync(join(tmpdir(), 'commissioner-ctt-'));
const env = { COMMISSIONER_HOME: join(root, 'home') };
const cli = (args: string[]) => runCli(args, { env, cwd: root });
let serve: Awaited<ReturnType<typeof startMargoServe>> | undefined;

interface Svid {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}
let svid: Svid;
let first: Svid;

async function clientBundle(dir: string, how: 'add' | 'renew' = 'add'): Promise<Svid> {
  const added = await cli(['margo', 'client', how, CLIENT, '-o', dir]);
  expect(added.code, added.stderr).toBe(0);
  const read = (f: string) => readFileSync(join(root, dir, f));
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

// A refreshed SVID as the operator makes one: `margo client renew`, a new certificate for the
// same client id (its devices and deployments stay; the old certificate stays valid too).
let refreshing: Promise<Svid> | undefined;
function refreshedSvid(): Promise<Svid> {
  refreshing ??= (async () => {
    svid = await clientBundle('bundle-refreshed', 'renew');
    return svid;
  })();
  return refreshing;
}

async function devicesListed(): Promise<
  { name: string; connection: string; capabilities: { properties: Record<string, unknown> } }[]
> {
  const run = await cli(['devices', 'list', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

async function deploymentsListed(): Promise<{ id: string; device: string; state: string }[]> {
  const run = await cli(['deployments', 'list', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

const endpoint: CttEndpoint = {
  async request({ method, path, headers, body, identity }) {
    const own = identity === 'refreshed' ? await refreshedSvid() : svid;
    try {
      return await margoExchange(
        {
          url: serve?.url ?? '',
          ca: own.ca,
          ...(identity === 'none' ? {} : { cert: own.cert, key: own.key }),
        },
        { method, path, headers, ...(body ? { body } : {}) },
      );
    } catch (e) {
      return { transportError: (e as Error).message };
    }
  },
  // The laptop's registry endpoint shares the WFM's port; the package is `<app id>:<version>`.
  get registryRef() {
    return `${new URL(serve?.url ?? 'https://x').host}/${APP}:1.0.0`;
  },
  operator: {
    // "Assign it via the WFM console now": the engineer deploys it to the device.
    async [ASSIGN_STEP]() {
      const run = await cli([
        'deploy',
        APP,
        '--device',
        `${CLIENT}/multi-component-test-device`,
        '--yes',
        '--json',
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([
        expect.objectContaining({ state: 'placed', revision: 1 }),
      ]);
    },
  },
};

/** A package with one compose profile of two components, one waited for and one not. */
function writePackage(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(
    join(dir, 'margo.yaml'),
    `apiVersion: margo.org/v1-alpha1
kind: ApplicationDescription
id: ${APP}
metadata:
  name: CTT multi-component app
  version: 1.0.0
  catalog:
    application:
      icon: ./resources/icon.png
      descriptionFile: ./resources/description.md
      tagline: Two compose components, one waited for
    organization:
      - name: Commissioner tests
deploymentProfiles:
  - type: compose
    id: ctt-multi-component-compose
    components:
      - name: wait-true-component
        properties:
          repository: oci://registry.plant.local/ctt/wait-true-component
          revision: 1.0.0
          wait: true
      - name: wait-false-component
        properties:
          repository: oci://registry.plant.local/ctt/wait-false-component
          revision: 1.0.0
          wait: false
`,
  );
  writeFileSync(join(dir, 'resources', 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(dir, 'resources', 'description.md'), '# CTT multi-component app\n');
}

/** A problem+json answer's type, without the spec's namespace. */
function problemType(outcome: StepOutcome): string {
  expect(outcome.response._headers['content-type']).toBe('application/problem+json');
  return String(outcome.response.type).replace(PROBLEM, '');
}

/**
 * A capabilities report with a value rc.3 does not list: accepted (an update), kept as sent,
 * and validating it says the value is read as `custom`.
 */
function unknownValueKept(field: string, value: string) {
  return async (o: StepOutcome) => {
    expect(o.status).toBe(200);
    const listed = (await devicesListed()).find((d) => d.name === `${CLIENT}/wfm-core-device`);
    expect(listed?.capabilities.properties[field]).toEqual([value]);
    const checked = validateDocumentBytes(Buffer.from(JSON.stringify(o.sent.body)), {
      file: 'body',
    });
    expect(checked.valid).toBe(true);
    expect(checked.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'capability-unknown-value', severity: 'warning' }),
      ]),
    );
  };
}

/**
 * Steps whose expectation contradicts rc.3 (docs/margo-conformance.md, "Deviations"): the
 * toolkit's verdict is checked to be a failure (so a stale entry shows), then our rc.3
 * answer is asserted.
 */
const DEVIATIONS: Record<string, (outcome: StepOutcome) => Promise<void>> = {
  // Values of supportedDeploymentTypes and supportedRuntimes rc.3 does not list are read as
  // `custom`, not refused.
  'wfm-core-cap-3': unknownValueKept('supportedDeploymentTypes', 'docker-swarm'),
  'wfm-core-cap-4': unknownValueKept('supportedRuntimes', 'containerd-direct'),
  // A status for a deployment this client was never given is a semantic error.
  'wfm-core-status-1': async (o) => {
    expect(o.status).toBe(422);
    expect(problemType(o)).toBe('semantic-error');
    expect(o.response.errors).toEqual([
      { field: 'deploymentId', message: 'unknown to this client' },
    ]);
  },
  // The first status of a deployment creates it: 201, as rc.3 answers a creation.
  'e9089cb2-d210-4434-b736-5cc1f61d2d07': async (o) => {
    expect(o.status).toBe(201);
    const deployment = (await deploymentsListed()).find(
      (d) => d.device === `${CLIENT}/multi-component-test-device`,
    );
    expect(deployment?.state).toBe('installed');
    // The toolkit's own runner puts context values into bodies as text: the version "1"
    // is read as the number it stands for (a warning, not a refusal), an update now.
    const body = o.sent.body as { adoptedManifestVersion: number };
    expect(typeof body.adoptedManifestVersion).toBe('number');
    const asText = await endpoint.request({
      method: 'POST',
      path: o.sent.path,
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from(
        JSON.stringify({ ...body, adoptedManifestVersion: String(body.adoptedManifestVersion) }),
      ),
      identity: 'client',
    });
    expect('status' in asText && asText.status).toBe(200);
  },
};

/**
 * What the runner checks beyond a step's own validations: how it reads the data
 * (docs/margo-conformance.md, "Reading the data") and what the step leaves in our records.
 */
const RECORDS: Record<string, (outcome: StepOutcome) => Promise<void>> = {
  'wfm-core-cap-2': async () => {
    const device = (await devicesListed()).find((d) => d.name === `${CLIENT}/wfm-core-device`);
    expect(device?.capabilities.properties.cpus).toEqual([{ cores: 8, architecture: 'amd64' }]);
  },
  // No `mtls` key: the toolkit's runner would send it without a client certificate, which
  // rc.3 refuses before HTTP; over mutual TLS it gets the 406 the step expects.
  'wfm-core-cn-1': async (o) => {
    expect(problemType(o)).toBe('server-cannot-generate-response');
    const { method, path, headers } = o.sent;
    const bare = await endpoint.request({ method, path, headers, identity: 'none' });
    expect('transportError' in bare).toBe(true);
  },
  [ASSIGN_STEP]: async (o) => {
    const [deployment] = (await deploymentsListed()).filter(
      (d) => d.device === `${CLIENT}/multi-component-test-device`,
    );
    expect(o.extracted.deploymentId).toBe(deployment?.id);
    expect(deployment?.state).toBe('pending');
  },
  // The registry is behind the same mutual TLS as the API: no certificate, no package.
  'ar-012-artifact-type': async (o) => {
    const { method, path, headers } = o.sent;
    const bare = await endpoint.request({ method, path, headers, identity: 'none' });
    expect('transportError' in bare).toBe(true);
  },
  // The refreshed SVID is another certificate with the same SPIFFE ID.
  'wfm-identity-svid-2': async () => {
    const cert = (s: Svid) => new X509Certificate(s.cert);
    expect(cert(svid).serialNumber).not.toBe(cert(first).serialNumber);
    expect(cert(svid).subjectAltName).toBe(cert(first).subjectAltName);
  },
  'wfm-otel-cap-2': async () => {
    const device = (await devicesListed()).find((d) => d.name === `${CLIENT}/wfm-otel-device`);
    expect(device?.capabilities.properties.otelCollector).toBe(true);
    expect(device?.capabilities.properties.supportedDeploymentTypes).toEqual(['compose', 'helm']);
  },
};

afterAll(async () => {
  await serve?.stop();
  rmSync(root, { recursive: true, force: true });
});

describeWithReference(CTT, 'Margo Conformance Test Toolkit, WFM-supplier core', () => {
  beforeAll(async () => {
    serve = await startMargoServe(env);
    first = svid = await clientBundle('bundle');
    writePackage(join(root, 'package'));
    const imported = await cli(['import', join(root, 'package')]);
    expect(imported.code, imported.stderr).toBe(0);
  }, 60_000);

  it('docs/margo-conformance.md lists exactly the steps the runner treats as deviations', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/margo-conformance.md'), 'utf8');
    const section = doc.split(/^## /m).find((s) => s.startsWith('Deviations')) ?? '';
    const listed = [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(DEVIATIONS).sort());
    const steps = CTT_SCENARIOS.flatMap((s) => s.steps.map((step) => step.id));
    for (const id of [...Object.keys(DEVIATIONS), ...Object.keys(RECORDS)])
      expect(steps).toContain(id);
  });

  for (const scenario of CTT_SCENARIOS) {
    describe(scenario.id, () => {
      // As in the toolkit: what one step extracts, later steps of its scenario use.
      const context: Record<string, unknown> = {};
      for (const step of scenario.steps) {
        it(`${step.id}: ${step.name}`, async () => {
          const outcome = await runStep(step, context, endpoint, { pollEveryMs: 200 });
          const deviation = DEVIATIONS[step.id];
          if (deviation) {
            expect(outcome.failures, 'the toolkit’s expectation holds: no deviation').not.toEqual(
              [],
            );
            await deviation(outcome);
          } else {
            expect(outcome.failures).toEqual([]);
          }
          await RECORDS[step.id]?.(outcome);
        });
      }
    });
  }
});

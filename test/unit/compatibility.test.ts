import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CompatibilityDevice } from '../../shared/compatibility/compatibility-device';
import { compatibilityRows, evaluateProfile } from '../../shared/compatibility/evaluate';
import { evaluateEligibility, type SelectorContext } from '../../shared/compatibility/selectors';
import { verdictOf } from '../../shared/compatibility/verdict';
import type {
  ApplicationDescription,
  DeploymentProfile,
} from '../../shared/margo/application-description';
import type { DeviceCapabilitiesManifest } from '../../shared/margo/device-capabilities';
import type { EligibilityRule, MatchExpression } from '../../shared/margo/device-constraints';
import { parseQuantity } from '../../shared/units/quantity';
import {
  validateDocumentBytes,
  validateDocumentText,
} from '../../shared/validation/validate-document';
import { BASE_CAPABILITIES } from '../support/base-documents';
import { needsSpec, specPath } from '../support/spec-examples';

const capabilities = (text = BASE_CAPABILITIES) =>
  validateDocumentText(text, { file: 'c' }).value as DeviceCapabilitiesManifest;

function device(
  patch: (c: DeviceCapabilitiesManifest) => void = () => {},
  source: CompatibilityDevice['source'] = 'margo-client',
  unknown: string[] = [],
): CompatibilityDevice {
  const c = capabilities();
  patch(c);
  return { name: 'press-42', source, capabilities: c, unknown };
}

const context = (d: CompatibilityDevice): SelectorContext => ({
  properties: d.capabilities.properties as Record<string, unknown>,
  labels: d.capabilities.labels ?? {},
  unknown: new Set(d.unknown),
});
const rule = (...expressions: MatchExpression[]): EligibilityRule[] => [
  { propertySelector: { matchExpressions: expressions } },
];
const truth = (d: CompatibilityDevice, rules: EligibilityRule[]) =>
  evaluateEligibility(rules, context(d)).truth;

describe('eligibility operators (spec rules)', () => {
  const d = device((c) => {
    c.properties.peripherals = [
      { type: 'gpu', manufacturer: 'NVIDIA', model: 'T4' },
      { type: 'camera', manufacturer: 'Basler' },
    ];
    c.labels = { 'example.com/line': '3', 'example.com/zones': ['a', 'b'], 'example.com/racks': 4 };
  });

  it('In: equal to one value, or an array containing one; exact and case-sensitive', () => {
    expect(
      truth(d, rule({ key: '/vendor', operator: 'In', values: ['Example Devices', 'Other'] })),
    ).toBe(true);
    expect(truth(d, rule({ key: '/vendor', operator: 'In', values: ['example devices'] }))).toBe(
      false,
    );
    expect(
      truth(d, rule({ key: '/supportedDeploymentTypes', operator: 'In', values: ['compose'] })),
    ).toBe(true);
    expect(truth(d, rule({ key: '/nothing', operator: 'In', values: ['x'] }))).toBe(false);
    expect(truth(d, rule({ key: '/peripherals', operator: 'In', values: ['gpu'] }))).toBe(false); // array of objects: false
  });

  it('NotIn: the key exists and no value matches', () => {
    expect(truth(d, rule({ key: '/vendor', operator: 'NotIn', values: ['Acme'] }))).toBe(true);
    expect(truth(d, rule({ key: '/vendor', operator: 'NotIn', values: ['Example Devices'] }))).toBe(
      false,
    );
    expect(truth(d, rule({ key: '/nothing', operator: 'NotIn', values: ['x'] }))).toBe(false);
  });

  it('Exists and DoesNotExist, with JSON Pointers into arrays and escaped keys', () => {
    expect(truth(d, rule({ key: '/cpus/0/architecture', operator: 'Exists' }))).toBe(true);
    expect(truth(d, rule({ key: '/cpus/5', operator: 'Exists' }))).toBe(false);
    expect(truth(d, rule({ key: '/nothing', operator: 'DoesNotExist' }))).toBe(true);
    expect(truth(d, rule({ key: '/vendor', operator: 'DoesNotExist' }))).toBe(false);
  });

  it('a pointer reads only what the device states, never what every object inherits', () => {
    for (const key of [
      '/constructor',
      '/toString',
      '/__proto__',
      '/peripherals/0/hasOwnProperty',
    ]) {
      expect(truth(d, rule({ key, operator: 'Exists' })), key).toBe(false);
      expect(truth(d, rule({ key, operator: 'DoesNotExist' })), key).toBe(true);
    }
  });

  it('Gt and Lt compare one number', () => {
    expect(truth(d, rule({ key: '/cpus/0/cores', operator: 'Gt', values: [2] }))).toBe(true);
    expect(truth(d, rule({ key: '/cpus/0/cores', operator: 'Lt', values: [4] }))).toBe(false);
    expect(truth(d, rule({ key: '/vendor', operator: 'Gt', values: [1] }))).toBe(false);
  });

  it('ContainsAll: some element satisfies every item expression; ContainsAny: some element satisfies one', () => {
    const gpuFromNvidia = {
      matchExpressions: [
        { key: '/type', operator: 'In' as const, values: ['gpu'] },
        { key: '/manufacturer', operator: 'In' as const, values: ['NVIDIA'] },
      ],
    };
    expect(
      truth(d, rule({ key: '/peripherals', operator: 'ContainsAll', itemSelector: gpuFromNvidia })),
    ).toBe(true);
    const gpuFromBasler = {
      matchExpressions: [
        { key: '/type', operator: 'In' as const, values: ['gpu'] },
        { key: '/manufacturer', operator: 'In' as const, values: ['Basler'] },
      ],
    };
    expect(
      truth(d, rule({ key: '/peripherals', operator: 'ContainsAll', itemSelector: gpuFromBasler })),
    ).toBe(false);
    expect(
      truth(d, rule({ key: '/peripherals', operator: 'ContainsAny', itemSelector: gpuFromBasler })),
    ).toBe(true);
    expect(
      truth(d, rule({ key: '/vendor', operator: 'ContainsAny', itemSelector: gpuFromBasler })),
    ).toBe(false);
  });

  it('label selectors use exact keys; arrays and numbers are label values too', () => {
    const labels = (e: MatchExpression): EligibilityRule[] => [
      { labelSelector: { matchExpressions: [e] } },
    ];
    expect(truth(d, labels({ key: 'example.com/line', operator: 'In', values: ['3'] }))).toBe(true);
    expect(truth(d, labels({ key: 'example.com/zones', operator: 'In', values: ['b'] }))).toBe(
      true,
    );
    expect(truth(d, labels({ key: 'example.com/racks', operator: 'Gt', values: [3] }))).toBe(true);
    expect(truth(d, labels({ key: 'example.com/LINE', operator: 'Exists' }))).toBe(false);
    expect(truth(d, labels({ key: '/example.com/line', operator: 'Exists' }))).toBe(false);
  });

  it('rules are OR, selectors in a rule AND, expressions in a selector AND', () => {
    const vendor = { key: '/vendor', operator: 'In' as const, values: ['Example Devices'] };
    const wrong = { key: '/vendor', operator: 'In' as const, values: ['Acme'] };
    expect(truth(d, rule(vendor, wrong))).toBe(false);
    expect(truth(d, [...rule(wrong), ...rule(vendor)])).toBe(true);
    expect(
      truth(d, [
        {
          propertySelector: { matchExpressions: [vendor] },
          labelSelector: { matchExpressions: [{ key: 'nope', operator: 'Exists' }] },
        },
      ]),
    ).toBe(false);
  });

  it('on a probed device, a property the probe cannot learn is unknown, never a silent pass or fail', () => {
    const probed = device((c) => delete c.properties.peripherals, 'docker-probe', [
      'peripherals',
      'interfaces',
    ]);
    const gpu = { matchExpressions: [{ key: '/type', operator: 'In' as const, values: ['gpu'] }] };
    expect(
      truth(probed, rule({ key: '/peripherals', operator: 'ContainsAny', itemSelector: gpu })),
    ).toBe('unknown');
    expect(truth(probed, rule({ key: '/peripherals', operator: 'DoesNotExist' }))).toBe('unknown');
    // …while a Margo client's capabilities are taken as written: absent is absent.
    const reported = device((c) => delete c.properties.peripherals);
    expect(truth(reported, rule({ key: '/peripherals', operator: 'DoesNotExist' }))).toBe(true);
    expect(truth(reported, rule({ key: '/peripherals', operator: 'Exists' }))).toBe(false);
    // unknown OR true is true; unknown AND false is false
    expect(
      truth(probed, [
        ...rule({ key: '/peripherals', operator: 'Exists' }),
        ...rule({ key: '/vendor', operator: 'Exists' }),
      ]),
    ).toBe(true);
    expect(
      truth(
        probed,
        rule(
          { key: '/peripherals', operator: 'Exists' },
          { key: '/vendor', operator: 'DoesNotExist' },
        ),
      ),
    ).toBe(false);
  });
});

const profileOf = (yaml: string): DeploymentProfile => {
  const text = `apiVersion: margo.org/v1-alpha1\nkind: ApplicationDescription\nid: a\nmetadata: {name: A, version: '1', catalog: {organization: [{name: O}]}}\ndeploymentProfiles:\n${yaml}`;
  const result = validateDocumentText(text, { file: 'p' });
  expect(result.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  return (result.value as ApplicationDescription).deploymentProfiles[0] as DeploymentProfile;
};

describe('profile checks', () => {
  const compose = (extra: string) =>
    profileOf(
      `  - type: compose\n    id: p\n    components: [{name: c, properties: {repository: oci://r/c, revision: 1.0.0}}]\n${extra}`,
    );

  it('deployment type against supportedDeploymentTypes', () => {
    const helm = profileOf(
      `  - type: helm\n    id: h\n    components: [{name: c, properties: {repository: oci://r/c, revision: 1.0.0}}]\n`,
    );
    expect(evaluateProfile(helm, device())[0]).toMatchObject({
      name: 'deployment type',
      status: 'failed',
      actual: 'compose',
    });
    expect(evaluateProfile(compose(''), device())[0]).toMatchObject({ status: 'passed' });
  });

  it('capacity: one CPU entry must cover the cores with an allowed architecture; memory and storage as binary units', () => {
    const p = compose(
      `    deviceConstraints:\n      capacityRequirements:\n        cpu: {cores: 4, architectures: [arm64]}\n        memory: 16Gi\n        storage: 10Gi\n`,
    );
    const checks = evaluateProfile(p, device());
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['deployment type', 'passed'],
      ['CPU architecture', 'failed'],
      ['CPU cores', 'failed'],
      ['memory', 'failed'],
      ['storage', 'passed'],
    ]);
    expect(checks[3]?.reason).toBe('the profile needs 16 GiB of memory; the device has 8 GiB');
    expect(verdictOf(checks)).toBe('incompatible');
  });

  it('a device just short of the memory asked for is not told it has as much', () => {
    const p = compose(
      `    deviceConstraints:\n      capacityRequirements:\n        memory: 24Gi\n`,
    );
    // 25123856Ki is 23.96 GiB: to three figures it reads "24 GiB", as the requirement does.
    const checks = evaluateProfile(
      p,
      device((c) => (c.properties.memory = '25123856Ki')),
    );
    const memory = checks.find((c) => c.name === 'memory');
    expect(memory?.status).toBe('failed');
    expect(memory?.reason).toBe(
      'the profile needs 24 GiB of memory; the device has slightly less than 24 GiB',
    );
    const roomy = evaluateProfile(
      p,
      device((c) => (c.properties.memory = '24683784Ki')),
    );
    expect(roomy.find((c) => c.name === 'memory')?.reason).toBe(
      'the profile needs 24 GiB of memory; the device has 23.5 GiB',
    );
  });

  it('"other" architectures match what the enum does not name', () => {
    const p = compose(
      `    deviceConstraints:\n      capacityRequirements:\n        cpu: {cores: 1, architectures: [other]}\n`,
    );
    const s390x = device(
      (c) => (c.properties.cpus = [{ cores: 2, architecture: 's390x' as 'amd64' }]),
    );
    expect(evaluateProfile(p, s390x).find((c) => c.name === 'CPU architecture')?.status).toBe(
      'passed',
    );
    expect(evaluateProfile(p, device()).find((c) => c.name === 'CPU architecture')?.status).toBe(
      'failed',
    );
  });

  it('eligibility is evaluated only for devices that meet the capacity requirements', () => {
    const p = compose(
      `    deviceConstraints:\n      capacityRequirements: {memory: 64Gi}\n      eligibilityRules:\n        - propertySelector: {matchExpressions: [{key: /vendor, operator: In, values: [Example Devices]}]}\n`,
    );
    expect(evaluateProfile(p, device()).at(-1)).toMatchObject({
      name: 'eligibility rules',
      status: 'unknown',
      actual: 'not evaluated',
    });
    const fits = compose(
      `    deviceConstraints:\n      eligibilityRules:\n        - propertySelector: {matchExpressions: [{key: /vendor, operator: In, values: [Acme]}]}\n`,
    );
    expect(evaluateProfile(fits, device()).at(-1)).toMatchObject({
      status: 'failed',
      reason: 'rule 1: /vendor is "Example Devices", not one of ["Acme"]',
    });
  });

  it('legacy peripherals and interfaces fail only when the device described them; otherwise unknown', () => {
    const p = compose(
      `    requiredResources:\n      peripherals: [{type: gpu, manufacturer: nvidia}]\n      interfaces: [{type: canbus}]\n`,
    );
    const probed = device(
      (c) => {
        delete c.properties.peripherals;
        delete c.properties.interfaces;
      },
      'docker-probe',
      ['peripherals', 'interfaces'],
    );
    expect(
      evaluateProfile(p, probed)
        .slice(1)
        .map((c) => c.status),
    ).toEqual(['unknown', 'unknown']);
    expect(verdictOf(evaluateProfile(p, probed))).toBe('unknown');
    const described = device(
      (c) => (c.properties.peripherals = [{ type: 'gpu', manufacturer: 'NVIDIA' }]),
    );
    expect(
      evaluateProfile(p, described)
        .slice(1)
        .map((c) => c.status),
    ).toEqual(['passed', 'failed']);
  });
});

describe('the spec examples', () => {
  const example = (path: string) =>
    validateDocumentBytes(readFileSync(specPath(path)), { file: path }).value;

  it('units: strict binary units, and "59 Gi" with a space as the capability examples write it', () => {
    expect(parseQuantity('1024Mi')).toBe(1024 ** 3);
    expect(parseQuantity('59 Gi')).toBe(59 * 1024 ** 3);
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 1024 ** 3);
    expect(parseQuantity('2GB')).toBeUndefined();
    expect(parseQuantity('12')).toBeUndefined();
  });

  it('the Digitron description on the spec’s capability examples (pre-rc.3 shape, read as written)', (context) => {
    needsSpec(context);
    const digitron = example(
      'draft-data-model_PR158/data-model/resources/examples/valid/ApplicationDescription-helm_and_compose.yaml',
    ) as ApplicationDescription;
    const cluster: CompatibilityDevice = {
      name: 'xtapro',
      source: 'margo-client',
      capabilities: example(
        'draft-data-model_PR158/model/examples/valid/DeviceCapabilitiesManifest-001.json',
      ) as DeviceCapabilitiesManifest,
      unknown: [],
    };
    const rows = compatibilityRows(digitron, cluster);
    expect(rows.map((r) => [r.profile, r.verdict])).toEqual([
      ['com-northstartida-digitron-orchestrator-helm-a', 'incompatible'],
      ['com-northstartida-digitron-orchestrator-compose-a', 'incompatible'],
    ]);
    // A Standalone Cluster runs Helm: the helm profile fails only on what it lacks (display, bluetooth).
    expect(rows[0]?.checks.filter((c) => c.status === 'failed').map((c) => c.name)).toEqual([
      'peripheral display',
      'interface bluetooth',
    ]);
    expect(rows[1]?.checks[0]).toMatchObject({ name: 'deployment type', status: 'failed' });

    const standalone: CompatibilityDevice = {
      name: 'small',
      source: 'margo-client',
      capabilities: example(
        'draft-data-model_PR158/data-model/resources/examples/valid/DeviceCapabilitiesManifest-002.json',
      ) as DeviceCapabilitiesManifest,
      unknown: [],
    };
    const small = compatibilityRows(digitron, standalone);
    expect(small[1]).toMatchObject({ verdict: 'compatible' });
    expect(small[0]?.checks.find((c) => c.name === 'memory')).toMatchObject({
      status: 'passed',
      actual: '1 GiB',
    });
  });
});

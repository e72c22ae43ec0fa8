import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildFormModel, chooseProfile } from '../../shared/configuration/form-model';
import { MASK } from '../../shared/configuration/secret-heuristic';
import { parseValueText } from '../../shared/configuration/value-text';
import {
  buildDeployment,
  DeploymentRequestError,
  type DeploymentRequest,
} from '../../shared/application-deployment/build-deployment';
import { checkDeploymentValues } from '../../shared/application-deployment/check-deployment-values';
import { deploymentNames, fnv1a32 } from '../../shared/application-deployment/deployment-names';
import { deploymentYaml, misread } from '../../shared/application-deployment/deployment-yaml';
import { maskSecrets } from '../../shared/application-deployment/mask-secrets';
import type { ApplicationDeployment } from '../../shared/margo/application-deployment';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import { deploymentIdFor } from '../../electron/core/deployments/deployment-id';
import { renderDeployment } from '../../electron/core/deployments/render-deployment';
import { BASE_DESCRIPTION } from '../support/base-documents';
import {
  deploymentFrom,
  descriptionFrom,
  specDeployments,
  specDescriptions,
} from '../support/descriptions';
import { needsSpec, whenSpec } from '../support/spec-examples';

const ID = '0b6c3c1e-3f5b-4a55-9b7a-1f0e6a7d2c11';
// Read once, and only when the spec examples are there (the tests using them say needsSpec).
const examples = whenSpec(() => specDescriptions());
const byName = (suffix: string) =>
  whenSpec(() => examples.find((e) => e.name.endsWith(suffix))!.description);
const DIGITRON_RC3 = byName(
  'rc.3/src/specification/applications/resources/examples/valid/ApplicationDescription-002.yaml',
);
const DIGITRON_DRAFT = byName('ApplicationDescription-helm_and_compose.yaml');

function built(request: DeploymentRequest) {
  const result = buildDeployment(request);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result;
}

/** The values of an example deployment, typed as the engineer would type them (`"4"` → 4). */
function valuesOfExample(
  description: ApplicationDescription,
  deployment: ApplicationDeployment,
  profileId: string,
) {
  const model = buildFormModel(description, chooseProfile(description, profileId));
  const rules = new Map(model.fields.map((f) => [f.parameter, f.rule]));
  return Object.fromEntries(
    Object.entries(deployment.spec.parameters ?? {}).map(([name, p]) => [
      name,
      parseValueText(rules.get(name), String(p.value)),
    ]),
  );
}

/** Same content, key order ignored. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}

describe('ApplicationDeployment builder', () => {
  it('reproduces the spec’s own deployments from the spec’s descriptions and their values', (context) => {
    needsSpec(context);
    const pairs = [
      {
        description: DIGITRON_DRAFT,
        example: 'ApplicationDeployment-helm.yaml',
        profile: 'com-northstartida-digitron-orchestrator-helm-a',
        pointers: true,
      },
      // The draft's compose example writes pointers ENV.X while its description says X.
      {
        description: DIGITRON_DRAFT,
        example: 'ApplicationDeployment-compose.yaml',
        profile: 'com-northstartida-digitron-orchestrator-compose-a',
        pointers: false,
      },
      {
        description: DIGITRON_RC3,
        example: 'gateway-directed.yaml',
        profile: 'com-northstartida-digitron-orchestrator-compose-a',
        pointers: true,
      },
      {
        description: DIGITRON_RC3,
        example: 'gateway-autonomous.yaml',
        profile: 'com-northstartida-digitron-orchestrator-compose-a',
        pointers: true,
      },
    ];
    for (const pair of pairs) {
      const example = specDeployments().find((d) => d.name.endsWith(pair.example))!.deployment;
      const deviceId = example.metadata.deviceId ?? 'press-42';
      const result = built({
        description: pair.description,
        profileId: pair.profile,
        deviceId,
        id: example.id,
        values: valuesOfExample(pair.description, example, pair.profile),
      });
      const d = result.deployment;
      expect(d.id, pair.example).toBe(example.id);
      expect(d.metadata.deviceId).toBe(deviceId);
      expect(d.spec.applicationId).toBe(example.spec.applicationId);
      expect(sorted(d.spec.deploymentProfile), pair.example).toEqual(
        sorted(example.spec.deploymentProfile),
      );
      const ours = d.spec.parameters ?? {};
      const theirs = example.spec.parameters ?? {};
      expect(Object.keys(ours).sort(), pair.example).toEqual(Object.keys(theirs).sort());
      for (const [name, p] of Object.entries(theirs)) {
        expect(String(ours[name]?.value), `${pair.example} ${name}`).toBe(String(p.value));
        if (pair.pointers)
          expect(ours[name]?.targets, `${pair.example} ${name}`).toEqual(p.targets);
      }
      expect(checkDeploymentValues(pair.description, d)).toEqual([]);
    }
  });

  it('copies the profile as rc.3 allows it: type, components in order, deviceConstraints, extensions', () => {
    const description = descriptionFrom(
      BASE_DESCRIPTION.replace(
        '  - type: helm\n    id: line-monitor-helm\n',
        '  - type: helm\n    id: line-monitor-helm\n    x-acme-extensions: { zone: b, tier: 1 }\n    description: not copied\n',
      )
        .replace(
          '      - name: monitor-chart\n',
          '      - name: monitor-chart\n        x-acme-extensions: { gpu: false }\n',
        )
        .replace('parameters:\n', 'x-wfm-extensions: { billing: internal }\nparameters:\n'),
    );
    const d = built({
      description,
      profileId: 'line-monitor-helm',
      deviceId: 'press-42',
      id: ID,
    }).deployment;
    const profile = d.spec.deploymentProfile as Record<string, unknown>;
    expect(Object.keys(profile)).toEqual([
      'type',
      'components',
      'deviceConstraints',
      'x-acme-extensions',
    ]);
    expect(profile['x-acme-extensions']).toEqual({ tier: 1, zone: 'b' });
    expect(d.spec.deploymentProfile.components).toEqual([
      {
        name: 'monitor-chart',
        properties: { repository: 'oci://registry.example.com/charts/monitor', revision: '1.2.0' },
        'x-acme-extensions': { gpu: false },
      },
    ]);
    expect(d.spec.deploymentProfile.deviceConstraints).toEqual(
      description.deploymentProfiles[1]!.deviceConstraints,
    );
    const yaml = deploymentYaml(d);
    expect(yaml).not.toContain('x-wfm-extensions');
    expect(yaml).not.toContain('not copied');
    expect(yaml).not.toMatch(/^\s+id: line-monitor-helm/m);
    expect(d.metadata.annotations).toEqual({
      applicationId: 'com-example-line-monitor',
      applicationVersion: '1.2.0',
      id: ID,
      profileId: 'line-monitor-helm',
    });
  });

  it('gives each parameter its value and only the targets of the chosen profile', () => {
    const description = descriptionFrom(BASE_DESCRIPTION);
    const compose = built({
      description,
      profileId: 'line-monitor-compose',
      deviceId: 'press-42',
      id: ID,
      values: { pollSeconds: 60 },
    });
    expect(compose.deployment.spec.parameters).toEqual({
      pollSeconds: { value: 60, targets: [{ pointer: 'POLL_SECONDS', components: ['monitor'] }] },
      siteName: { value: 'Plant 1', targets: [{ pointer: 'SITE_NAME', components: ['monitor'] }] },
    });
    const helm = built({
      description,
      profileId: 'line-monitor-helm',
      deviceId: 'press-42',
      id: ID,
    });
    expect(helm.deployment.spec.parameters).toEqual({
      pollSeconds: {
        value: 30,
        targets: [{ pointer: 'settings.pollSeconds', components: ['monitor-chart'] }],
      },
    });
  });

  it('leaves out, with a warning, a parameter with neither default nor setting', () => {
    const description = descriptionFrom(
      BASE_DESCRIPTION.replace(
        'parameters:\n',
        'parameters:\n  licenseServer:\n    targets:\n      - pointer: LICENSE_SERVER\n        components: [monitor]\n',
      ),
    );
    const result = built({
      description,
      profileId: 'line-monitor-compose',
      deviceId: 'press-42',
      id: ID,
    });
    expect(result.deployment.spec.parameters).not.toHaveProperty('licenseServer');
    expect(result.warnings).toContain(
      'licenseServer has neither a default value nor a setting: left out of the deployment (the supplier gave no way to set it)',
    );
  });

  it('warns that legacy packageLocation components cannot satisfy rc.3', (context) => {
    needsSpec(context);
    const result = built({
      description: DIGITRON_RC3,
      profileId: 'com-northstartida-digitron-orchestrator-compose-a',
      deviceId: 'press-42',
      id: ID,
      values: valuesOfExample(
        DIGITRON_RC3,
        specDeployments().find((d) => d.name.endsWith('gateway-directed.yaml'))!.deployment,
        'com-northstartida-digitron-orchestrator-compose-a',
      ),
    });
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^component digitron-orchestrator-docker has only the legacy packageLocation: rc.3 requires properties.repository/,
      ),
    ]);
  });

  it('refuses invalid values, naming each parameter, and builds nothing', () => {
    const description = descriptionFrom(BASE_DESCRIPTION);
    const result = buildDeployment({
      description,
      profileId: 'line-monitor-compose',
      deviceId: 'press-42',
      id: ID,
      values: { pollSeconds: 4, siteName: 'x'.repeat(41), nope: 1 },
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      { parameter: 'pollSeconds', setting: 'Poll interval', message: 'must be at least 5' },
      { parameter: 'siteName', setting: 'Site', message: 'must be at most 40 characters (is 41)' },
      { parameter: 'nope', message: 'is not a parameter of this application' },
    ]);
  });

  it('derives names from the application and device ids only, within Helm and DNS limits', () => {
    expect(deploymentNames('com-example-line-monitor', 'press-42')).toEqual({
      name: 'com-example-line-monitor-press-42',
      namespace: 'com-example-line-monitor',
    });
    expect(deploymentNames('app', 'gateway-01/edge-01').name).toBe('app-gateway-01-edge-01');
    expect(deploymentNames('app', 'gateway-01/*').name).toBe('app-gateway-01');
    expect(deploymentNames('app', 'Press_42.Hall~B').name).toBe('app-press-42-hall-b');
    const long = 'com-' + 'very-long-supplier-name-'.repeat(10) + 'app';
    const a = deploymentNames(long, 'press-42');
    const b = deploymentNames(long, 'press-43');
    expect(a.name).toHaveLength(53);
    expect(a.namespace.length).toBeLessThanOrEqual(63);
    expect(a.name).not.toBe(b.name);
    expect(a.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(a.name.endsWith(fnv1a32(`${long}\npress-42`))).toBe(true);
    expect(deploymentNames(long, 'press-42')).toEqual(a);
    expect(fnv1a32('')).toBe('811c9dc5');
    expect(fnv1a32('a')).toBe('e40c292c');
  });

  it('serializes deterministically: same input, same bytes, same digest; quoting what YAML 1.1 would misread', () => {
    const description = descriptionFrom(
      BASE_DESCRIPTION.replace('    value: Plant 1', '    value: "yes"'),
    );
    const request = { description, profileId: 'line-monitor-compose', deviceId: 'press-42' };
    const first = renderDeployment(request);
    const second = renderDeployment({ ...request, values: {} });
    if (!first.ok || !second.ok) throw new Error('refused');
    expect(second.yaml).toBe(first.yaml);
    expect(second.digest).toBe(first.digest);
    expect(first.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.deployment.id).toBe(deploymentIdFor('com-example-line-monitor', 'press-42'));
    expect(first.yaml).toContain('value: "yes"');
    for (const version of ['1.1', '1.2'] as const) {
      expect(parse(first.yaml, { version })).toEqual(JSON.parse(JSON.stringify(first.deployment)));
    }
    const changed = renderDeployment({ ...request, values: { pollSeconds: 31 } });
    expect(changed.ok && changed.digest).not.toBe(first.digest);
  });

  it('quotes exactly the strings some YAML reader would take for something else', () => {
    for (const text of [
      'yes',
      'No',
      'on',
      'OFF',
      'y',
      'n',
      '~',
      'null',
      '0123',
      '1e3',
      '0x1F',
      '0o17',
      '0b101',
      '1_000',
      '1:20',
      '2026-01-01',
      '.inf',
      '-.5',
      '+1',
      '<<',
      '=',
      '',
      ' padded',
      'a: b',
      '- x',
      '#x',
      'two\nlines',
    ]) {
      expect(misread(text), JSON.stringify(text)).toBe(true);
      expect(parse(deploymentYaml({ v: text }), { version: '1.1' }).v).toBe(text);
      expect(parse(deploymentYaml({ v: text }), { version: '1.2' }).v).toBe(text);
    }
    for (const text of [
      'Plant 1',
      'IDP_URL',
      'https://idp.example.com/x?y=1',
      'someone@somewhere.com',
      '123-ABC',
      'v1.2',
    ]) {
      expect(misread(text), text).toBe(false);
      expect(deploymentYaml({ v: text })).toBe(`v: ${text}\n`);
    }
  });

  it('writes numbers in a form YAML 1.1 readers also take for numbers', () => {
    const yaml = deploymentYaml({ a: 1e-7, b: 1e21, c: 2.5e-8, d: 30, e: 0.25, f: -3 });
    expect(yaml).toBe('a: 1.0e-7\nb: 1.0e+21\nc: 2.5e-8\nd: 30\ne: 0.25\nf: -3\n');
    // The YAML 1.1 float and int regular expressions (yaml.org/type/float.html, int.html).
    const float11 = /^[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?$/;
    const int11 = /^[-+]?(0|[1-9][0-9_]*)$/;
    for (const line of yaml.trim().split('\n')) {
      const text = line.split(': ')[1]!;
      expect(float11.test(text) || int11.test(text), text).toBe(true);
    }
  });

  it('updates keep the id and names, take the installed values, and refuse changes to immutable settings', (context) => {
    needsSpec(context);
    const profile = 'com-northstartida-digitron-orchestrator-helm-a';
    const example = specDeployments().find((d) =>
      d.name.endsWith('ApplicationDeployment-helm.yaml'),
    )!.deployment;
    const values = valuesOfExample(DIGITRON_RC3, example, profile);
    const install = renderDeployment({
      description: DIGITRON_RC3,
      profileId: profile,
      deviceId: 'press-42',
      values,
    });
    if (!install.ok) throw new Error('refused');
    const installed = deploymentFrom(install.yaml);
    const update = renderDeployment({
      description: DIGITRON_RC3,
      deviceId: 'press-42',
      installed,
      values: { pollFrequency: 90 },
      id: 'ignored',
    });
    if (!update.ok) throw new Error(JSON.stringify(update.errors));
    expect(update.deployment.id).toBe(install.deployment.id);
    expect(update.deployment.metadata).toEqual(install.deployment.metadata);
    expect(update.digest).not.toBe(install.digest);
    expect(update.deployment.spec.parameters?.pollFrequency?.value).toBe(90);
    expect(update.deployment.spec.parameters?.idpName?.value).toBe('Azure AD');
    const same = renderDeployment({
      description: DIGITRON_RC3,
      deviceId: 'press-42',
      installed,
      values: { idpName: 'Azure AD' },
    });
    expect(same.ok && same.digest).toBe(install.digest);

    const refused = renderDeployment({
      description: DIGITRON_RC3,
      deviceId: 'press-42',
      installed,
      values: { idpName: 'Okta', idpUrl: 'https://okta.example.com' },
    });
    expect(refused.ok).toBe(false);
    expect(refused.ok ? [] : refused.errors).toEqual([
      {
        parameter: 'idpName',
        setting: 'Name',
        message:
          'cannot change after installation (immutable): it was installed as "Azure AD"; to change it, remove the deployment and deploy again',
      },
      {
        parameter: 'idpUrl',
        setting: 'Provider URL',
        message:
          'cannot change after installation (immutable): it was installed as "https://123-abc.com"; to change it, remove the deployment and deploy again',
      },
    ]);
    expect(() =>
      buildDeployment({ description: DIGITRON_RC3, deviceId: 'press-43', installed, id: ID }),
    ).toThrow(DeploymentRequestError);
    expect(() =>
      buildDeployment({
        description: DIGITRON_RC3,
        deviceId: 'press-42',
        installed,
        id: ID,
        profileId: 'com-northstartida-digitron-orchestrator-compose-a',
      }),
    ).toThrow(
      /uses profile com-northstartida-digitron-orchestrator-helm-a: an update keeps its profile/,
    );
  });

  it('masks secrets in what is shown, keeps them in what goes to the device', () => {
    const description = descriptionFrom(
      BASE_DESCRIPTION.replace(
        'configuration:\n',
        '  dbPassword:\n    value: s3cret-default\n    targets:\n      - pointer: DB_PASSWORD\n        components: [monitor]\nconfiguration:\n',
      ).replace(
        '          schema: siteText\n',
        '          schema: siteText\n        - parameter: dbPassword\n          name: Database password\n          schema: siteText\n',
      ),
    );
    const request = { description, profileId: 'line-monitor-compose', deviceId: 'press-42' };
    const result = renderDeployment({ ...request, values: { dbPassword: 'hunter2-plant' } });
    if (!result.ok) throw new Error('refused');
    expect(result.secrets).toEqual(['dbPassword']);
    expect(result.yaml).toContain('value: hunter2-plant');
    expect(result.maskedYaml).not.toContain('hunter2-plant');
    expect(result.maskedYaml).toContain(`value: ${MASK}`);
    expect(maskSecrets(result.deployment, result.secrets).spec.parameters?.dbPassword?.value).toBe(
      MASK,
    );
    // The mask sent back unchanged means "keep the value": the default here.
    const kept = renderDeployment({ ...request, values: { dbPassword: MASK } });
    expect(kept.ok && kept.deployment.spec.parameters?.dbPassword?.value).toBe('s3cret-default');
  });
});

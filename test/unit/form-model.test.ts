import { describe, expect, it } from 'vitest';
import {
  buildFormModel,
  chooseProfile,
  ProfileChoiceError,
} from '../../shared/configuration/form-model';
import { maskFormSecrets } from '../../shared/configuration/mask-form-secrets';
import { isSecretParameter, MASK } from '../../shared/configuration/secret-heuristic';
import { describeTargets, valueTargets } from '../../shared/configuration/value-targets';
import { BASE_DESCRIPTION } from '../support/base-documents';
import { descriptionFrom, specDescriptions } from '../support/descriptions';
import { needsSpec, whenSpec } from '../support/spec-examples';

const DIGITRON = whenSpec(
  () =>
    specDescriptions().find((d) =>
      d.name.endsWith(
        'rc.3/src/specification/applications/resources/examples/valid/ApplicationDescription-002.yaml',
      ),
    )!.description,
);

/** A description whose configuration exercises every data type and rule. */
const EVERY_TYPE = descriptionFrom(`id: com-example-every-type
metadata:
  name: Every Type
  version: 2.0.0
  catalog:
    organization: [{ name: Example }]
deploymentProfiles:
  - type: helm
    id: every-helm
    components:
      - name: chart
        properties: { repository: oci://r.example.com/charts/every, revision: 2.0.0 }
parameters:
  label: { value: Line 3, targets: [{ pointer: ui.label, components: [chart] }] }
  count: { value: 4, targets: [{ pointer: workers.count, components: [chart] }] }
  ratio: { value: 0.25, targets: [{ pointer: tuning.ratio, components: [chart] }] }
  enabled: { value: true, targets: [{ pointer: feature.enabled, components: [chart] }] }
  mode: { value: fast, targets: [{ pointer: mode, components: [chart] }] }
  protocols: { value: [opcua], targets: [{ pointer: protocols, components: [chart] }] }
  ports: { value: [4840, 4841], targets: [{ pointer: ports, components: [chart] }] }
  hosts: { targets: [{ pointer: hosts, components: [chart] }] }
  weights: { value: [0.5], targets: [{ pointer: weights, components: [chart] }] }
  flags: { value: [true, false], targets: [{ pointer: flags, components: [chart] }] }
  adminPassword: { value: changeme1, targets: [{ pointer: admin.password, components: [chart] }] }
  buildTag: { value: internal, targets: [{ pointer: image.build, components: [chart] }] }
configuration:
  sections:
    - name: Basics
      settings:
        - { parameter: label, name: Label, description: Shown on the HMI, schema: label }
        - { parameter: count, name: Workers, schema: count }
        - { parameter: ratio, name: Ratio, schema: ratio }
        - { parameter: enabled, name: Enabled, schema: flag }
    - name: Choices
      settings:
        - { parameter: mode, name: Mode, schema: mode, immutable: true }
        - { parameter: protocols, name: Protocols, schema: protocols }
    - name: Lists
      settings:
        - { parameter: ports, name: Ports, schema: ports }
        - { parameter: hosts, name: Hosts, schema: hosts }
        - { parameter: weights, name: Weights, schema: weights }
        - { parameter: flags, name: Flags, schema: flags }
        - { parameter: adminPassword, name: Administrator password, schema: label }
  schema:
    - { name: label, dataType: string, minLength: 3, maxLength: 20, regexMatch: '^[A-Za-z0-9 ]+$' }
    - { name: count, dataType: integer, minValue: 1, maxValue: 16 }
    - { name: ratio, dataType: double, minValue: 0, maxValue: 1, minPrecision: 1, maxPrecision: 2 }
    - { name: flag, dataType: boolean }
    - { name: mode, dataType: string, options: [fast, safe] }
    - { name: protocols, dataType: string, options: [opcua, mqtt, modbus], multiselect: true }
    - { name: ports, dataType: 'array[integer]', minValue: 1, maxValue: 65535 }
    - { name: hosts, dataType: 'array[string]', allowEmpty: true, maxLength: 64 }
    - { name: weights, dataType: 'array[double]', maxPrecision: 1 }
    - { name: flags, dataType: 'array[boolean]' }
`);

describe('configuration form model', () => {
  it('turns the spec example into one field per setting, sections as groups in order', (context) => {
    needsSpec(context);
    const model = buildFormModel(
      DIGITRON,
      chooseProfile(DIGITRON, 'com-northstartida-digitron-orchestrator-helm-a'),
    );
    expect(model.fields.map((f) => f.parameter)).toEqual([
      'pollFrequency',
      'siteId',
      'idpName',
      'idpProvider',
      'idpClientId',
      'idpUrl',
      'adminName',
      'adminPrincipalName',
      'cpuLimit',
      'memoryLimit',
    ]);
    expect((model.uiSchema['ui:options'] as { groups: unknown }).groups).toEqual([
      { title: 'General', fields: ['pollFrequency', 'siteId'] },
      { title: 'Identity Provider', fields: ['idpName', 'idpProvider', 'idpClientId', 'idpUrl'] },
      { title: 'Administrator', fields: ['adminName', 'adminPrincipalName'] },
      { title: 'Resource Limits', fields: ['cpuLimit', 'memoryLimit'] },
    ]);
    expect(model.uiSchema['ui:order']).toEqual(model.fields.map((f) => f.parameter));
    const props = model.schema.properties as Record<string, Record<string, unknown>>;
    expect(props.pollFrequency).toMatchObject({
      type: 'integer',
      minimum: 30,
      maximum: 360,
      default: 30,
      title: 'Poll Frequency',
      description: 'How often the service polls for updated data in seconds',
    });
    expect(props.idpName).toMatchObject({ type: 'string', minLength: 1, maxLength: 45 });
    expect(props.siteId).toMatchObject({ type: 'string', minLength: 5 });
    expect(props.cpuLimit).toMatchObject({
      type: 'number',
      minimum: 0.5,
      'x-margo-maxPrecision': 1,
      default: 1,
    });
    expect(props.idpUrl?.pattern).toBe(
      '^(http(s):\\/\\/.)[-a-zA-Z0-9@:%._\\+~#=]{2,256}\\.[a-z]{2,6}\\b([-a-zA-Z0-9@:%_\\+.~#?&//=]*)$',
    );
    // allowEmpty: true means "may be empty" (the spec's wording says the opposite; its examples agree with us).
    expect(model.schema.required).toEqual(
      model.fields.filter((f) => f.parameter !== 'siteId').map((f) => f.parameter),
    );
  });

  it('shows only what feeds the chosen profile; the rest belongs to another profile', (context) => {
    needsSpec(context);
    const compose = buildFormModel(
      DIGITRON,
      chooseProfile(DIGITRON, 'com-northstartida-digitron-orchestrator-compose-a'),
    );
    expect(compose.notApplicable).toEqual(['cpuLimit', 'memoryLimit']);
    expect(Object.keys(compose.schema.properties as object)).not.toContain('cpuLimit');
    expect(valueTargets(DIGITRON, compose.profile, 'idpUrl')).toEqual([
      {
        component: 'digitron-orchestrator-docker',
        kind: 'environment variable',
        pointer: 'IDP_URL',
      },
    ]);
    const helm = chooseProfile(DIGITRON, 'com-northstartida-digitron-orchestrator-helm-a');
    expect(describeTargets(valueTargets(DIGITRON, helm, 'idpUrl'))).toBe(
      'Helm value idp.providerUrl of digitron-orchestrator; Helm value idp.providerMetadata of digitron-orchestrator',
    );
    expect(buildFormModel(DIGITRON, helm).uiSchema.idpUrl).toEqual({
      'ui:help':
        'The url of the Identity Provider. Goes to Helm value idp.providerUrl of digitron-orchestrator; Helm value idp.providerMetadata of digitron-orchestrator. Cannot be changed after installation.',
    });
  });

  it('asks for a profile when there are several, and names the ones there are', (context) => {
    needsSpec(context);
    expect(() => chooseProfile(DIGITRON)).toThrow(ProfileChoiceError);
    expect(() => chooseProfile(DIGITRON)).toThrow(/has 2 profiles: choose one \(/);
    expect(() => chooseProfile(DIGITRON, 'nope')).toThrow(
      /has no profile "nope" \(it has com-northstartida-digitron-orchestrator-helm-a \(helm\)/,
    );
    expect(chooseProfile(EVERY_TYPE).id).toBe('every-helm');
  });

  it('maps every data type, option list and rule to standard JSON Schema keywords', () => {
    const model = buildFormModel(EVERY_TYPE, chooseProfile(EVERY_TYPE));
    const props = model.schema.properties as Record<string, Record<string, unknown>>;
    expect(props.label).toMatchObject({
      type: 'string',
      minLength: 3,
      maxLength: 20,
      pattern: '^[A-Za-z0-9 ]+$',
      default: 'Line 3',
    });
    expect(props.count).toMatchObject({ type: 'integer', minimum: 1, maximum: 16, default: 4 });
    expect(props.ratio).toMatchObject({
      type: 'number',
      minimum: 0,
      maximum: 1,
      'x-margo-minPrecision': 1,
      'x-margo-maxPrecision': 2,
    });
    expect(props.enabled).toMatchObject({ type: 'boolean', default: true });
    expect(props.mode).toMatchObject({ type: 'string', enum: ['fast', 'safe'], default: 'fast' });
    expect(props.protocols).toMatchObject({
      type: 'array',
      items: { type: 'string', enum: ['opcua', 'mqtt', 'modbus'] },
      uniqueItems: true,
      minItems: 1,
      default: ['opcua'],
    });
    expect(props.ports).toMatchObject({
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 65535 },
      minItems: 1,
    });
    expect(props.hosts).toMatchObject({ type: 'array', items: { type: 'string', maxLength: 64 } });
    expect(props.hosts).not.toHaveProperty('minItems');
    expect(props.weights).toMatchObject({
      type: 'array',
      items: { type: 'number', 'x-margo-maxPrecision': 1 },
    });
    expect(props.flags).toMatchObject({ type: 'array', items: { type: 'boolean' } });
    expect(model.schema.required).not.toContain('hosts');
    expect(model.schema.additionalProperties).toBe(false);
    expect(model.uiSchema.protocols).toMatchObject({ 'ui:widget': 'checkboxes' });
    expect(model.uiSchema.enabled).toMatchObject({ 'ui:widget': 'checkbox' });
  });

  it('keeps parameters without a setting out of the form, with their default', () => {
    const model = buildFormModel(EVERY_TYPE, chooseProfile(EVERY_TYPE));
    expect(model.hidden).toEqual([{ parameter: 'buildTag', value: 'internal', secret: false }]);
    expect(Object.keys(model.schema.properties as object)).not.toContain('buildTag');
  });

  it('locks immutable fields to their installed value when updating, not when installing', () => {
    const profile = chooseProfile(EVERY_TYPE);
    const fresh = buildFormModel(EVERY_TYPE, profile);
    expect(fresh.fields.find((f) => f.parameter === 'mode')).toMatchObject({
      locked: false,
      default: 'fast',
    });
    const update = buildFormModel(EVERY_TYPE, profile, { mode: 'safe' });
    expect(update.fields.find((f) => f.parameter === 'mode')).toMatchObject({
      locked: true,
      default: 'safe',
    });
    const props = update.schema.properties as Record<string, Record<string, unknown>>;
    expect(props.mode).toMatchObject({ readOnly: true, default: 'safe' });
    expect(update.uiSchema.mode).toMatchObject({ 'ui:readonly': true });
    expect(props.count).not.toHaveProperty('readOnly');
  });

  it('treats password, secret, token and key settings as secrets, and masks their defaults', () => {
    const model = buildFormModel(EVERY_TYPE, chooseProfile(EVERY_TYPE));
    const secret = model.fields.find((f) => f.parameter === 'adminPassword')!;
    expect(secret.secret).toBe(true);
    expect(model.uiSchema.adminPassword).toMatchObject({ 'ui:widget': 'password' });
    const masked = maskFormSecrets(model);
    expect(
      (masked.schema.properties as Record<string, { default?: unknown }>).adminPassword?.default,
    ).toBe(MASK);
    expect(JSON.stringify(masked)).not.toContain('changeme1');
    expect(JSON.stringify(model)).toContain('changeme1'); // the original is untouched
    for (const name of [
      'dbPassword',
      'idpClientSecret',
      'auth_token',
      'apiKey',
      'API key',
      'sshPassphrase',
    ]) {
      expect(isSecretParameter(name, undefined), name).toBe(true);
    }
    for (const name of ['monkey', 'keyboardLayout', 'tokenizerMode', 'siteId', 'turkey']) {
      expect(isSecretParameter(name, undefined), name).toBe(false);
    }
    const flagged = {
      targets: [{ pointer: 'x', components: ['c'] }],
      'x-acme-extensions': { sensitive: true },
    };
    expect(isSecretParameter('plantCode', flagged)).toBe(true);
    expect(isSecretParameter('plantCode', { targets: flagged.targets })).toBe(false);
    expect(
      isSecretParameter('plantCode', undefined, {
        parameter: 'plantCode',
        name: 'Access token',
        schema: 's',
      }),
    ).toBe(true);
  });

  it('every spec example description yields a form for every profile', (context) => {
    needsSpec(context);
    for (const { name, description } of specDescriptions()) {
      for (const profile of description.deploymentProfiles) {
        const model = buildFormModel(description, profile);
        const settings = (description.configuration?.sections ?? []).flatMap((s) => s.settings);
        expect(model.fields.length + model.notApplicable.length, name).toBe(settings.length);
        expect(model.schema.type, name).toBe('object');
      }
    }
    expect(
      buildFormModel(
        descriptionFrom(BASE_DESCRIPTION),
        chooseProfile(descriptionFrom(BASE_DESCRIPTION), 'line-monitor-compose'),
      ).fields,
    ).toHaveLength(2);
  });
});

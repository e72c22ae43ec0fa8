import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../shared/validation/diagnostic';
import { RULES, type RuleId } from '../../shared/validation/rules';
import {
  validateDocumentBytes,
  validateDocumentText,
} from '../../shared/validation/validate-document';
import { validatePath } from '../../electron/core/validation/validate-path';
import {
  BASE_CAPABILITIES,
  BASE_DEPLOYMENT,
  BASE_DESCRIPTION,
  BASE_MANIFEST,
  BASE_STATUS,
  edit,
  positionOf,
} from '../support/base-documents';
import { runCliAsNobody } from '../support/run-cli';

interface DocumentCase {
  rule: RuleId;
  /** The document text (or bytes, for encoding cases). */
  text: string | Uint8Array;
  /** JSON path the finding must carry. */
  path: string;
  /** Text the finding must point at (its first occurrence), or an explicit position. */
  at: string | { line: number; column: number };
}

const D = BASE_DESCRIPTION;
const withoutLine = (text: string, line: string) => edit(text, `${line}\n`, '');

const BILLION_LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghij'
    .split('')
    .map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(',')}]`),
].join('\n');

const DOCUMENT_CASES: DocumentCase[] = [
  {
    rule: 'file-too-large',
    text: Buffer.from(`# ${'x'.repeat(1024 * 1024)}\n`),
    path: '',
    at: { line: 1, column: 1 },
  },
  {
    rule: 'file-encoding',
    text: Buffer.concat([
      Buffer.from(D.slice(0, D.indexOf('Line Monitor') + 3)),
      Buffer.from([0xe9]),
      Buffer.from(D.slice(D.indexOf('Line Monitor') + 3)),
    ]),
    path: '',
    at: positionOf(D, 'e Monitor'),
  },
  {
    rule: 'yaml-syntax',
    text: edit(D, 'name: Line Monitor', 'name: "Line Monitor'),
    path: '',
    at: '"Line Monitor',
  },
  {
    rule: 'yaml-duplicate-key',
    text: edit(D, 'metadata:\n', 'id: another-id\nmetadata:\n'),
    path: '',
    at: 'id: another-id',
  },
  {
    rule: 'yaml-tab-indent',
    text: edit(D, '  name: Line Monitor', '\tname: Line Monitor'),
    path: '',
    at: '\tname',
  },
  {
    rule: 'yaml-bad-indent',
    text: edit(D, '    organization:', '   organization:'),
    path: '',
    at: 'organization:',
  },
  { rule: 'yaml-alias-bomb', text: BILLION_LAUGHS, path: '', at: '*a' },
  {
    rule: 'yaml-too-deep',
    text: `a: ${'['.repeat(300)}${']'.repeat(300)}\n`,
    path: '',
    at: { line: 1, column: 4 + 256 },
  },
  { rule: 'yaml-multiple-documents', text: `${D}---\nextra: 1\n`, path: '', at: '---' },
  { rule: 'yaml-empty', text: '# only a comment\n', path: '', at: { line: 1, column: 1 } },
  { rule: 'yaml-not-mapping', text: '- a\n- b\n', path: '', at: '- a' },
  {
    rule: 'yaml11-ambiguous',
    text: edit(D, 'value: Plant 1', 'value: yes'),
    path: 'parameters.siteName.value',
    at: 'yes',
  },
  {
    rule: 'type-coerced',
    text: edit(D, 'version: 1.2.0', 'version: 1.0'),
    path: 'metadata.version',
    at: '1.0',
  },
  {
    rule: 'template-placeholder',
    text: edit(D, 'tagline: Watches the line', 'tagline: "{{ .Values.tagline }}"'),
    path: 'metadata.catalog.application.tagline',
    at: '"{{',
  },
  { rule: 'kind-unknown', text: 'foo: 1\nbar: 2\n', path: '', at: 'foo' },
  {
    rule: 'kind-invalid',
    text: edit(D, 'kind: ApplicationDescription', 'kind: AppDescription'),
    path: 'kind',
    at: 'AppDescription',
  },
  {
    rule: 'kind-invalid',
    text: edit(D, 'kind: ApplicationDescription', 'kind: ApplicationDeployment'),
    path: 'kind',
    at: 'ApplicationDeployment',
  },
  {
    rule: 'kind-missing',
    text: withoutLine(D, 'kind: ApplicationDescription'),
    path: '',
    at: 'apiVersion',
  },
  {
    rule: 'api-version-missing',
    text: withoutLine(D, 'apiVersion: margo.org/v1-alpha1'),
    path: '',
    at: 'kind',
  },
  {
    rule: 'required-field',
    text: withoutLine(D, '  name: Line Monitor'),
    path: 'metadata.name',
    at: 'metadata:',
  },
  {
    rule: 'type-mismatch',
    text: edit(D, 'cores: 1', 'cores: two'),
    path: 'deploymentProfiles[1].deviceConstraints.capacityRequirements.cpu.cores',
    at: 'two',
  },
  {
    rule: 'enum-value',
    text: edit(D, 'type: helm', 'type: kubernetes'),
    path: 'deploymentProfiles[1].type',
    at: 'kubernetes',
  },
  {
    rule: 'value-range',
    text: edit(D, 'cores: 1', 'cores: 0'),
    path: 'deploymentProfiles[1].deviceConstraints.capacityRequirements.cpu.cores',
    at: '0\n          architectures',
  },
  {
    rule: 'unknown-field',
    text: edit(D, '  version: 1.2.0', '  version: 1.2.0\n  summary: Monitors'),
    path: 'metadata.summary',
    at: 'summary',
  },
  { rule: 'extension-key', text: `${D}x-acme: {a: 1}\n`, path: 'x-acme', at: 'x-acme' },
  {
    rule: 'extension-not-object',
    text: `${D}x-acme-extensions: true\n`,
    path: 'x-acme-extensions',
    at: 'x-acme-extensions',
  },
  {
    rule: 'app-id-pattern',
    text: edit(D, 'id: com-example-line-monitor', 'id: com.Example_line'),
    path: 'id',
    at: 'com.Example',
  },
  {
    rule: 'app-id-conflict',
    text: edit(D, '  name: Line Monitor', '  id: other-id\n  name: Line Monitor'),
    path: 'metadata.id',
    at: 'other-id',
  },
  {
    rule: 'version-not-oci-tag',
    text: edit(D, 'version: 1.2.0', 'version: "1.2.0 beta"'),
    path: 'metadata.version',
    at: '"1.2.0 beta"',
  },
  {
    rule: 'author-email',
    text: edit(D, 'ada@example.com', 'ada at example'),
    path: 'metadata.catalog.author[0].email',
    at: 'ada at',
  },
  {
    rule: 'profile-id-unique',
    text: edit(D, 'id: line-monitor-helm', 'id: line-monitor-compose'),
    path: 'deploymentProfiles[1].id',
    at: 'line-monitor-compose\n    components:\n      - name: monitor-chart',
  },
  {
    rule: 'component-name-pattern',
    text: edit(D, '- name: monitor-chart', '- name: Monitor_Chart'),
    path: 'deploymentProfiles[1].components[0].name',
    at: 'Monitor_Chart',
  },
  {
    rule: 'component-name-unique',
    text: edit(
      D,
      '          timeout: 5m0s\n',
      '          timeout: 5m0s\n      - name: monitor\n        properties:\n          repository: oci://registry.example.com/compose/db\n          revision: 1.0.0\n',
    ),
    path: 'deploymentProfiles[0].components[1].name',
    at: 'monitor\n        properties:\n          repository: oci://registry.example.com/compose/db',
  },
  {
    rule: 'component-location-missing',
    text: edit(
      D,
      '        properties:\n          repository: oci://registry.example.com/charts/monitor\n          revision: 1.2.0\n',
      '        properties: {}\n',
    ),
    path: 'deploymentProfiles[1].components[0].properties',
    at: '{}',
  },
  {
    rule: 'component-repository-scheme',
    text: edit(
      D,
      'oci://registry.example.com/charts/monitor',
      'https://charts.example.com/monitor',
    ),
    path: 'deploymentProfiles[1].components[0].properties.repository',
    at: 'https://charts',
  },
  {
    rule: 'revision-missing',
    text: edit(D, 'charts/monitor\n          revision: 1.2.0\n', 'charts/monitor\n'),
    path: 'deploymentProfiles[1].components[0].properties',
    at: 'properties:\n          repository: oci://registry.example.com/charts',
  },
  {
    rule: 'revision-semver',
    text: edit(D, 'revision: 1.2.0\n          wait', 'revision: v1.2.0\n          wait'),
    path: 'deploymentProfiles[0].components[0].properties.revision',
    at: 'v1.2.0',
  },
  {
    rule: 'timeout-format',
    text: edit(D, 'timeout: 5m0s', 'timeout: 300s'),
    path: 'deploymentProfiles[0].components[0].properties.timeout',
    at: '300s',
  },
  {
    rule: 'resource-unit',
    text: edit(D, 'memory: 512Mi', 'memory: 512MB'),
    path: 'deploymentProfiles[1].deviceConstraints.capacityRequirements.memory',
    at: '512MB',
  },
  {
    rule: 'constraint-expression',
    text: edit(D, 'operator: In', 'operator: Exists'),
    path: 'deploymentProfiles[1].deviceConstraints.eligibilityRules[0].propertySelector.matchExpressions[0]',
    at: 'key: /vendor',
  },
  {
    rule: 'constraint-pointer',
    text: edit(D, 'key: /vendor', 'key: vendor'),
    path: 'deploymentProfiles[1].deviceConstraints.eligibilityRules[0].propertySelector.matchExpressions[0].key',
    at: 'vendor\n',
  },
  {
    rule: 'target-component-unknown',
    text: edit(D, 'components: [monitor-chart]', 'components: [monitor-charts]'),
    path: 'parameters.pollSeconds.targets[1].components[0]',
    at: 'monitor-charts',
  },
  {
    rule: 'pointer-odd',
    text: edit(D, 'pointer: POLL_SECONDS', 'pointer: PORTS.80'),
    path: 'parameters.pollSeconds.targets[0].pointer',
    at: 'PORTS.80',
  },
  {
    rule: 'setting-parameter-unknown',
    text: edit(D, '- parameter: siteName', '- parameter: siteLabel'),
    path: 'configuration.sections[0].settings[1].parameter',
    at: 'siteLabel',
  },
  {
    rule: 'setting-schema-unknown',
    text: edit(D, 'schema: siteText', 'schema: text40'),
    path: 'configuration.sections[0].settings[1].schema',
    at: 'text40',
  },
  {
    rule: 'setting-parameter-duplicate',
    text: edit(D, '- parameter: siteName', '- parameter: pollSeconds'),
    path: 'configuration.sections[0].settings[1].parameter',
    at: 'pollSeconds\n          name: Site',
  },
  {
    rule: 'schema-name-unique',
    text: edit(D, '- name: siteText', '- name: pollRange'),
    path: 'configuration.schema[1].name',
    at: 'pollRange\n      dataType: string',
  },
  {
    rule: 'schema-datatype',
    text: edit(D, 'dataType: string', 'dataType: text'),
    path: 'configuration.schema[1].dataType',
    at: 'text\n',
  },
  {
    rule: 'schema-rule-datatype',
    text: edit(D, 'maxValue: 3600', 'maxValue: 3600\n      maxLength: 4'),
    path: 'configuration.schema[0].maxLength',
    at: 'maxLength: 4',
  },
  {
    rule: 'schema-range',
    text: edit(D, 'minValue: 5', 'minValue: 5000'),
    path: 'configuration.schema[0].minValue',
    at: '5000',
  },
  {
    rule: 'schema-regex-invalid',
    text: edit(D, 'maxLength: 40', "maxLength: 40\n      regexMatch: '([a-z'"),
    path: 'configuration.schema[1].regexMatch',
    at: "'([a-z'",
  },
  {
    rule: 'schema-regex-pcre',
    text: edit(D, 'maxLength: 40', "maxLength: 40\n      regexMatch: '\\A[A-Za-z ]+'"),
    path: 'configuration.schema[1].regexMatch',
    at: "'\\A",
  },
  {
    rule: 'schema-options',
    text: edit(D, 'maxLength: 40', 'options: [Plant 1, 2]'),
    path: 'configuration.schema[1].options[1]',
    at: '2]',
  },
  {
    rule: 'parameter-default-invalid',
    text: edit(D, 'value: 30', 'value: 3'),
    path: 'parameters.pollSeconds.value',
    at: '3\n    targets',
  },
  {
    rule: 'legacy-metadata-id',
    text: edit(
      withoutLine(D, 'id: com-example-line-monitor'),
      '  name: Line Monitor',
      '  id: com-example-line-monitor\n  name: Line Monitor',
    ),
    path: 'metadata.id',
    at: 'id: com-example',
  },
  {
    rule: 'legacy-profile-type',
    text: edit(D, 'type: helm', 'type: helm.v3'),
    path: 'deploymentProfiles[1].type',
    at: 'helm.v3',
  },
  {
    rule: 'legacy-package-location',
    text: edit(
      D,
      'repository: oci://registry.example.com/compose/monitor\n          revision: 1.2.0',
      'packageLocation: https://example.com/monitor.tar.gz',
    ),
    path: 'deploymentProfiles[0].components[0].properties.packageLocation',
    at: 'packageLocation',
  },
  {
    rule: 'legacy-env-pointer',
    text: edit(D, 'pointer: POLL_SECONDS', 'pointer: ENV.POLL_SECONDS'),
    path: 'parameters.pollSeconds.targets[0].pointer',
    at: 'ENV.POLL',
  },
  {
    rule: 'legacy-required-resources',
    text: edit(
      D,
      'timeout: 5m0s\n',
      'timeout: 5m0s\n    requiredResources:\n      memory: 256Mi\n',
    ),
    path: 'deploymentProfiles[0].requiredResources',
    at: 'requiredResources',
  },
  {
    rule: 'legacy-architecture',
    text: edit(D, '[amd64, arm64]', '[x86_64, arm64]'),
    path: 'deploymentProfiles[1].deviceConstraints.capacityRequirements.cpu.architectures[0]',
    at: 'x86_64',
  },
  {
    rule: 'legacy-deployment-shape',
    text: edit(
      withoutLine(BASE_DEPLOYMENT, 'id: 0b6c3c1e-3f5b-4a55-9b7a-1f0e6a7d2c11'),
      '  annotations:\n',
      '  annotations:\n    id: 0b6c3c1e-3f5b-4a55-9b7a-1f0e6a7d2c11\n',
    ),
    path: 'metadata.annotations.id',
    at: 'id: 0b6c',
  },
  {
    rule: 'legacy-capabilities-shape',
    text: edit(
      BASE_CAPABILITIES,
      '"otelCollector"',
      '"roles": ["Standalone Device"],\n    "otelCollector"',
    ),
    path: 'properties.roles',
    at: '"roles"',
  },
  {
    rule: 'legacy-status-shape',
    text: withoutLine(BASE_STATUS, '  "adoptedManifestVersion": 3,'),
    path: '',
    at: '{',
  },
  {
    rule: 'legacy-manifest-url',
    text: edit(BASE_MANIFEST, '"url": "/api/v1/bundles/', '"url": "/api/v1/clients/c-7/bundles/'),
    path: 'bundle.url',
    at: '"/api/v1/clients',
  },
  {
    rule: 'deployment-id-format',
    text: edit(BASE_DEPLOYMENT, 'id: 0b6c3c1e-3f5b-4a55-9b7a-1f0e6a7d2c11', 'id: deploy-1'),
    path: 'id',
    at: 'deploy-1',
  },
  {
    rule: 'device-id-pattern',
    text: edit(BASE_DEPLOYMENT, 'deviceId: press-42', 'deviceId: press 42'),
    path: 'metadata.deviceId',
    at: 'press 42',
  },
  {
    rule: 'device-id-missing',
    text: withoutLine(BASE_DEPLOYMENT, '  deviceId: press-42'),
    path: 'metadata',
    at: 'metadata',
  },
  {
    rule: 'capability-unknown-value',
    text: edit(BASE_CAPABILITIES, '["oci"]', '["oci", "wasm"]'),
    path: 'properties.supportedRuntimes[1]',
    at: '"wasm"',
  },
  {
    rule: 'status-precedence',
    text: edit(BASE_STATUS, '"database", "state": "installed"', '"database", "state": "failed"'),
    path: 'status.state',
    at: '"installing" }',
  },
  {
    rule: 'digest-format',
    text: edit(
      BASE_MANIFEST,
      `"digest": "sha256:${'a'.repeat(64)}",\n    "url"`,
      `"digest": "sha256:${'A'.repeat(64)}",\n    "url"`,
    ),
    path: 'bundle.digest',
    at: '"sha256:AAAA',
  },
  {
    rule: 'manifest-url',
    text: edit(
      BASE_MANIFEST,
      '"url": "/api/v1/deployments/0b6c',
      '"url": "/api/v1/deployment/0b6c',
    ),
    path: 'deployments[0].url',
    at: '"/api/v1/deployment/',
  },
  {
    rule: 'bundle-null',
    text: edit(
      BASE_MANIFEST,
      BASE_MANIFEST.slice(
        BASE_MANIFEST.indexOf('"deployments"'),
        BASE_MANIFEST.lastIndexOf(']') + 1,
      ),
      '"deployments": []',
    ),
    path: 'bundle',
    at: '{\n    "mediaType"',
  },
];

/** Rules only a package directory can produce; tested through the Node service on real folders. */
const PACKAGE_RULES: RuleId[] = [
  'package-no-description',
  'package-multiple-descriptions',
  'package-file-missing',
  'package-file-outside',
  'package-file-remote',
  'file-unreadable',
  'compose-unreadable',
];

function validate(c: DocumentCase): Diagnostic[] {
  return typeof c.text === 'string'
    ? validateDocumentText(c.text, { file: 'case.yaml' }).diagnostics
    : validateDocumentBytes(c.text, { file: 'case.yaml' }).diagnostics;
}

describe('every rule', () => {
  it('has a test case', () => {
    const covered = new Set<string>([...DOCUMENT_CASES.map((c) => c.rule), ...PACKAGE_RULES]);
    expect(Object.keys(RULES).filter((rule) => !covered.has(rule))).toEqual([]);
  });

  it('base documents have no findings at all', () => {
    for (const text of [
      BASE_DESCRIPTION,
      BASE_DEPLOYMENT,
      BASE_CAPABILITIES,
      BASE_STATUS,
      BASE_MANIFEST,
    ]) {
      expect(validateDocumentText(text, { file: 'base' }).diagnostics).toEqual([]);
    }
  });

  for (const c of DOCUMENT_CASES) {
    it(`${c.rule}: reported with its severity, path and position`, () => {
      const diagnostics = validate(c);
      const match = diagnostics.filter((d) => d.rule === c.rule);
      expect(match.length, JSON.stringify(diagnostics, null, 1)).toBeGreaterThanOrEqual(1);
      const text = typeof c.text === 'string' ? c.text : '';
      const at = typeof c.at === 'string' ? positionOf(text, c.at) : c.at;
      expect(match[0]).toMatchObject({
        severity: RULES[c.rule].severity,
        path: c.path,
        file: 'case.yaml',
        ...at,
      });
      expect(match[0]?.message.length).toBeGreaterThan(20);
      // Errors make the document invalid; warnings alone never do.
      const valid =
        typeof c.text === 'string' ? validateDocumentText(c.text, { file: 'x' }).valid : false;
      if (RULES[c.rule].severity === 'error') expect(valid).toBe(false);
    });
  }

  it('a valid kind on the wrong document is one error, not a cascade', () => {
    const text = edit(D, 'kind: ApplicationDescription', 'kind: ApplicationDeployment');
    const diagnostics = validateDocumentText(text, { file: 'x' }).diagnostics;
    expect(diagnostics.map((d) => d.rule)).toEqual(['kind-invalid']);
    expect(diagnostics[0]?.message).toContain('does not match the fields');
  });

  it('warnings alone leave a document valid', () => {
    for (const c of DOCUMENT_CASES.filter(
      (c) => RULES[c.rule].severity === 'warning' && typeof c.text === 'string',
    )) {
      const result = validateDocumentText(c.text as string, { file: 'x' });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (c.rule === 'setting-parameter-duplicate' || c.rule === 'schema-regex-pcre') continue; // their edits also break a rule
      expect({ rule: c.rule, errors }).toEqual({ rule: c.rule, errors: [] });
      expect(result.valid).toBe(true);
    }
  });
});

describe('package rules', () => {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-pkg-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function makePackage(name: string, files: Record<string, string>): string {
    const dir = join(root, name);
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), content);
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  const resources = { 'resources/icon.png': 'png', 'resources/description.md': '# Line Monitor' };

  it('a complete package is valid with no findings', async () => {
    const dir = makePackage('good', { 'margo.yaml': D, ...resources });
    expect(await validatePath(dir, 'good')).toEqual({ valid: true, diagnostics: [] });
  });

  it('package-no-description: a folder without an ApplicationDescription', async () => {
    const dir = makePackage('none', { 'values.yaml': 'replicas: 1\n', ...resources });
    const report = await validatePath(dir, 'none');
    expect(report.valid).toBe(false);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        rule: 'package-no-description',
        severity: 'error',
        file: 'none',
        line: 1,
        column: 1,
      }),
    ]);
    expect(report.diagnostics[0]?.message).toContain('values.yaml');
  });

  it('package-multiple-descriptions: two descriptions in the root', async () => {
    const dir = makePackage('two', { 'margo.yaml': D, 'other.yaml': D, ...resources });
    const report = await validatePath(dir, 'two');
    const found = report.diagnostics.filter((d) => d.rule === 'package-multiple-descriptions');
    expect(found).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: join('two', 'other.yaml'),
        line: 1,
        column: 1,
      }),
    ]);
    expect(found[0]?.message).toContain('margo.yaml, other.yaml');
  });

  it('package-file-missing: a referenced resource is absent (with a case hint)', async () => {
    const dir = makePackage('missing', {
      'margo.yaml': D,
      'resources/Icon.png': 'png',
      'resources/description.md': '#',
    });
    const report = await validatePath(dir, 'missing');
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        rule: 'package-file-missing',
        severity: 'error',
        file: join('missing', 'margo.yaml'),
        path: 'metadata.catalog.application.icon',
        ...positionOf(D, './resources/icon.png'),
      }),
    ]);
    expect(report.diagnostics[0]?.message).toContain('resources/Icon.png');
  });

  it('package-file-outside: references that leave the package, or links', async () => {
    const text = edit(D, './resources/icon.png', '../../etc/passwd');
    const dir = makePackage('outside', { 'margo.yaml': text, ...resources });
    const report = await validatePath(dir, 'outside');
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        rule: 'package-file-outside',
        path: 'metadata.catalog.application.icon',
        ...positionOf(text, '../../etc'),
      }),
    ]);
  });

  it('package-file-remote: a URL instead of a package file is a warning', async () => {
    const text = edit(D, './resources/icon.png', 'https://example.com/icon.png');
    const dir = makePackage('remote', { 'margo.yaml': text, ...resources });
    const report = await validatePath(dir, 'remote');
    expect(report.valid).toBe(true);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        rule: 'package-file-remote',
        severity: 'warning',
        path: 'metadata.catalog.application.icon',
      }),
    ]);
  });

  it('compose-unreadable: a component folder whose compose file does not load is a warning', async () => {
    const dir = makePackage('compose-broken', {
      'margo.yaml': D,
      ...resources,
      'monitor/compose.yaml': 'services:\n  monitor:\n    image: m:1\n    network_mode: host\n',
    });
    const report = await validatePath(dir, 'compose-broken');
    expect(report.valid).toBe(true);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        rule: 'compose-unreadable',
        severity: 'warning',
        file: join('compose-broken', 'monitor', 'compose.yaml'),
        line: 4,
        column: 5,
        path: 'services.monitor.network_mode',
      }),
    ]);
    expect(report.diagnostics[0]?.message).toContain('network_mode is not supported');
  });

  it('host access of a component folder: warnings at file:line:column, the package stays valid', async () => {
    const dir = makePackage('compose-host', {
      'margo.yaml': D,
      ...resources,
      'monitor/compose.yaml':
        'services:\n  monitor:\n    image: m:1\n    user: "1000"\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n',
    });
    const report = await validatePath(dir, 'compose-host');
    expect(report).toEqual({
      valid: true,
      diagnostics: [
        {
          severity: 'warning',
          rule: 'host-docker-socket',
          message:
            "critical host access: service monitor mounts the device's Docker socket: it can control every container on the device",
          file: join('compose-host', 'monitor', 'compose.yaml'),
          line: 6,
          column: 9,
          path: 'services.monitor.volumes[0]',
        },
      ],
    });
  });

  it('file-unreadable: a description the user may not read is a finding, not a crash', async () => {
    const dir = makePackage('unreadable', { 'margo.yaml': D, ...resources });
    chmodSync(root, 0o755);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'margo.yaml'), 0o000);
    // Root reads anything; the real fault needs an unprivileged process.
    const report = await runCliAsNobody(['validate', dir, '--json']);
    expect(report.code).toBe(1);
    const json = JSON.parse(report.stdout) as { valid: boolean; diagnostics: Diagnostic[] };
    expect(json.valid).toBe(false);
    expect(json.diagnostics.map((d) => d.rule)).toEqual(['file-unreadable']);
    expect(json.diagnostics[0]?.message).toContain('permission denied');
  });
});

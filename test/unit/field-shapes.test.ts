import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validatePath } from '../../electron/core/validation/validate-path';
import { validateDocumentBytes } from '../../shared/validation/validate-document';
import { REPO_ROOT } from '../support/run-cli';

const FIELD = join(REPO_ROOT, 'test/fixtures/field');

/** Verdict and the exact set of rules (with severity) each field-shaped file must get. */
const EXPECTED: Record<string, { valid: boolean; rules: string[] }> = {
  'legacy-digitron-style.yaml': {
    valid: true,
    rules: [
      'legacy-metadata-id',
      'type-coerced',
      'legacy-profile-type',
      'legacy-required-resources',
      'legacy-architecture',
      'legacy-profile-type',
      'legacy-package-location',
      'legacy-env-pointer',
      'legacy-env-pointer',
    ],
  },
  'templated-helm-chart.yaml': {
    valid: false,
    rules: [
      'template-placeholder',
      'template-placeholder',
      'timeout-format',
      'target-component-unknown',
    ],
  },
  'misspelled-api-version.yaml': { valid: true, rules: ['api-version-missing', 'unknown-field'] },
  'mis-indented.yaml': { valid: false, rules: ['yaml-bad-indent'] },
  'placeholders-and-unknown-runtime.yaml': {
    valid: false,
    rules: ['template-placeholder', 'enum-value', 'template-placeholder'],
  },
  'extensions-everywhere.yaml': { valid: true, rules: [] },
  'single-entries-not-lists.yaml': {
    valid: true,
    rules: ['type-coerced', 'type-coerced', 'type-coerced'],
  },
  'crlf-non-ascii.yaml': { valid: true, rules: [] },
  'dotted-id-dangling-targets.yaml': {
    valid: false,
    rules: [
      'app-id-pattern',
      'component-repository-scheme',
      'revision-semver',
      'target-component-unknown',
    ],
  },
  'not-margo-build-config.yaml': { valid: false, rules: ['kind-unknown'] },
};

describe('descriptions shaped like the ones found in the field', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: ${expected.valid ? 'valid' : 'invalid'} with exactly its findings`, () => {
      const result = validateDocumentBytes(readFileSync(join(FIELD, name)), { file: name });
      expect(result.diagnostics.map((d) => d.rule)).toEqual(expected.rules);
      expect(result.valid).toBe(expected.valid);
    });
  }

  it('the CRLF fixture really has CRLF line endings', () => {
    expect(readFileSync(join(FIELD, 'crlf-non-ascii.yaml'), 'utf8')).toContain('\r\n');
  });

  it('an unknown field close to a known one says which was meant', () => {
    const result = validateDocumentBytes(readFileSync(join(FIELD, 'misspelled-api-version.yaml')), {
      file: 'x',
    });
    expect(result.diagnostics.find((d) => d.rule === 'unknown-field')?.message).toContain(
      'did you mean `apiVersion`?',
    );
  });

  it('the extensions are kept in the validated model, at every level', () => {
    const result = validateDocumentBytes(readFileSync(join(FIELD, 'extensions-everywhere.yaml')), {
      file: 'x',
    });
    const value = result.value as Record<string, unknown> & {
      deploymentProfiles: Record<string, unknown>[];
    };
    expect(value['x-acme-extensions']).toEqual({ catalogColour: 'teal' });
    expect(value.deploymentProfiles[0]?.['x-acme-extensions']).toEqual({ restartPolicy: 'always' });
    expect(
      (value.deploymentProfiles[0]?.components as Record<string, unknown>[])[0]?.[
        'x-acme-extensions'
      ],
    ).toEqual({ sidecar: false });
  });

  it('legacy shapes come out in the rc.3 shape', () => {
    const result = validateDocumentBytes(readFileSync(join(FIELD, 'legacy-digitron-style.yaml')), {
      file: 'x',
    });
    expect(result.value).toMatchObject({
      id: 'com-acme-vision-inspector',
      metadata: { version: '2.0' },
      deploymentProfiles: [
        { type: 'helm', requiredResources: { cpu: { architectures: ['amd64', 'amd64'] } } },
        { type: 'compose' },
      ],
    });
    expect((result.value as { metadata: Record<string, unknown> }).metadata.id).toBeUndefined();
  });
});

describe('package directories found in the field', () => {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-field-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("a build tool's margo.yaml beside the real description does not hide it", async () => {
    const dir = join(root, 'margot-project');
    mkdirSync(dir, { recursive: true });
    cpSync(join(FIELD, 'not-margo-build-config.yaml'), join(dir, 'margo.yaml'));
    cpSync(join(FIELD, 'extensions-everywhere.yaml'), join(dir, 'app.yaml'));
    expect(await validatePath(dir, 'margot-project')).toEqual({ valid: true, diagnostics: [] });
  });

  it('a broken margo.yaml alone is reported as the description it was meant to be', async () => {
    const dir = join(root, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'margo.yaml'), readFileSync(join(FIELD, 'mis-indented.yaml')));
    const report = await validatePath(dir, 'broken');
    expect(report.diagnostics.map((d) => [d.rule, d.file])).toEqual([
      ['yaml-bad-indent', join('broken', 'margo.yaml')],
    ]);
  });
});

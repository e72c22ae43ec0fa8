import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { validateDocumentBytes } from '../../shared/validation/validate-document';
import { describeWithSpec, specExamples } from '../support/spec-examples';

/** For each invalid example of the spec: the one error it demonstrates, where, and on which text. */
const EXPECTED_ERRORS: Record<string, { rule: string; path: string; text: string }> = {
  'draft-data-model_PR158/model/examples/invalid/ApplicationDeployment-003.yaml': {
    rule: 'app-id-pattern',
    path: 'metadata.annotations.applicationId',
    text: '"123456789',
  },
  'draft-data-model_PR158/model/examples/invalid/ApplicationDescription-001.yaml': {
    rule: 'kind-invalid',
    path: 'kind',
    text: 'ApplicationSpecification',
  },
  'draft-data-model_PR158/model/examples/invalid/DeploymentStatusManifest-001.json': {
    rule: 'kind-invalid',
    path: 'kind',
    text: '"WrongKind"',
  },
  'draft-data-model_PR158/model/examples/invalid/DeploymentStatusManifest-002.json': {
    rule: 'enum-value',
    path: 'status.state',
    text: '"running"',
  },
  'draft-data-model_PR158/model/examples/invalid/DeploymentStatusManifest-003.json': {
    rule: 'required-field',
    path: 'deploymentId',
    text: '{',
  },
  'draft-data-model_PR158/model/examples/invalid/DesiredStateManifest-001.json': {
    rule: 'value-range',
    path: 'manifestVersion',
    text: '0,',
  },
  'draft-data-model_PR158/model/examples/invalid/DesiredStateManifest-002.json': {
    rule: 'enum-value',
    path: 'bundle.mediaType',
    text: '"application/json"',
  },
  'draft-data-model_PR158/model/examples/invalid/DesiredStateManifest-003.json': {
    rule: 'digest-format',
    path: 'bundle.digest',
    text: '"invalid-digest"',
  },
  'draft-data-model_PR158/model/examples/invalid/DesiredStateManifest-004.json': {
    rule: 'required-field',
    path: 'bundle',
    text: '{',
  },
  'draft-data-model_PR158/model/examples/invalid/DeviceCapabilitiesManifest-001.json': {
    rule: 'enum-value',
    path: 'properties.roles[0]',
    text: '"Non existing role"',
  },
  'draft-data-model_PR158/model/examples/invalid/DeviceCapabilitiesManifest-002.json': {
    rule: 'required-field',
    path: 'properties.vendor',
    text: '"properties"',
  },
  'draft-data-model_PR158/model/examples/invalid/DeviceCapabilitiesManifest-003.json': {
    rule: 'enum-value',
    path: 'properties.resources.cpu.architectures[0]',
    text: '"riscv"',
  },
  'draft-data-model_PR158/model/examples/invalid/ProblemDetail-001.yaml': {
    rule: 'required-field',
    path: 'status',
    text: 'type:',
  },
  'pre-draft_v1.0.0-rc.3/src/specification/applications/resources/examples/invalid/ApplicationDescription-001.yaml':
    {
      rule: 'app-id-pattern',
      path: 'id',
      text: 'an-incorrect-id',
    },
  'pre-draft_v1.0.0-rc.3/src/specification/applications/resources/examples/invalid/ApplicationDescription-002.yaml':
    {
      rule: 'app-id-pattern',
      path: 'id',
      text: 'an-incorrect-id',
    },
};

/** 1-based line and column of the first occurrence of `text`. */
function positionOf(source: string, text: string): { line: number; column: number } {
  const offset = source.indexOf(text);
  if (offset < 0) throw new Error(`"${text}" is not in the example`);
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

describeWithSpec('the Margo specification examples', () => {
  const examples = specExamples();

  it('are all found', () => {
    expect(examples.filter((e) => e.expectValid).length).toBeGreaterThanOrEqual(15);
    expect(
      examples
        .filter((e) => !e.expectValid)
        .map((e) => e.name)
        .sort(),
    ).toEqual(Object.keys(EXPECTED_ERRORS).sort());
  });

  for (const example of examples.filter((e) => e.expectValid)) {
    it(`accepts ${example.name} without errors`, () => {
      const result = validateDocumentBytes(readFileSync(example.file), { file: example.name });
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.kind).not.toBeNull();
    });
  }

  for (const example of examples.filter((e) => !e.expectValid)) {
    const expected = EXPECTED_ERRORS[example.name];
    it(`refuses ${example.name} with exactly its error, at its position`, () => {
      if (!expected) throw new Error(`no expectation for ${example.name}`);
      const source = readFileSync(example.file, 'utf8');
      const result = validateDocumentBytes(Buffer.from(source), { file: example.name });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((e) => [e.rule, e.path])).toEqual([[expected.rule, expected.path]]);
      const { line, column } = positionOf(source, expected.text);
      expect(errors[0]).toMatchObject({ file: example.name, line, column });
      expect(result.valid).toBe(false);
    });
  }
});

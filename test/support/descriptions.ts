import { readFileSync } from 'node:fs';
import type { ApplicationDeployment } from '../../shared/margo/application-deployment';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import { validateDocumentText } from '../../shared/validation/validate-document';
import { specExamples } from './spec-examples';

/** A description from YAML text, through the real validator (legacy shapes upgraded). */
export function descriptionFrom(text: string, file = 'margo.yaml'): ApplicationDescription {
  const checked = validateDocumentText(text, { file });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (checked.kind !== 'ApplicationDescription' || !checked.valid) {
    throw new Error(`${file} is not a valid description: ${JSON.stringify(errors)}`);
  }
  return checked.value as ApplicationDescription;
}

/** A deployment from YAML text, through the real validator (legacy shapes upgraded). */
export function deploymentFrom(text: string, file = 'deployment.yaml'): ApplicationDeployment {
  const checked = validateDocumentText(text, { file });
  if (checked.kind !== 'ApplicationDeployment' || !checked.shapeValid) {
    throw new Error(`${file} is not a deployment: ${JSON.stringify(checked.diagnostics)}`);
  }
  return checked.value as ApplicationDeployment;
}

/** Every valid ApplicationDescription example of the spec, read as the importer reads it. */
export function specDescriptions(): { name: string; description: ApplicationDescription }[] {
  return specExamples()
    .filter((e) => e.expectValid && /ApplicationDescription/.test(e.name))
    .map((e) => ({
      name: e.name,
      description: descriptionFrom(readFileSync(e.file, 'utf8'), e.name),
    }));
}

/** Every valid ApplicationDeployment example of the spec (gateway examples included). */
export function specDeployments(): { name: string; deployment: ApplicationDeployment }[] {
  return specExamples()
    .filter((e) => e.expectValid)
    .flatMap((e) => {
      const checked = validateDocumentText(readFileSync(e.file, 'utf8'), { file: e.name });
      return checked.kind === 'ApplicationDeployment'
        ? [{ name: e.name, deployment: checked.value as ApplicationDeployment }]
        : [];
    });
}

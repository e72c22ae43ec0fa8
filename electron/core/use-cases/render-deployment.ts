import { CommissionerError } from '../../../shared/contract/contract-error';
import { deploymentProfileFor } from '../../../shared/application-deployment/build-deployment';
import type { ApplicationDeployment } from '../../../shared/margo/application-deployment';
import { UUID } from '../../../shared/margo/patterns';
import {
  readParameterValues,
  valueProblem,
  type ValuesInput,
} from '../configuration/parameter-values';
import { writeOwnerOnly } from '../deployments/owner-only-file';
import { renderDeployment as render } from '../deployments/render-deployment';
import type { Store } from '../store/store';
import { validateFile } from '../validation/validate-path';
import { describedApplication, type AppRefText } from './show-application';

export interface RenderInput {
  app: AppRefText;
  /** Written as given into metadata.deviceId (the device need not be in the inventory). */
  deviceId: string;
  profile?: string;
  values: ValuesInput;
  /** The deployment installed now: an update keeps its id and names and its immutable values. */
  installed?: { path: string; shownAs: string };
  /** The deployment id (default: derived from application and device). */
  id?: string;
  /** Also write the deployment, secrets included, to this file (readable by its owner only). */
  output?: { path: string; shownAs: string };
}

export type RenderResult =
  | {
      valid: true;
      id: string;
      digest: string;
      /** Secrets masked. */
      yaml: string;
      secrets: string[];
      warnings: string[];
      file?: string;
    }
  | { valid: false; errors: ReturnType<typeof valueProblem>[]; warnings: string[] };

/**
 * The ApplicationDeployment of an application for a device, checked against the app's rules
 * as a deployment would be; refused values name their parameter and where they came from.
 */
export async function renderDeployment(store: Store, input: RenderInput): Promise<RenderResult> {
  const { description } = describedApplication(store, input.app);
  if (input.id !== undefined && !UUID.test(input.id)) {
    throw new CommissionerError('invalid-input', `the deployment id ${input.id} is not a UUID`, {
      field: 'id',
    });
  }
  const installed = input.installed ? await readInstalled(input.installed) : undefined;
  const request = {
    description,
    deviceId: input.deviceId,
    ...(installed ? { installed } : {}),
    ...(input.profile !== undefined ? { profileId: input.profile } : {}),
  };
  deploymentProfileFor(request);
  const { values, origins } = readParameterValues(description, input.values);
  const rendered = render({
    ...request,
    values,
    ...(input.id !== undefined ? { id: input.id } : {}),
  });
  if (!rendered.ok) {
    return {
      valid: false,
      errors: rendered.errors.map((e) => valueProblem(e, origins)),
      warnings: rendered.warnings,
    };
  }
  if (input.output) {
    try {
      writeOwnerOnly(input.output.path, Buffer.from(rendered.yaml, 'utf8'));
    } catch {
      throw new CommissionerError(
        'storage',
        `cannot write ${input.output.shownAs}: check that its folder exists and that you may write there`,
        { path: input.output.shownAs },
      );
    }
  }
  return {
    valid: true,
    id: rendered.deployment.id,
    digest: rendered.digest,
    yaml: rendered.maskedYaml,
    secrets: rendered.secrets,
    warnings: rendered.warnings,
    ...(input.output ? { file: input.output.path } : {}),
  };
}

/** The installed deployment an update starts from, validated like any Margo document. */
async function readInstalled(file: {
  path: string;
  shownAs: string;
}): Promise<ApplicationDeployment> {
  const checked = await validateFile(file.path, file.shownAs);
  if (checked.kind !== 'ApplicationDeployment' || !checked.shapeValid) {
    throw new CommissionerError(
      'invalid-document',
      `${file.shownAs} is not a valid ApplicationDeployment: an update needs the deployment installed now`,
      { diagnostics: checked.diagnostics },
    );
  }
  return checked.value as ApplicationDeployment;
}

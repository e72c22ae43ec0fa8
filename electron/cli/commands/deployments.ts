import { ProfileChoiceError } from '../../../shared/configuration/form-model';
import {
  deploymentProfileFor,
  DeploymentRequestError,
} from '../../../shared/application-deployment/build-deployment';
import type { ApplicationDeployment } from '../../../shared/margo/application-deployment';
import { UUID } from '../../../shared/margo/patterns';
import { writeOwnerOnly } from '../../core/deployments/owner-only-file';
import { renderDeployment } from '../../core/deployments/render-deployment';
import type { Store } from '../../core/store/store';
import { UnreadablePathError, validateFile } from '../../core/validation/validate-path';
import { resolveFromCaller } from '../caller-directory';
import { EXIT, type ExitCode } from '../exit-codes';
import { formatDiagnostic, type Output } from '../output';
import { describeValueError, readParameterValues, valueErrorJson } from '../parameter-values';
import { loadDescription } from './config';

export interface RenderOptions {
  device: string;
  profile?: string;
  set?: string[];
  values?: string;
  output?: string;
  update?: string;
  id?: string;
  json?: boolean;
}

/**
 * `deployments render <appId>[@version] --device <id> [--profile <id>] [--set p=v]...
 * [--values f.yaml] [-o file]`: the ApplicationDeployment YAML on stdout (secrets masked; the
 * real values go only to the owner-only `-o` file), or the refused values, each naming its
 * parameter, with exit 1. Exit 2 for usage errors (malformed --set, unreadable files, a
 * profile to choose).
 */
export async function runDeploymentsRender(
  store: Store,
  ref: string,
  options: RenderOptions,
  output: Output,
): Promise<ExitCode> {
  const fail = (message: string, code: ExitCode) => {
    output.err(`commissioner deployments render: ${message}`);
    return code;
  };
  const description = loadDescription(store, ref, 'deployments render', output);
  if (!description) return EXIT.findings;
  if (options.id !== undefined && !UUID.test(options.id)) {
    return fail(`--id ${options.id} is not a UUID`, EXIT.usage);
  }

  let installed: ApplicationDeployment | undefined;
  if (options.update !== undefined) {
    const read = await readInstalled(options.update, output);
    if (typeof read === 'number') return read;
    installed = read;
  }

  try {
    deploymentProfileFor({
      description,
      deviceId: options.device,
      ...(installed ? { installed } : {}),
      ...(options.profile !== undefined ? { profileId: options.profile } : {}),
    });
  } catch (e) {
    if (e instanceof ProfileChoiceError) return fail(e.message, EXIT.usage);
    if (e instanceof DeploymentRequestError) return fail(e.message, EXIT.findings);
    throw e;
  }
  const given = readParameterValues(description, options, 'deployments render', output);
  if (typeof given === 'number') return given;
  const { values, origins } = given;

  let rendered;
  try {
    rendered = renderDeployment({
      description,
      deviceId: options.device,
      values,
      ...(installed ? { installed } : {}),
      ...(options.profile !== undefined ? { profileId: options.profile } : {}),
      ...(options.id !== undefined ? { id: options.id } : {}),
    });
  } catch (e) {
    if (e instanceof DeploymentRequestError) return fail(e.message, EXIT.findings);
    throw e;
  }
  for (const warning of rendered.warnings) output.err(`warning: ${warning}`);
  if (!rendered.ok) {
    if (options.json) {
      output.out(
        JSON.stringify({
          valid: false,
          errors: rendered.errors.map((e) => valueErrorJson(e, origins)),
        }),
      );
    } else {
      output.err(
        `${description.id} ${description.metadata.version} cannot be deployed with these values:`,
      );
      for (const e of rendered.errors) output.err(`  ${describeValueError(e, origins)}`);
    }
    return EXIT.findings;
  }

  let file: string | undefined;
  if (options.output !== undefined) {
    file = resolveFromCaller(options.output);
    try {
      writeOwnerOnly(file, Buffer.from(rendered.yaml, 'utf8'));
    } catch (e) {
      return fail(`cannot write ${options.output}: ${(e as Error).message}`, EXIT.usage);
    }
  }
  if (options.json) {
    output.out(
      JSON.stringify({
        valid: true,
        id: rendered.deployment.id,
        digest: rendered.digest,
        yaml: rendered.maskedYaml,
        secrets: rendered.secrets,
        warnings: rendered.warnings,
        ...(file !== undefined ? { file } : {}),
      }),
    );
  } else if (file === undefined) {
    output.out(rendered.maskedYaml);
  }
  if (rendered.secrets.length > 0 && file === undefined) {
    output.err(
      `secret values (${rendered.secrets.join(', ')}) are masked here; write the deployment with -o <file> to get them (the file is readable by you only)`,
    );
  }
  output.err(
    `${file !== undefined ? `wrote ${options.output} (owner-only), ` : ''}digest ${rendered.digest}`,
  );
  return EXIT.ok;
}

/** The installed deployment an update starts from, validated like any Margo document. */
async function readInstalled(
  path: string,
  output: Output,
): Promise<ApplicationDeployment | ExitCode> {
  let checked;
  try {
    checked = await validateFile(resolveFromCaller(path), path);
  } catch (e) {
    if (e instanceof UnreadablePathError) {
      output.err(`commissioner deployments render: ${e.message}`);
      return EXIT.usage;
    }
    throw e;
  }
  if (checked.kind !== 'ApplicationDeployment' || !checked.shapeValid) {
    for (const d of checked.diagnostics) output.err(formatDiagnostic(d, false));
    output.err(
      `commissioner deployments render: ${path} is not a valid ApplicationDeployment: --update needs the deployment installed now`,
    );
    return EXIT.findings;
  }
  return checked.value as ApplicationDeployment;
}

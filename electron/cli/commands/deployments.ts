import { statSync } from 'node:fs';
import { buildFormModel, ProfileChoiceError } from '../../../shared/configuration/form-model';
import type { ConfigurationError } from '../../../shared/configuration/validate-configuration';
import { parseValueText, readValuesYaml } from '../../../shared/configuration/value-text';
import {
  deploymentProfileFor,
  DeploymentRequestError,
} from '../../../shared/deployment/build-deployment';
import type { ApplicationDeployment } from '../../../shared/margo/application-deployment';
import { UUID } from '../../../shared/margo/patterns';
import { MAX_DOCUMENT_BYTES } from '../../../shared/validation/validate-document';
import { decodeUtf8 } from '../../../shared/yaml/decode-utf8';
import { writeOwnerOnly } from '../../services/deployments/owner-only-file';
import { renderDeployment } from '../../services/deployments/render-deployment';
import type { Store } from '../../services/store/store';
import { readBounded } from '../../services/validation/read-bounded';
import { UnreadablePathError, validateFile } from '../../services/validation/validate-path';
import { resolveFromCaller } from '../caller-directory';
import { EXIT, type ExitCode } from '../exit-codes';
import { formatDiagnostic, type Output } from '../output';
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

  let model;
  try {
    const profile = deploymentProfileFor({
      description,
      deviceId: options.device,
      ...(installed ? { installed } : {}),
      ...(options.profile !== undefined ? { profileId: options.profile } : {}),
    });
    model = buildFormModel(description, profile);
  } catch (e) {
    if (e instanceof ProfileChoiceError) return fail(e.message, EXIT.usage);
    if (e instanceof DeploymentRequestError) return fail(e.message, EXIT.findings);
    throw e;
  }
  const rules = new Map(model.fields.map((f) => [f.parameter, f.rule]));

  // Where each value came from, so a refused one sends the engineer to the right place.
  const origins: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (options.values !== undefined) {
    const file = readValuesFile(options.values, output);
    if (typeof file === 'number') return file;
    const parsed = readValuesYaml(file, model);
    if (parsed.problems.length > 0) {
      for (const p of parsed.problems) {
        output.err(`${options.values}:${p.line}:${p.column}: error: ${p.message}`);
      }
      return EXIT.findings;
    }
    Object.assign(values, parsed.values);
    for (const [name, at] of Object.entries(parsed.origins)) {
      origins[name] = `${options.values}:${at.line}:${at.column}`;
    }
  }
  for (const assignment of options.set ?? []) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) {
      return fail(
        `--set ${assignment}: write it as <parameter>=<value>, e.g. --set pollFrequency=60`,
        EXIT.usage,
      );
    }
    const name = assignment.slice(0, eq);
    values[name] = parseValueText(rules.get(name), assignment.slice(eq + 1));
    origins[name] = `--set ${name}`;
  }

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
        JSON.stringify({ valid: false, errors: rendered.errors.map(withOrigin(origins)) }),
      );
    } else {
      output.err(
        `${description.id} ${description.metadata.version} cannot be deployed with these values:`,
      );
      for (const e of rendered.errors) output.err(`  ${errorLine(e, origins)}`);
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

function errorLine(e: ConfigurationError, origins: Record<string, string>): string {
  const from = origins[e.parameter];
  return `${e.parameter}${e.setting !== undefined ? ` (${e.setting})` : ''}: ${e.message}${from ? ` [${from}]` : ''}`;
}

function withOrigin(origins: Record<string, string>) {
  return (e: ConfigurationError) =>
    origins[e.parameter] !== undefined ? { ...e, source: origins[e.parameter] } : e;
}

function readValuesFile(path: string, output: Output): string | ExitCode {
  const absolute = resolveFromCaller(path);
  try {
    const size = statSync(absolute).size;
    if (size > MAX_DOCUMENT_BYTES) {
      output.err(
        `${path}:1:1: error: a values file may hold at most 1 MiB (this one has ${size} bytes)`,
      );
      return EXIT.findings;
    }
    const decoded = decodeUtf8(readBounded(absolute, MAX_DOCUMENT_BYTES));
    if (!decoded.ok) {
      output.err(`${path}:${decoded.line}:${decoded.column}: error: ${decoded.message}`);
      return EXIT.findings;
    }
    return decoded.text;
  } catch (e) {
    output.err(`commissioner deployments render: cannot read ${path}: ${(e as Error).message}`);
    return EXIT.usage;
  }
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

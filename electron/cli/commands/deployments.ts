import type { Store } from '../../core/store/store';
import { renderDeployment } from '../../core/use-cases/render-deployment';
import { resolveFromCaller } from '../caller-directory';
import { describeValueProblem, profileHint, reportFailure } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { valuesFromOptions } from '../values-options';

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
  let rendered;
  try {
    rendered = await renderDeployment(store, {
      app: ref,
      deviceId: options.device,
      values: valuesFromOptions(options),
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(options.id !== undefined ? { id: options.id } : {}),
      ...(options.update !== undefined
        ? { installed: { path: resolveFromCaller(options.update), shownAs: options.update } }
        : {}),
      ...(options.output !== undefined
        ? { output: { path: resolveFromCaller(options.output), shownAs: options.output } }
        : {}),
    });
  } catch (e) {
    return reportFailure(output, 'deployments render', e, (error) => {
      if (error.name === 'storage') return EXIT.usage;
      return profileHint(output)(error);
    });
  }
  for (const warning of rendered.warnings) output.err(`warning: ${warning}`);
  if (!rendered.valid) {
    if (options.json) output.out(JSON.stringify({ valid: false, errors: rendered.errors }));
    else {
      output.err(`${ref} cannot be deployed with these values:`);
      for (const e of rendered.errors) output.err(`  ${describeValueProblem(e)}`);
    }
    return EXIT.findings;
  }
  if (options.json) output.out(JSON.stringify(rendered));
  else if (rendered.file === undefined) output.out(rendered.yaml);
  if (rendered.secrets.length > 0 && rendered.file === undefined) {
    output.err(
      `secret values (${rendered.secrets.join(', ')}) are masked here; write the deployment with -o <file> to get them (the file is readable by you only)`,
    );
  }
  output.err(
    `${rendered.file !== undefined ? `wrote ${options.output} (owner-only), ` : ''}digest ${rendered.digest}`,
  );
  return EXIT.ok;
}

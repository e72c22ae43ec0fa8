import type { ComponentSource } from '../../core/kit/pack-kit';
import { packKit } from '../../core/use-cases/pack-kit';
import { toContractError } from '../../core/errors/to-contract-error';
import { resolveFromCaller } from '../caller-directory';
import { reportError } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';

export interface KitPackCommandOptions {
  component?: string[];
  image?: string[];
  output: string;
  json?: boolean;
}

/** `kit pack <package-dir> [--component name@revision=dir]... [--image tar]... -o <out>`. */
export async function runKitPack(
  packageDir: string,
  options: KitPackCommandOptions,
  output: Output,
): Promise<ExitCode> {
  const components: ComponentSource[] = [];
  for (const spec of options.component ?? []) {
    const m = /^([^@=]+)@([^=]+)=(.+)$/.exec(spec);
    if (!m) {
      output.err(
        `commissioner kit pack: --component ${spec} must be <name>@<revision>=<compose-folder>`,
      );
      return EXIT.usage;
    }
    components.push({
      name: m[1] as string,
      revision: m[2] as string,
      dir: resolveFromCaller(m[3] as string),
    });
  }
  try {
    const packed = await packKit({
      packageDir: resolveFromCaller(packageDir),
      packageShownAs: packageDir,
      components,
      images: (options.image ?? []).map((i) => resolveFromCaller(i)),
      out: resolveFromCaller(options.output),
    });
    if (options.json) output.out(JSON.stringify({ out: options.output, entries: packed }));
    else {
      for (const e of packed) output.out(`${e.kind.padEnd(12)} ${e.refName}  ${e.digest}`);
      output.out(`wrote ${options.output}`);
    }
    return EXIT.ok;
  } catch (e) {
    const error = toContractError(e, 'commissioner kit pack');
    const code = reportError(output, 'kit pack', error, e);
    if (options.json && code === EXIT.findings) {
      output.out(
        JSON.stringify({
          error: error.message,
          diagnostics: error.name === 'invalid-document' ? error.details.diagnostics : [],
        }),
      );
    }
    return code;
  }
}

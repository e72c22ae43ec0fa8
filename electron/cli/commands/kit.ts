import type { ComponentSource } from '../../core/kit/pack-kit';
import { packKit } from '../../core/use-cases/pack-kit';
import { toContractError } from '../../core/errors/to-contract-error';
import { resolveFromCaller } from '../caller-directory';
import { flagHint, reportError } from '../cli-failure';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';

export interface KitPackCommandOptions {
  component?: string[];
  image?: string[];
  output: string;
  signKey?: string;
  signCert?: string;
  json?: boolean;
}

/**
 * `kit pack <package-dir> [--component name@revision=dir]... [--image tar]... -o <out>
 * [--sign-key key.pem --sign-cert chain.pem]`.
 */
export async function runKitPack(
  packageDir: string,
  options: KitPackCommandOptions,
  output: Output,
): Promise<ExitCode> {
  if ((options.signKey === undefined) !== (options.signCert === undefined)) {
    output.err(
      'commissioner kit pack: --sign-key and --sign-cert go together: give the private key and its certificate chain, or neither',
    );
    return EXIT.usage;
  }
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
      ...(options.signKey !== undefined && options.signCert !== undefined
        ? {
            sign: {
              keyPath: resolveFromCaller(options.signKey),
              certPath: resolveFromCaller(options.signCert),
            },
          }
        : {}),
    });
    if (options.json) output.out(JSON.stringify({ out: options.output, entries: packed }));
    else {
      for (const e of packed) {
        output.out(
          `${e.kind.padEnd(12)} ${e.refName}  ${e.digest}${e.signature ? `  signed (${e.signature})` : ''}`,
        );
      }
      output.out(`wrote ${options.output}`);
    }
    return EXIT.ok;
  } catch (e) {
    const error = toContractError(e, 'commissioner kit pack');
    const code = reportError(
      output,
      'kit pack',
      error,
      e,
      flagHint(output, { signKey: 'check --sign-key', signCert: 'check --sign-cert' }),
    );
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

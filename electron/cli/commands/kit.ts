import { existsSync } from 'node:fs';
import { KitPackError, packKit, type ComponentSource } from '../../core/kit/pack-kit';
import { ComposeArchiveError } from '../../core/kit/compose-archive';
import { ImageArchiveError } from '../../core/kit/image-archive';
import { resolveFromCaller } from '../caller-directory';
import { EXIT, type ExitCode } from '../exit-codes';
import { formatDiagnostic, type Output } from '../output';

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
  const images = (options.image ?? []).map((i) => resolveFromCaller(i));
  const missing = [
    resolveFromCaller(packageDir),
    ...components.map((c) => c.dir),
    ...images,
  ].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    output.err(
      `commissioner kit pack: ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist`,
    );
    return EXIT.usage;
  }
  try {
    const packed = await packKit({
      packageDir: resolveFromCaller(packageDir),
      packageShownAs: packageDir,
      components,
      images,
      out: resolveFromCaller(options.output),
    });
    if (options.json) output.out(JSON.stringify({ out: options.output, entries: packed }));
    else {
      for (const e of packed) output.out(`${e.kind.padEnd(12)} ${e.refName}  ${e.digest}`);
      output.out(`wrote ${options.output}`);
    }
    return EXIT.ok;
  } catch (e) {
    if (
      e instanceof KitPackError ||
      e instanceof ComposeArchiveError ||
      e instanceof ImageArchiveError
    ) {
      output.err(`commissioner kit pack: ${e.message}`);
      for (const d of e instanceof KitPackError ? e.diagnostics : [])
        output.err(formatDiagnostic(d, false));
      if (options.json)
        output.out(
          JSON.stringify({
            error: e.message,
            diagnostics: e instanceof KitPackError ? e.diagnostics : [],
          }),
        );
      return EXIT.findings;
    }
    throw e;
  }
}

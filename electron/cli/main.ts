import { Command, CommanderError } from 'commander';
import { runValidate } from './commands/validate';
import { EXIT, type ExitCode } from './exit-codes';
import { processOutput, type Output } from './output';

/**
 * Builds the `commissioner` program. Options may come before or after positionals; usage
 * errors exit with 2. Commands report their own exit codes (see each issue's contract).
 */
export function buildProgram(output: Output, setExit: (code: ExitCode) => void): Command {
  const program = new Command('commissioner')
    .description(
      'Commissioner: import, check and deploy Margo applications on plant-floor devices, offline',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) });

  program
    .command('validate')
    .description(
      'check a Margo file (margo.yaml, deployment, capabilities, …) or a package directory',
    )
    .argument('<path...>', 'a YAML/JSON file or a package directory')
    .option('--json', 'print one JSON object {valid, diagnostics} on stdout')
    .action(async (paths: string[], options: { json?: boolean }) => {
      setExit(await runValidate(paths, options, output));
    });

  return program;
}

/** Flags every command understands; written before the command name they still apply to it. */
const COMMAND_FLAGS = new Set(['--json', '--yes']);

/** `commissioner --json validate x` means `commissioner validate x --json`. */
export function hoistCommandFlags(argv: readonly string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length && COMMAND_FLAGS.has(argv[i] as string)) leading.push(argv[i++] as string);
  return leading.length > 0 && i < argv.length ? [...argv.slice(i), ...leading] : [...argv];
}

export async function main(argv: string[], output: Output = processOutput): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = buildProgram(output, (c) => (code = c));
  try {
    await program.parseAsync(hoistCommandFlags(argv), { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    output.err(`commissioner: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT.findings;
  }
}

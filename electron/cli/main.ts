import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { Store } from '../core/store/store';
import { registerAuditCommands } from './program/audit-commands';
import { registerBackupCommands } from './program/backup-commands';
import { registerDeploymentCommands } from './program/deployment-commands';
import { registerDeviceCommands } from './program/device-commands';
import { registerMargoCommands } from './program/margo-commands';
import { registerReportCommands } from './program/report-commands';
import { registerKitCommands, registerStoreCommands } from './program/store-commands';
import { registerTrustCommands } from './program/trust-commands';
import { registerUserCommands } from './program/user-commands';
import { EXIT, type ExitCode } from './exit-codes';
import { processOutput, type Output } from './output';

// Command modules are imported inside their actions, so a command loads only its own
// dependencies and `--help` none of them (zod, yaml, SQLite, Docker): most of start-up.

/** The version in package.json, read where the sources are (the bundle keeps that meaning). */
function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

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
    .option('--debug', 'on failure, also print the raw error (for support)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s), writeErr: (s) => output.err(s) })
    .version(packageVersion(), '-V, --version', 'print the version');

  program
    .command('validate')
    .description(
      'check a Margo file (margo.yaml, deployment, capabilities, …) or a package directory',
    )
    .argument('<path...>', 'a YAML/JSON file or a package directory')
    .option('--json', 'print one JSON object {valid, diagnostics} on stdout')
    .action(async (paths: string[], options: { json?: boolean }) => {
      const { runValidate } = await import('./commands/validate');
      setExit(await runValidate(paths, options, output));
    });

  const withStore = async (run: (store: Store) => Promise<ExitCode> | ExitCode) => {
    const { openStore } = await import('../core/store/store');
    const store = openStore();
    try {
      setExit(await run(store));
    } finally {
      store.close();
    }
  };

  const context = { output, setExit, withStore, readStdin };
  registerStoreCommands(program, context);
  registerDeviceCommands(program, context);
  registerDeploymentCommands(program, context);
  registerKitCommands(program, context);
  registerMargoCommands(program, context);
  registerTrustCommands(program, context);
  registerAuditCommands(program, context);
  registerUserCommands(program, context);
  registerReportCommands(program, context);
  registerBackupCommands(program, context);

  return program;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
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
  // --debug, anywhere: raw errors (class names, codes, stack traces) go to stderr too.
  const debug = argv.includes('--debug');
  const shown: Output = debug ? Object.assign(Object.create(output) as Output, { debug }) : output;
  const program = buildProgram(shown, (c) => (code = c));
  try {
    // Loaded with the program: tiny, and every command's audit entries name the CLI as the face.
    const { runAsActor } = await import('../core/audit/actor-scope');
    await runAsActor('cli', () =>
      program.parseAsync(hoistCommandFlags(argv.filter((a) => a !== '--debug')), {
        from: 'user',
      }),
    );
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // Loaded only on failure: it brings the contract's error schemas (zod) with it.
    const { reportFailure } = await import('./cli-failure');
    return reportFailure(shown, program.args.join(' ') || 'command', e);
  }
}

import { Command, CommanderError } from 'commander';
import { openStore, type Store } from '../services/store/store';
import { runCatalogList, runCatalogRemove, runCatalogShow } from './commands/catalog';
import { runImport } from './commands/import';
import { runKitPack } from './commands/kit';
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

  const withStore = async (run: (store: Store) => Promise<ExitCode> | ExitCode) => {
    const store = openStore();
    try {
      setExit(await run(store));
    } finally {
      store.close();
    }
  };
  const collect = (value: string, previous: string[]) => [...previous, value];

  program
    .command('import')
    .description(
      'import application packages, components and images from folders, kits and registries',
    )
    .argument(
      '<source...>',
      'a package folder, an OCI layout folder, a kit (.tar, .tar.gz), a folder to scan (USB stick), or oci://host[:port]/repo[:tag]',
    )
    .option('--json', 'print the summary as one JSON object on stdout')
    .option(
      '--with-dependencies',
      'also pull the components (compose archives, Helm charts) packages from a registry name',
    )
    .option('--plain-http', 'talk to the registry over plain HTTP (only when it has no TLS)')
    .option('--ca <file>', 'trust this CA certificate (PEM) for the registry')
    .option(
      '--username <user>',
      'registry user name (password from --password-stdin or COMMISSIONER_REGISTRY_PASSWORD)',
    )
    .option('--password-stdin', 'read the registry password from standard input')
    .action(async (sources: string[], options: Parameters<typeof runImport>[2]) => {
      await withStore((store) => runImport(store, sources, options, output, readStdin));
    });

  const catalog = program
    .command('catalog')
    .description('browse and manage the imported applications');
  catalog
    .command('list')
    .description('list applications at their latest version')
    .option(
      '--search <query>',
      'only applications matching every word (name, tagline, description, tags, organization)',
    )
    .option('--json', 'print a JSON array')
    .action(async (options: { search?: string; json?: boolean }) => {
      await withStore((store) => runCatalogList(store, options, output));
    });
  catalog
    .command('show')
    .description('show one application (its latest version, or id@version)')
    .argument('<app>', 'id or id@version')
    .option('--json', 'print one JSON object')
    .action(async (ref: string, options: { json?: boolean }) => {
      await withStore((store) => runCatalogShow(store, ref, options, output));
    });
  catalog
    .command('remove')
    .description('remove an application version (id@version) or every version (id)')
    .argument('<app>', 'id or id@version')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print what was removed as JSON')
    .action(async (ref: string, options: { yes?: boolean; json?: boolean }) => {
      await withStore((store) => runCatalogRemove(store, ref, options, output));
    });

  const kit = program.command('kit').description('make kits (OCI layouts) for USB sticks');
  kit
    .command('pack')
    .description('pack a package, its compose components and images into a kit')
    .argument('<package-dir>', 'the application package folder (margo.yaml + resources/)')
    .option(
      '--component <name@revision=dir>',
      'a compose component folder to pack (repeatable)',
      collect,
      [],
    )
    .option(
      '--image <archive>',
      'a docker save or OCI image archive to include (repeatable)',
      collect,
      [],
    )
    .requiredOption('-o, --output <out>', 'the kit to write: a .tar or .tar.gz file, or a folder')
    .option('--json', 'print what was packed as JSON')
    .action(async (packageDir: string, options: Parameters<typeof runKitPack>[1]) => {
      setExit(await runKitPack(packageDir, options, output));
    });

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

import type { runImport } from '../commands/import';
import type { runKitPack } from '../commands/kit';
import { collect, type Command, type CommandContext } from './command-context';

/** `import`, `catalog`, `kit`: what goes into the store, and out of it. */
export function registerStoreCommands(
  program: Command,
  { output, withStore, readStdin }: CommandContext,
): void {
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
      const { runImport } = await import('../commands/import');
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
      const { runCatalogList } = await import('../commands/catalog');
      await withStore((store) => runCatalogList(store, options, output));
    });
  catalog
    .command('show')
    .description('show one application (its latest version, or id@version)')
    .argument('<app>', 'id or id@version')
    .option('--json', 'print one JSON object')
    .action(async (ref: string, options: { json?: boolean }) => {
      const { runCatalogShow } = await import('../commands/catalog');
      await withStore((store) => runCatalogShow(store, ref, options, output));
    });
  catalog
    .command('remove')
    .description('remove an application version (id@version) or every version (id)')
    .argument('<app>', 'id or id@version')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print what was removed as JSON')
    .action(async (ref: string, options: { yes?: boolean; json?: boolean }) => {
      const { runCatalogRemove } = await import('../commands/catalog');
      await withStore((store) => runCatalogRemove(store, ref, options, output));
    });
}

/** `kit`: packing kits for USB sticks (no store involved). */
export function registerKitCommands(program: Command, { output, setExit }: CommandContext): void {
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
    .option(
      '--sign-key <key.pem>',
      'sign the package, components and images with this private key (with --sign-cert)',
    )
    .option(
      '--sign-cert <chain.pem>',
      "the signing key's certificate chain, leaf first (with --sign-key)",
    )
    .option('--json', 'print what was packed as JSON')
    .action(async (packageDir: string, options: Parameters<typeof runKitPack>[1]) => {
      const { runKitPack } = await import('../commands/kit');
      setExit(await runKitPack(packageDir, options, output));
    });
}

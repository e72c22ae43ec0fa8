import type {
  BackupCreateOptions,
  BackupInspectOptions,
  BackupRestoreOptions,
} from '../commands/backup';
import type { Command, CommandContext } from './command-context';

/** `backup`: the data home in one encrypted file, to hand over or recover a laptop. */
export function registerBackupCommands(
  program: Command,
  { output, setExit, withStore }: CommandContext,
): void {
  const backup = program
    .command('backup')
    .description(
      "an encrypted backup of this laptop's data home: database, keys and certificates, settings, optionally the package store",
    );
  backup
    .command('create')
    .description(
      'write one encrypted archive of the data home (a consistent snapshot: the app may keep running)',
    )
    .requiredOption('-o, --output <file>', 'the archive to write (e.g. laptop.cbackup)')
    .option('--with-store', 'also the package store (every imported package: can be GiBs)')
    .option(
      '--passphrase-file <file>',
      'read the passphrase from this file (otherwise asked twice on the terminal)',
    )
    .option(
      '--json',
      'print {backupId, createdAt, file, bytes, withStore, files, manifestDigest, summary, leftOut}',
    )
    .action(async (options: BackupCreateOptions) => {
      const { runBackupCreate } = await import('../commands/backup');
      await withStore((store) => runBackupCreate(store, options, output));
    });
  backup
    .command('restore')
    .description(
      'restore a backup into this data home (empty, or with --replace); a wrong passphrase or a damaged file changes nothing',
    )
    .argument('<file>', 'the backup file')
    .option(
      '--passphrase-file <file>',
      'read the passphrase from this file (otherwise asked on the terminal)',
    )
    .option(
      '--replace',
      'replace a data home that holds data (kept aside until the restore is complete, then removed)',
    )
    .option('--yes', 'do not ask before replacing')
    .option(
      '--json',
      'print {backupId, createdAt, createdBy, from, home, replaced, summary, leftOut, audit}',
    )
    .action(async (file: string, options: BackupRestoreOptions) => {
      const { runBackupRestore } = await import('../commands/backup');
      setExit(await runBackupRestore(file, options, output));
    });
  backup
    .command('inspect')
    .description("show a backup's header; with the passphrase, also what it holds")
    .argument('<file>', 'the backup file')
    .option(
      '--passphrase-file <file>',
      'read the passphrase from this file to show the contents (otherwise asked on a terminal; Enter skips)',
    )
    .option('--json', 'print {file, header, manifest} (manifest null without the passphrase)')
    .action(async (file: string, options: BackupInspectOptions) => {
      const { runBackupInspect } = await import('../commands/backup');
      setExit(await runBackupInspect(file, options, output));
    });
}

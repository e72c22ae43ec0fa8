import type {
  BackupHeader,
  BackupManifest,
  BackupSummary,
} from '../../../shared/backup/backup-manifest';
import { formatBytes } from '../../../shared/units/quantity';
import { dataHome } from '../../core/store/data-home';
import type { Store } from '../../core/store/store';
import { createBackup } from '../../core/use-cases/create-backup';
import { inspectBackup } from '../../core/use-cases/inspect-backup';
import { restoreBackup } from '../../core/use-cases/restore-backup';
import { restoreTarget } from '../../core/backup/restore-data-home';
import { resolveFromCaller as callerPath } from '../caller-directory';
import { reportFailure } from '../cli-failure';
import { confirmed } from '../confirm';
import { EXIT, type ExitCode } from '../exit-codes';
import { plural, type Output } from '../output';
import { backupPassphrase } from '../passphrase-source';

export interface BackupCreateOptions {
  output: string;
  withStore?: boolean;
  passphraseFile?: string;
  json?: boolean;
}

/** `backup create -o <file> [--with-store] [--passphrase-file f] [--json]`. */
export async function runBackupCreate(
  store: Store,
  options: BackupCreateOptions,
  output: Output,
): Promise<ExitCode> {
  const passphrase = await backupPassphrase('backup create', options.passphraseFile, output, {
    confirm: true,
  });
  if (passphrase === undefined) return EXIT.usage;
  const file = callerPath(options.output);
  try {
    const made = await createBackup(store, {
      output: file,
      passphrase,
      withStore: options.withStore === true,
    });
    if (options.json) {
      output.out(
        JSON.stringify({
          backupId: made.backupId,
          createdAt: made.createdAt,
          file,
          bytes: made.bytes,
          withStore: made.withStore,
          files: made.files,
          manifestDigest: made.manifestDigest,
          summary: made.summary,
          leftOut: made.leftOut,
        }),
      );
      return EXIT.ok;
    }
    output.out(
      `Backed up ${store.paths.home} to ${file} (${formatBytes(made.bytes)}, ${plural(made.files, 'file')}, ${made.withStore ? 'with' : 'without'} the package store).`,
    );
    output.out(`It holds ${summaryText(made.summary)}.`);
    if (made.leftOut.length > 0) {
      output.out(
        `Packages left out (import them again after a restore, or back up --with-store): ${made.leftOut.join(', ')}.`,
      );
    }
    output.out(
      'Keep the passphrase apart from the file: without it nothing can be restored, and with both anyone can act as this laptop towards its devices.',
    );
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'backup create', e);
  }
}

export interface BackupRestoreOptions {
  passphraseFile?: string;
  replace?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** `backup restore <file> [--passphrase-file f] [--replace [--yes]] [--json]`. */
export async function runBackupRestore(
  fileArg: string,
  options: BackupRestoreOptions,
  output: Output,
): Promise<ExitCode> {
  const file = callerPath(fileArg);
  const home = dataHome();
  try {
    // The header first (no passphrase needed): a foreign file is refused before anything is
    // asked, and the question names which backup would replace what.
    const { header } = await inspectBackup(file);
    const target = restoreTarget(home, options.replace === true);
    if (
      target === 'replace' &&
      !(await confirmed(
        `Replace the data home ${home} with the backup made ${header.createdAt}? What it holds now is removed once the restore is complete.`,
        options.yes,
      ))
    ) {
      output.err('commissioner backup restore: nothing was restored');
      return EXIT.findings;
    }
    const passphrase = await backupPassphrase('backup restore', options.passphraseFile, output, {
      confirm: false,
    });
    if (passphrase === undefined) return EXIT.usage;
    const restored = await restoreBackup({
      file,
      passphrase,
      home,
      replace: options.replace === true,
    });
    const { manifest } = restored;
    if (options.json) {
      output.out(
        JSON.stringify({
          backupId: header.backupId,
          createdAt: header.createdAt,
          createdBy: header.createdBy,
          from: manifest.source.host,
          home,
          replaced: restored.replaced,
          withStore: header.withStore,
          summary: manifest.summary,
          leftOut: manifest.leftOut,
          audit: restored.audit,
        }),
      );
      return EXIT.ok;
    }
    output.out(
      `Restored the backup made ${header.createdAt} on ${manifest.source.host} (${header.createdBy}) into ${home}${restored.replaced ? ', replacing what was there' : ''}.`,
    );
    output.out(`It holds ${summaryText(manifest.summary)}.`);
    output.out(
      restored.audit.intact
        ? `The audit trail is intact: ${entriesText(restored.audit.entries)}, the last one this restore.`
        : `The audit trail in the backup does not verify: ${restored.audit.message}.`,
    );
    if (manifest.leftOut.length > 0) {
      output.out(
        `The package store was not in this backup: import these packages again before deploying them: ${manifest.leftOut.join(', ')}.`,
      );
    }
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'backup restore', e);
  }
}

export interface BackupInspectOptions {
  passphraseFile?: string;
  json?: boolean;
}

/** `backup inspect <file> [--passphrase-file f] [--json]`: the header, and the manifest when unlocked. */
export async function runBackupInspect(
  fileArg: string,
  options: BackupInspectOptions,
  output: Output,
): Promise<ExitCode> {
  const file = callerPath(fileArg);
  try {
    const { header } = await inspectBackup(file);
    let manifest: BackupManifest | null = null;
    const passphrase = await backupPassphrase('backup inspect', options.passphraseFile, output, {
      confirm: false,
      optional: options.passphraseFile === undefined,
    });
    if (passphrase === undefined && options.passphraseFile !== undefined) return EXIT.usage;
    if (passphrase !== undefined) manifest = (await inspectBackup(file, passphrase)).manifest;
    if (options.json) {
      output.out(JSON.stringify({ file, header, manifest }));
      return EXIT.ok;
    }
    output.out(headerText(file, header));
    output.out(
      manifest
        ? manifestText(manifest)
        : 'Its contents are sealed: give the passphrase (--passphrase-file) to list them.',
    );
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'backup inspect', e);
  }
}

function headerText(file: string, header: BackupHeader): string {
  const { kdf } = header;
  return [
    `${file}: a Commissioner backup`,
    `  made by        ${header.createdBy}`,
    `  made at        ${header.createdAt}`,
    `  backup id      ${header.backupId}`,
    `  package store  ${header.withStore ? 'included' : 'left out'}`,
    `  sealed with    AES-256-GCM, the key made from the passphrase by scrypt (N=2^${kdf.logN}, r=${kdf.r}, p=${kdf.p})`,
  ].join('\n');
}

function manifestText(manifest: BackupManifest): string {
  const { source, summary, files } = manifest;
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  const blobs = files.filter((f) => f.path.startsWith('store/')).length;
  const keys = files.filter((f) => f.path.startsWith('keys/')).length;
  const lines = [
    `  made of        ${source.home} on ${source.host} (installation ${source.installation}, engineer ${source.engineer || 'not set'})`,
    `  holds          ${summaryText(summary)}`,
    `  Margo          ${summary.trustDomain ? `trust domain ${summary.trustDomain} (its CA key included)` : 'no trust domain yet'}`,
    `  audit trail    ${summary.auditHead ? `last entry's hash ${summary.auditHead}` : 'empty'}`,
    `  files          ${files.length} (${formatBytes(bytes)}): the database, installation.json, ${plural(keys, 'key file')}${blobs > 0 ? `, ${plural(blobs, 'stored blob')}` : ''}`,
  ];
  if (manifest.leftOut.length > 0) {
    lines.push(`  left out       packages ${manifest.leftOut.join(', ')}`);
  }
  return lines.join('\n');
}

function summaryText(s: BackupSummary): string {
  return [
    plural(s.devices, 'device'),
    plural(s.deployments, 'deployment'),
    plural(s.margoClients, 'Margo client'),
    plural(s.applications, 'application'),
    `${s.trustEntries} trust ${s.trustEntries === 1 ? 'entry' : 'entries'}`,
    plural(s.users, 'account'),
    `audit trail of ${entriesText(s.auditEntries)}`,
  ].join(', ');
}

function entriesText(n: number): string {
  return `${n} ${n === 1 ? 'entry' : 'entries'}`;
}

import { basename } from 'node:path';
import type { BackupHeader, BackupManifest } from '../../../shared/backup/backup-manifest';
import { currentActor } from '../audit/actor-context';
import type { ChainVerdict } from '../audit/verify-chain';
import { restoreTarget, stageBackup, swapIntoPlace } from '../backup/restore-data-home';
import { appendAudit } from '../store/audit-trail';
import { dataPaths } from '../store/data-home';
import { moveDeviceKeyPaths } from '../store/device-inventory';
import { SETTING, writeSetting } from '../store/settings-table';
import { MigrationError } from '../store/migrate';
import { openStore } from '../store/store';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { verifyAuditTrail } from './audit-trail';

export interface RestoreBackupInput {
  /** The backup file. */
  file: string;
  /** How the file is named to people (an upload's original name); its base name by default. */
  shown?: string;
  passphrase: string;
  /** The data home restored into. */
  home: string;
  /** Replace a data home that holds data (asked for and confirmed by the face). */
  replace: boolean;
  /**
   * Called once everything is staged and checked, right before the swap: a face that has the
   * data home open (the app) closes it here. Not called when the restore is refused.
   */
  release?: () => Promise<void> | void;
}

export interface RestoredBackup {
  header: BackupHeader;
  manifest: BackupManifest;
  home: string;
  replaced: boolean;
  /** Devices whose key paths were moved to the new data home. */
  devicesMoved: number;
  /** `audit verify` of the restored trail, the restore's own entry included. */
  audit: ChainVerdict;
}

/**
 * `backup restore` / `backups.restore`: the backup's data home put in place of `home` as a
 * whole or not at all. Everything is written and checked beside it first (a wrong passphrase,
 * an altered, truncated or foreign file is refused with nothing written); the staged home is
 * then made this laptop's (device key paths moved, the last backup time kept), the restore is
 * appended to its audit trail, and one rename puts it in place.
 */
export async function restoreBackup(input: RestoreBackupInput): Promise<RestoredBackup> {
  const target = restoreTarget(input.home, input.replace);
  const staged = await stageBackup(input.file, input.passphrase, input.home, input.shown);
  try {
    const { header, manifest } = staged;
    const store = openStaged(staged.dir, header.createdBy);
    let devicesMoved: number;
    let audit: ChainVerdict;
    try {
      devicesMoved = moveDeviceKeyPaths(
        store,
        dataPaths(manifest.source.home).keys,
        dataPaths(input.home).keys,
      );
      writeSetting(store, SETTING.lastBackupAt, header.createdAt);
      appendAudit(store, {
        actor: currentActor(store),
        operation: 'backup.restore',
        target: input.shown ?? basename(input.file),
        inputs: {
          backupId: header.backupId,
          createdAt: header.createdAt,
          createdBy: header.createdBy,
          from: manifest.source.host,
          installation: manifest.source.installation,
          withStore: header.withStore,
          replaced: target === 'replace',
        },
        outcome: { result: 'ok' },
        digests: {},
      });
      audit = verifyAuditTrail(store);
    } finally {
      store.close();
    }
    await input.release?.();
    swapIntoPlace(staged, input.home, target);
    return {
      header,
      manifest,
      home: input.home,
      replaced: target === 'replace',
      devicesMoved,
      audit,
    };
  } catch (e) {
    staged.dispose();
    throw e;
  }
}

/** The staged home as a store: its migrations run (an older backup is brought up to date). */
function openStaged(dir: string, createdBy: string) {
  try {
    return openStore(dir);
  } catch (e) {
    if (!(e instanceof MigrationError)) throw e;
    throw new CommissionerError(
      'refused',
      `the backup was made by ${createdBy}, whose database is newer than this version reads: nothing was restored; restore it with that version or a newer one`,
      { reasons: ['newer database'] },
      { cause: e },
    );
  }
}

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  dialog,
  type BrowserWindow,
  type FileFilter,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';
import type { FilePurpose } from '../../shared/contract/picked-file';
import type { ChosenPath } from '../core/contract-handlers/app-core-api';

interface DialogSpec {
  title: string;
  kind: ChosenPath['kind'];
  filters?: FileFilter[];
  /** Start in ~/.ssh and show dot files. */
  ssh?: boolean;
  /** A folder to write into: offer to make a new one. */
  writable?: boolean;
  /** A file to write: the save dialog, starting with this name. */
  save?: { defaultName: string };
}

const ALL_FILES: FileFilter = { name: 'All files', extensions: ['*'] };
// Extensions without dots; `gz` because not every platform's dialog matches `tar.gz`.
const KITS: FileFilter = { name: 'Kits (.tar, .tar.gz, .tgz)', extensions: ['tar', 'gz', 'tgz'] };
const PEM: FileFilter = {
  name: 'PEM files (.pem, .crt, .cer, .key)',
  extensions: ['pem', 'crt', 'cer', 'key'],
};

const BACKUPS: FileFilter = { name: 'Commissioner backups (.cbackup)', extensions: ['cbackup'] };

const DIALOGS: Record<FilePurpose, DialogSpec> = {
  'import-kit': { title: 'Import a kit', kind: 'file', filters: [KITS, ALL_FILES] },
  'import-folder': { title: 'Import a folder (package, kit layout or USB stick)', kind: 'folder' },
  'tls-ca': { title: "The device's CA certificate", kind: 'file', filters: [PEM, ALL_FILES] },
  'tls-cert': {
    title: "This laptop's client certificate",
    kind: 'file',
    filters: [PEM, ALL_FILES],
  },
  'tls-key': { title: "This laptop's client key", kind: 'file', filters: [PEM, ALL_FILES] },
  'registry-ca': {
    title: "The registry's CA certificate",
    kind: 'file',
    filters: [PEM, ALL_FILES],
  },
  'ssh-identity': { title: 'SSH private key', kind: 'file', ssh: true },
  'trust-file': {
    title: 'Certificate, public key or trusted root to trust',
    kind: 'file',
    filters: [
      {
        name: 'Certificates, keys, trusted roots',
        extensions: ['pem', 'crt', 'cer', 'der', 'pub', 'json'],
      },
      ALL_FILES,
    ],
  },
  'margo-bundle-folder': {
    title: "Where to write the device's bundle (a folder for it is made inside)",
    kind: 'folder',
    writable: true,
  },
  'report-file': {
    title: 'Save the commissioning report',
    kind: 'file',
    filters: [
      { name: 'PDF document (.pdf)', extensions: ['pdf'] },
      { name: 'Web page (.html)', extensions: ['html', 'htm'] },
    ],
    save: { defaultName: 'commissioning-report.pdf' },
  },
  'backup-file': {
    title: 'Save the backup of this laptop',
    kind: 'file',
    filters: [BACKUPS],
    save: { defaultName: 'commissioner-backup.cbackup' },
  },
  'backup-archive': { title: 'Restore a backup', kind: 'file', filters: [BACKUPS, ALL_FILES] },
  'logs-file': {
    title: 'Save the logs',
    kind: 'file',
    filters: [{ name: 'Text (.txt, .log)', extensions: ['txt', 'log'] }, ALL_FILES],
    save: { defaultName: 'deployment-logs.txt' },
  },
};

/**
 * The native open dialog for one purpose; the core turns the answer into a token. Returns
 * null when the engineer cancels.
 */
export async function pickFile(
  purpose: FilePurpose,
  parent: BrowserWindow | null,
): Promise<ChosenPath | null> {
  const spec = DIALOGS[purpose];
  if (spec.save) return saveFile(spec, spec.save.defaultName, parent);
  const options: OpenDialogOptions = {
    title: spec.title,
    properties: [spec.kind === 'folder' ? 'openDirectory' : 'openFile'],
  };
  if (spec.filters) options.filters = spec.filters;
  // macOS offers a "New Folder" button only when asked; Windows accepts a folder typed in.
  if (spec.writable) options.properties?.push('createDirectory', 'promptToCreate');
  if (spec.ssh) {
    options.properties?.push('showHiddenFiles');
    const sshDir = join(homedir(), '.ssh');
    if (existsSync(sshDir)) options.defaultPath = sshDir;
  }
  const result =
    parent && !parent.isDestroyed()
      ? await dialog.showOpenDialog(parent, options)
      : await dialog.showOpenDialog(options);
  const path = result.filePaths[0];
  if (result.canceled || path === undefined) return null;
  return { path, kind: spec.kind };
}

/** The native save dialog: the file chosen (it need not exist yet); null when cancelled. */
async function saveFile(
  spec: DialogSpec,
  defaultName: string,
  parent: BrowserWindow | null,
): Promise<ChosenPath | null> {
  const options: SaveDialogOptions = {
    title: spec.title,
    defaultPath: join(homedir(), defaultName),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  if (spec.filters) options.filters = spec.filters;
  const result =
    parent && !parent.isDestroyed()
      ? await dialog.showSaveDialog(parent, options)
      : await dialog.showSaveDialog(options);
  if (result.canceled || !result.filePath) return null;
  return { path: result.filePath, kind: 'file' };
}

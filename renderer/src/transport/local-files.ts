import type { FilePurpose } from '../../../shared/contract/picked-file';
import type { LocalFiles } from './transport';
import { testIds } from '../test-ids';

const ACCEPT: Partial<Record<FilePurpose, string>> = {
  'import-kit': '.tar,.tgz,.gz,application/x-tar,application/gzip',
  'tls-ca': '.pem,.crt,.cer',
  'tls-cert': '.pem,.crt,.cer',
  'tls-key': '.pem,.key',
  'registry-ca': '.pem,.crt,.cer',
  'trust-file': '.pem,.crt,.cer,.der,.pub,.json',
};

/** Files of a folder chosen with `webkitdirectory`, relative to the folder itself. */
function folderOf(list: FileList): LocalFiles | null {
  const files = Array.from(list);
  const first = files[0];
  if (!first) return null;
  const name = first.webkitRelativePath.split('/')[0] || first.name;
  return {
    kind: 'folder',
    name,
    files: files.map((file) => ({
      file,
      path: file.webkitRelativePath.split('/').slice(1).join('/') || file.name,
    })),
  };
}

/**
 * The browser's file chooser, through a hidden `<input type="file">`. Call it straight from
 * the click handler (browsers open choosers only on a user gesture).
 */
export function pickLocalFiles(
  purpose: FilePurpose,
  kind: 'file' | 'folder',
): Promise<LocalFiles | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.hidden = true;
    input.dataset.testid = testIds.imports.fileInput(purpose);
    if (kind === 'folder') input.webkitdirectory = true;
    else if (ACCEPT[purpose]) input.accept = ACCEPT[purpose];
    let settled = false;
    const finish = (value: LocalFiles | null) => {
      if (settled) return;
      settled = true;
      input.remove();
      resolve(value);
    };
    input.addEventListener('change', () => {
      const list = input.files;
      if (!list || list.length === 0) return finish(null);
      if (kind === 'folder') return finish(folderOf(list));
      finish({ kind: 'file', file: list[0] as File });
    });
    input.addEventListener('cancel', () => finish(null));
    document.body.appendChild(input);
    input.click();
  });
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(
  directory: FileSystemDirectoryEntry,
  prefix: string,
  out: { file: File; path: string }[],
): Promise<void> {
  const reader = directory.createReader();
  // readEntries answers in batches (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await readEntries(reader);
    if (batch.length === 0) return;
    for (const entry of batch) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isFile) out.push({ file: await fileOf(entry as FileSystemFileEntry), path });
      else if (entry.isDirectory) await walk(entry as FileSystemDirectoryEntry, path, out);
    }
  }
}

/** What was dropped: each file, and each folder with every file below it. */
export async function droppedFiles(data: DataTransfer): Promise<LocalFiles[]> {
  // Entries must be taken synchronously, while the drop event lasts.
  const entries = Array.from(data.items)
    .filter((item) => item.kind === 'file')
    .map((item) => ({ entry: item.webkitGetAsEntry(), file: item.getAsFile() }));
  const result: LocalFiles[] = [];
  for (const { entry, file } of entries) {
    if (entry?.isDirectory) {
      const files: { file: File; path: string }[] = [];
      await walk(entry as FileSystemDirectoryEntry, '', files);
      result.push({ kind: 'folder', name: entry.name, files });
    } else if (file) {
      result.push({ kind: 'file', file });
    }
  }
  return result;
}

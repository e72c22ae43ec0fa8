import { WIRE } from '../../../shared/contract/wire';
import { PickedFile, type FilePurpose } from '../../../shared/contract/picked-file';
import { ContractError, type ContractErrorOf } from '../../../shared/contract/contract-error';
import { ContractFailure, type LocalFiles, type UploadProgress } from './transport';
import { disconnected, protocolError } from './transport-errors';

/** Files of a folder sent at once: small files go faster side by side, big ones share the link. */
const PARALLEL = 4;

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function failureOf(status: number, body: unknown, what: string): ContractFailure {
  if (typeof body === 'object' && body !== null) {
    const candidate = (body as { error?: unknown }).error;
    const error = ContractError.safeParse(candidate);
    if (error.success) return new ContractFailure(error.data);
  }
  if (status === 401 || status === 403) {
    return disconnected(
      `The browser host refused the upload of ${what}: open the address it printed (with ?token=…) again.`,
    );
  }
  return protocolError(
    `The upload of ${what} failed: the host answered HTTP ${status}, not with the contract's answer.`,
  );
}

/** The PickedFile an upload answered (plain, or in a contract envelope). */
function pickedOf(status: number, body: unknown, what: string): PickedFile {
  let candidate = body;
  if (typeof body === 'object' && body !== null && 'ok' in body) {
    if (body.ok !== true) throw failureOf(status, body, what);
    candidate = (body as { result?: unknown }).result;
  }
  const picked = PickedFile.safeParse(candidate);
  if (status < 200 || status >= 300 || !picked.success) throw failureOf(status, body, what);
  return picked.data;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/**
 * One request with upload progress. XMLHttpRequest sends a File straight from disk (the bytes
 * are never read into the page), and unlike fetch it reports how much has gone.
 */
function send(
  method: 'PUT' | 'POST',
  url: string,
  body: Blob | null,
  onProgress: (loaded: number) => void,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    if (body) xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      resolve({ status: xhr.status, body: parseJson(xhr.responseText) });
    };
    xhr.onerror = () =>
      reject(
        disconnected(
          'The upload stopped: the Commissioner host did not answer. Check that it still runs, then try again.',
        ),
      );
    xhr.onabort = xhr.onerror;
    xhr.send(body);
  });
}

/** Uploads a file, or each file of a folder, as the browser host's wire protocol says. */
export class Uploader {
  constructor(private readonly report: (progress: UploadProgress) => void) {}

  async upload(local: LocalFiles, purpose: FilePurpose): Promise<PickedFile> {
    const id = `upload-${randomId()}`;
    const label = local.kind === 'file' ? local.file.name : `${local.name}/`;
    const files = local.kind === 'file' ? [{ file: local.file, path: '' }] : local.files;
    const total = files.reduce((sum, f) => sum + f.file.size, 0);
    const progress: UploadProgress = {
      id,
      label: `Uploading ${label}`,
      state: 'running',
      done: 0,
      total,
      files: files.length,
      startedAt: new Date().toISOString(),
      endedAt: null,
    };
    const sent = new Map<number, number>();
    let lastReport = 0;
    const update = (force = false) => {
      progress.done = [...sent.values()].reduce((a, b) => a + b, 0);
      const now = performance.now();
      if (force || now - lastReport > 100) {
        lastReport = now;
        this.report({ ...progress });
      }
    };
    update(true);
    try {
      const picked =
        local.kind === 'file'
          ? await this.uploadFile(local.file, purpose, (n) => {
              sent.set(0, n);
              update();
            })
          : await this.uploadFolder(local, purpose, (i, n) => {
              sent.set(i, n);
              update();
            });
      progress.state = 'succeeded';
      progress.endedAt = new Date().toISOString();
      sent.clear();
      sent.set(0, total);
      update(true);
      return picked;
    } catch (error) {
      progress.state = 'failed';
      progress.endedAt = new Date().toISOString();
      progress.message = error instanceof Error ? error.message : String(error);
      update(true);
      throw error;
    }
  }

  private url(path: string, params: Record<string, string>): string {
    const url = new URL(path, window.location.origin);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }

  private async uploadFile(
    file: File,
    purpose: FilePurpose,
    onProgress: (loaded: number) => void,
  ): Promise<PickedFile> {
    const answer = await send(
      'PUT',
      this.url(WIRE.upload, { purpose, name: file.name }),
      file,
      onProgress,
    );
    return pickedOf(answer.status, answer.body, file.name);
  }

  private async uploadFolder(
    folder: Extract<LocalFiles, { kind: 'folder' }>,
    purpose: FilePurpose,
    onProgress: (index: number, loaded: number) => void,
  ): Promise<PickedFile> {
    if (folder.files.length === 0) {
      const error: ContractErrorOf<'invalid-input'> = {
        name: 'invalid-input',
        message: `The folder ${folder.name} has no files to upload: choose the folder that holds the package or kit.`,
        details: {},
      };
      throw new ContractFailure(error);
    }
    const group = randomId();
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (!failed && next < folder.files.length) {
        const index = next++;
        const { file, path } = folder.files[index] as { file: File; path: string };
        const answer = await send(
          'PUT',
          this.url(WIRE.upload, { purpose, group, path, name: folder.name }),
          file,
          (n) => onProgress(index, n),
        ).catch((error: unknown) => {
          failed = true;
          throw error;
        });
        if (answer.status < 200 || answer.status >= 300) {
          failed = true;
          throw failureOf(answer.status, answer.body, `${folder.name}/${path}`);
        }
        if (
          typeof answer.body === 'object' &&
          answer.body !== null &&
          (answer.body as { ok?: unknown }).ok === false
        ) {
          failed = true;
          throw failureOf(answer.status, answer.body, `${folder.name}/${path}`);
        }
        onProgress(index, file.size);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL, folder.files.length) }, () => worker()),
    );
    const done = await send(
      'POST',
      this.url(WIRE.uploadDone, { group, purpose, name: folder.name }),
      null,
      () => undefined,
    );
    return pickedOf(done.status, done.body, folder.name);
  }
}

import type { OperationName, RequestOf, ResponseOf } from '../../../shared/contract/operations';
import type { FilePurpose, PickedFile } from '../../../shared/contract/picked-file';
import type { ContractError } from '../../../shared/contract/contract-error';
import type { DownloadTicket } from '../../../shared/contract/margo';
import {
  ContractFailure,
  type Transport,
  type TransportEvent,
  type UploadProgress,
} from '../../../renderer/src/transport/transport';

/** One call the screens made, answered when the test says so. */
export interface PendingCall<N extends OperationName = OperationName> {
  op: N;
  request: RequestOf<N>;
  answer(response: ResponseOf<N>): void;
  fail(error: ContractError): void;
}

type Answerer = { [N in OperationName]?: (request: RequestOf<N>) => ResponseOf<N> };

/**
 * A Transport held in memory: operations with a fixed answer are answered at once, the others
 * wait until the test answers them (in any order it likes), and events are sent when the test
 * emits them. It is the renderer's real Transport interface, with the core played by the test.
 */
export class MemoryTransport implements Transport {
  /** The browser host unless a test plays the desktop app. */
  host: Transport['host'] = 'browser';
  readonly calls: PendingCall[] = [];
  /** What the screens asked the browser to save. */
  readonly downloads: DownloadTicket[] = [];
  private readonly listeners = new Set<(event: TransportEvent) => void>();
  private readonly uploadListeners = new Set<(upload: UploadProgress) => void>();

  constructor(private readonly fixed: Answerer = {}) {}

  call<N extends OperationName>(op: N, request: RequestOf<N>): Promise<ResponseOf<N>> {
    const answer = this.fixed[op] as ((r: RequestOf<N>) => ResponseOf<N>) | undefined;
    if (answer) return Promise.resolve(answer(request));
    return new Promise((resolve, reject) => {
      this.calls.push({
        op,
        request,
        answer: resolve as (response: ResponseOf<OperationName>) => void,
        fail: (error) => reject(new ContractFailure(error)),
      } as PendingCall);
    });
  }

  /** The calls of one operation made so far, oldest first. */
  callsOf<N extends OperationName>(op: N): PendingCall<N>[] {
    return this.calls.filter((c) => c.op === op) as unknown as PendingCall<N>[];
  }

  onEvent(listener: (event: TransportEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: TransportEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  onUpload(listener: (upload: UploadProgress) => void): () => void {
    this.uploadListeners.add(listener);
    return () => {
      this.uploadListeners.delete(listener);
    };
  }

  /** An upload's progress, as the browser host's uploader reports it. */
  upload(progress: UploadProgress): void {
    for (const listener of this.uploadListeners) listener(progress);
  }

  pickFile(_purpose: FilePurpose, _kind: 'file' | 'folder'): Promise<PickedFile | null> {
    return Promise.resolve(null);
  }

  download(ticket: DownloadTicket): void {
    this.downloads.push(ticket);
  }
}

import type { ContractError } from '../../../shared/contract/contract-error';
import type {
  EventName,
  EventOf,
  OperationName,
  RequestOf,
  ResponseOf,
} from '../../../shared/contract/operations';
import type { FilePurpose, PickedFile } from '../../../shared/contract/picked-file';
import type { DownloadTicket } from '../../../shared/contract/margo';

/** An event of the contract, validated. */
export type ContractEvent = { [N in EventName]: { event: N; payload: EventOf<N> } }[EventName];

export type TransportEvent = ContractEvent;

/** A failed call: the contract's error, with nothing of it lost. */
export class ContractFailure extends Error {
  readonly error: ContractError;

  constructor(error: ContractError) {
    super(error.message);
    this.name = error.name;
    this.error = error;
  }
}

/** Files the engineer dropped or chose in the browser, before they are uploaded. */
export type LocalFiles =
  | { kind: 'file'; file: File }
  | { kind: 'folder'; name: string; files: { file: File; path: string }[] };

/** An upload in progress (browser host), shown in the job tray beside the core's jobs. */
export interface UploadProgress {
  id: string;
  label: string;
  state: 'running' | 'succeeded' | 'failed';
  done: number;
  total: number;
  files: number;
  startedAt: string;
  endedAt: string | null;
  message?: string;
}

export interface Transport {
  /** Which face carries the contract. */
  readonly host: 'electron' | 'browser';
  /** Calls an operation; throws a ContractFailure carrying the core's ContractError. */
  call<N extends OperationName>(op: N, request: RequestOf<N>): Promise<ResponseOf<N>>;
  /** Subscribes to the core's events; returns the function that unsubscribes. */
  onEvent(listener: (event: TransportEvent) => void): () => void;
  /** Asks the engineer for a file or folder; null when they cancelled. */
  pickFile(purpose: FilePurpose, kind: 'file' | 'folder'): Promise<PickedFile | null>;
  /** Browser host only: uploads dropped files through the same protocol as pickFile. */
  uploadLocal?(files: LocalFiles, purpose: FilePurpose): Promise<PickedFile>;
  /** Uploads in progress (browser host). */
  onUpload?(listener: (upload: UploadProgress) => void): () => void;
  /** Whether the event channel is up (browser host: the WebSocket). */
  onConnection?(listener: (connected: boolean) => void): () => void;
  /** Browser host only: saves a file an operation made (a client's bundle) through the browser. */
  download?(ticket: DownloadTicket): void;
  /** Browser host with accounts: ends this session and shows the login page. */
  logout?(): Promise<void>;
}

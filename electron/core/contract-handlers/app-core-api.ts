import type { Envelope } from '../../../shared/contract/contract-error';
import type { FilePurpose, PickedFile } from '../../../shared/contract/picked-file';
import type { EventMessage } from '../../../shared/contract/wire';
import type { LiveStateOptions } from '../live-state/live-state-watcher';
import type { Download } from './downloads';

/** A file or folder the engineer chose through a native dialog (desktop app). */
export interface ChosenPath {
  path: string;
  kind: 'file' | 'folder';
}

export interface AppCoreOptions {
  /** The data home (COMMISSIONER_HOME, or the platform's default when absent). */
  home?: string;
  host: 'electron' | 'browser';
  /** The desktop app's native open dialog; absent in the browser host (it uploads instead). */
  pickFile?: (purpose: FilePurpose) => Promise<ChosenPath | null>;
  /** Where uploads are kept until used (browser host); defaults to the data home's tmp/. */
  uploadsDir?: string;
  /** The demo kit offered on first start; defaults to resources/demo-kit.tar beside the sources. */
  demoKit?: string;
  /**
   * Serve Margo devices from the start (the Workload Management API and registry, as `margo
   * serve`; `--margo`). Settings starts and stops it while the app runs either way.
   */
  margo?: { host: string; port: number; trustPort: number };
  /**
   * Devices and registries on the station itself (unix sockets, loopback and link-local
   * addresses, its own addresses): refused unless true. The desktop app allows them (only the
   * person at the station drives it, and reaches them anyway); the browser host only when
   * started with `--allow-local-targets`, since whoever can open it would act as the station.
   */
  allowLocalTargets?: boolean;
  /**
   * Watch the devices that have deployments while this core is open (live state and drift):
   * the browser host and the desktop app pass true; tests pass a short interval.
   */
  liveState?: boolean | LiveStateOptions;
}

/**
 * The core as the faces see it: one function for every contract operation, the events, and
 * the files the engineer picked. Faces (Electron main, the browser host) only carry messages.
 */
export interface AppCore {
  /** Validates the request against the contract, runs the operation, answers its envelope; never throws. */
  call(op: string, request: unknown): Promise<Envelope<unknown>>;
  /** Subscribes to the contract's events; returns the function that unsubscribes. */
  onEvent(listener: (message: EventMessage) => void): () => void;
  /** Makes a path chosen by the engineer (dialog, upload) usable through a token. */
  registerPicked(chosen: ChosenPath, name: string): PickedFile;
  /** Where uploads go (browser host). */
  readonly uploadsDir: string;
  /**
   * A file an operation made for the browser to save (`DownloadTicket`), once: the browser
   * host's `GET /api/download`. Undefined when unknown, taken already or expired.
   */
  takeDownload(token: string): Download | undefined;
  close(): Promise<void>;
}

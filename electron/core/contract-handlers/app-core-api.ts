import type { Envelope } from '../../../shared/contract/contract-error';
import type { Caller } from '../../../shared/contract/roles';
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

/** A logged-in account, and when its password last changed (a change ends older sessions). */
export interface AccountStanding {
  caller: Caller;
  passwordChangedAt: string;
}

/** What the browser host asks the core about accounts; the rules stay in the core. */
export interface AccountGate {
  /** Whether any account exists: the browser host then asks everyone to log in. */
  any(): boolean;
  /** The caller a name and password stand for, or undefined (audited either way). */
  login(name: string, password: string): Promise<AccountStanding | undefined>;
  /** The account's current role, or undefined once it was removed (its sessions end). */
  standing(name: string): AccountStanding | undefined;
  /** A session ended (logged out, or expired), for the audit trail. */
  ended(name: string, why: 'logout' | 'expired'): void;
}

/**
 * The core as the faces see it: one function for every contract operation, the events, and
 * the files the engineer picked. Faces (Electron main, the browser host) only carry messages.
 */
export interface AppCore {
  /**
   * Validates the request against the contract, runs the operation, answers its envelope;
   * never throws. `caller` is the logged-in account (the browser host with accounts): its
   * role must allow the operation (`forbidden` otherwise). Without it the call is the
   * station's own user's (the desktop app, the browser host's single token).
   */
  call(op: string, request: unknown, caller?: Caller): Promise<Envelope<unknown>>;
  /** The browser host's named accounts: whether there are any, logging in, who is still there. */
  readonly accounts: AccountGate;
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

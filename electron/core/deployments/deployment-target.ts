import type {
  DevicePlanCode,
  DevicePlanView,
  DeviceOutcomeView,
  ServiceLogsView,
} from '../../../shared/contract/deploy';
import type { ConfigurationError } from '../../../shared/configuration/validate-configuration';
import type {
  ApplicationDescription,
  DeploymentProfile,
} from '../../../shared/margo/application-description';
import type { ApplicationDeployment } from '../../../shared/margo/application-deployment';
import type { DeviceRecord } from '../store/device-inventory';
import type { Store } from '../store/store';
import type { DeploymentRecord } from '../store/deployment-journal';
import type { DeploymentOwner } from '../../../shared/application-deployment/ownership-labels';

/** A Commissioner deployment a device runs, whoever made it (from the device's own word). */
export interface FoundOnDevice {
  id: string;
  appId: string;
  version: string;
  revision: number;
  owner: DeploymentOwner;
  deployedAt: string;
  state: string;
  /** The device keeps its full record (revisions can be adopted), not only labels. */
  hasRecord: boolean;
}

/** A deployment taken into this laptop's records from a device. */
export interface Adopted {
  id: string;
  appId: string;
  /** Revisions added to this laptop's records. */
  revisions: number;
}

/** What a plan is asked for, on one device. */
export interface TargetPlanRequest {
  description: ApplicationDescription;
  device: DeviceRecord;
  profileId?: string;
  /** Values given now; on an update the others keep their installed values. */
  values: Record<string, unknown>;
}

/** Progress while a device is worked on: a line of words, or an image's bytes. */
export type TargetProgress =
  | { kind: 'message'; message: string }
  | { kind: 'image'; image: string; bytesSent: number; totalBytes: number };

export interface ApplyOptions {
  /** Restore the known-good revision when the new one fails. */
  autoRollback: boolean;
  onProgress?: (progress: TargetProgress) => void;
}

export type DeviceOutcome = DeviceOutcomeView;

/** The device will not get the deployment, and why (nothing on it changed). */
export interface Refusal {
  code: DevicePlanCode;
  message: string;
  /** Refused values, each naming its parameter. */
  errors?: ConfigurationError[];
}

export type TargetPlan =
  | {
      ok: true;
      view: Extract<DevicePlanView, { ok: true }>;
      /** What the plan deploys, for the review of its values (secrets in clear: never shown). */
      deploys: {
        profile: DeploymentProfile;
        deployment: ApplicationDeployment;
        secrets: readonly string[];
      };
      /** Carries the plan out (nothing is re-planned: what was shown is what is applied). */
      apply(options: ApplyOptions): Promise<DeviceOutcome>;
    }
  | { ok: false; refusal: Refusal; warnings: string[] };

/** Which container a log is of. */
export interface LogSource {
  component: string;
  service: string;
  container: string;
}

/** Where a followed log goes: text as it comes, and once, why it ended by itself. */
export interface FollowHandlers {
  onText(source: LogSource, text: string): void;
  onEnd(reason: string): void;
}

/** A deployment's full logs written to a file. */
export interface SavedLogs {
  containers: number;
  bytes: number;
}

/** What removing did on the device. */
export interface Removal {
  /** Docker devices: per component, what went and which data volumes stayed. */
  projects: {
    containers: string[];
    networks: string[];
    volumes: string[];
    keptVolumes: string[];
  }[];
  /** Margo devices: taken out of the desired state; the device removes it and reports. */
  placed: boolean;
}

/**
 * What a kind of device does with deployments. Docker devices are driven over the Engine API
 * from this laptop; Margo devices pull their desired state and report back. Every use case
 * reaches a device through this interface, so the difference between the two is decided in
 * one place (`targetForDevice`, `targetOfDeployment`).
 */
export interface DeploymentTarget {
  /** The profile types this device runs: compose on Docker devices; what a Margo client reports. */
  profileTypes(device: DeviceRecord): string[];
  plan(store: Store, request: TargetPlanRequest): Promise<TargetPlan>;
  /** Runs the given earlier revision again and makes it current. */
  rollback(
    store: Store,
    deployment: DeploymentRecord,
    target: number,
    onProgress?: (progress: TargetProgress) => void,
    /** Also when another installation deployed it since (Docker devices' records say so). */
    options?: { takeOver?: boolean },
  ): Promise<DeviceOutcome>;
  remove(
    store: Store,
    deployment: DeploymentRecord,
    options: { purgeVolumes: boolean; takeOver?: boolean },
  ): Promise<Removal>;
  /** Records what the device runs now (a Margo device's state is what it last reported). */
  refresh(store: Store, deployment: DeploymentRecord): Promise<void>;
  logs(
    store: Store,
    deployment: DeploymentRecord,
    options: { tail: number; component?: string; service?: string },
  ): Promise<ServiceLogsView>;
  /** Streams what the containers print from now on; resolves with the function that stops it. */
  followLogs(
    store: Store,
    deployment: DeploymentRecord,
    options: { tail: number },
    handlers: FollowHandlers,
  ): Promise<() => void>;
  /** Writes every line the containers printed to `file`. */
  saveLogs(store: Store, deployment: DeploymentRecord, file: string): Promise<SavedLogs>;
  /**
   * The Commissioner deployments on the device, ours or not; our records of them are marked
   * taken over where another installation deployed over them since.
   */
  found(store: Store, device: DeviceRecord): Promise<FoundOnDevice[]>;
  /**
   * Takes deployments found on the device (one by id, or every one not in our records) into
   * this laptop's records, their revisions included. Nothing on the device changes.
   */
  adopt(store: Store, device: DeviceRecord, id?: string): Promise<Adopted[]>;
  /**
   * Listens to the device for changes to Commissioner's containers (Docker's event stream):
   * `onChange` when one happens, `onClosed` once when the stream ends or cannot open. Resolves
   * with the function that stops listening. Absent where the device reports on its own
   * (Margo devices): live state then polls only.
   */
  watchChanges?(
    store: Store,
    device: string,
    handlers: { onChange: () => void; onClosed: (reason: string) => void },
  ): Promise<() => void>;
}

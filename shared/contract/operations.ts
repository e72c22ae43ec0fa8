import { z } from 'zod';
import { ProbeResult } from '../devices/probe-result';
import { AccountRef, AccountView, AddAccount, SessionView, SetAccountPassword } from './accounts';
import { AppInfo } from './app-info';
import {
  BackupStatusView,
  CreateBackup,
  CreatedBackupView,
  RestoreBackup,
  RestoredBackupView,
  SetBackupReminder,
} from './backups';
import {
  AppReach,
  AppRef,
  AppView,
  CatalogFacets,
  CatalogPage,
  CatalogQuery,
  Icons,
  IconsQuery,
  RemovedVersions,
} from './catalog';
import { Matrix, MatrixQuery } from './compatibility';
import {
  AddDevice,
  AddedDevice,
  AdoptDeployments,
  AdoptedDeployments,
  DeviceDetailView,
  DeviceNames,
  DeviceView,
  UpdateDevice,
} from './devices';
import { StartImport } from './imports';
import {
  InstallationView,
  SetEngineer,
  SetWatchInterval,
  WatchIntervalView,
} from './station-settings';
import {
  DeployForm,
  DeployFormQuery,
  DeployPlan,
  DeployRequest,
  DeploymentRef,
  FollowLogs,
  LogStream,
  LogsEnded,
  LogsQuery,
  LogsText,
  SavedLogsView,
  SaveLogs,
  RemoveDeployment,
  RollbackDeployment,
  ServiceLogsView,
  StartDeploy,
} from './deploy';
import {
  DeploymentDetail,
  DeploymentListEntry,
  ListDeployments,
  RefreshAllResult,
} from './deployments';
import { Job, JobStarted } from './jobs';
import {
  AddMargoClient,
  MargoClientRef,
  MargoClientView,
  MargoServingView,
  ProvisionedMargoClient,
  StartMargoServing,
} from './margo';
import { FilePurpose, PickedFile } from './picked-file';
import { CreatedReport, CreateReport } from './reports';
import {
  AddedTrustEntry,
  AddTrustEntry,
  RemovedTrustEntry,
  RemoveTrustEntry,
  SetTrustPolicy,
  TrustEntryView,
  TrustPolicyView,
  TrustScope,
} from './trust-store';

const Nothing = z.strictObject({});

/**
 * Every operation the UI uses: its name, what it takes and what it gives. The desktop app
 * (Electron IPC) and the browser host (HTTP) carry the same map, and the core validates every
 * request against it before anything runs.
 */
export const OPERATIONS = {
  'app.info': { request: Nothing, response: AppInfo },
  'catalog.list': { request: CatalogQuery, response: CatalogPage },
  'catalog.facets': { request: Nothing, response: CatalogFacets },
  'catalog.show': { request: AppRef, response: AppView },
  'catalog.icons': { request: IconsQuery, response: Icons },
  /** The cards on screen ask as their icons do (the same list of apps). */
  'catalog.reach': { request: IconsQuery, response: AppReach },
  'catalog.remove': { request: AppRef, response: RemovedVersions },
  /** Desktop app only: the native dialog. The browser host uploads instead (same PickedFile). */
  'files.pick': {
    request: z.strictObject({ purpose: FilePurpose }),
    response: PickedFile.nullable(),
  },
  'imports.start': { request: StartImport, response: JobStarted },
  'jobs.list': { request: Nothing, response: z.array(Job) },
  'devices.list': { request: Nothing, response: z.array(DeviceView) },
  'devices.add': { request: AddDevice, response: AddedDevice },
  'devices.update': { request: UpdateDevice, response: DeviceView },
  'devices.remove': { request: z.strictObject({ name: z.string() }), response: Nothing },
  'devices.probe': { request: DeviceNames, response: z.array(ProbeResult) },
  /** Asks the device which Commissioner deployments it runs, ours or another installation's. */
  'devices.show': { request: z.strictObject({ name: z.string() }), response: DeviceDetailView },
  'compat.matrix': { request: MatrixQuery, response: Matrix },
  /** The wizard: devices with their verdicts, profiles, the form (installed values on updates). */
  'deploy.form': { request: DeployFormQuery, response: DeployForm },
  /** The review: per device what changes, images to side-load, the deployment YAML. */
  'deploy.plan': { request: DeployRequest, response: DeployPlan },
  /** Deploys what was reviewed, as a job (per-image bytes, per-device state). */
  'deploy.start': { request: StartDeploy, response: JobStarted },
  'deployments.list': { request: ListDeployments, response: z.array(DeploymentListEntry) },
  'deployments.show': { request: DeploymentRef, response: DeploymentDetail },
  /** Asks the device what runs now, then shows the deployment. */
  'deployments.refresh': { request: DeploymentRef, response: DeploymentDetail },
  /** Asks every device that has deployments what runs now (the Deployments screen's Refresh all). */
  'deployments.refreshAll': { request: Nothing, response: RefreshAllResult },
  'deployments.logs': { request: LogsQuery, response: ServiceLogsView },
  /** Streams new log lines as `logs.text` events until stopped (or not renewed for a minute). */
  'deployments.followLogs': { request: FollowLogs, response: LogStream },
  'deployments.stopLogs': { request: LogStream, response: Nothing },
  /** The full logs as a file: saved where the desktop app's dialog says, or downloaded. */
  'deployments.saveLogs': { request: SaveLogs, response: SavedLogsView },
  'deployments.rollback': { request: RollbackDeployment, response: JobStarted },
  'deployments.remove': { request: RemoveDeployment, response: JobStarted },
  /** Takes deployments found on a device into this laptop's records; the device is not touched. */
  'deployments.adopt': { request: AdoptDeployments, response: AdoptedDeployments },
  /** Settings: how often devices with deployments are asked, and who deploys from here. */
  'settings.watchInterval': { request: Nothing, response: WatchIntervalView },
  'settings.setWatchInterval': { request: SetWatchInterval, response: WatchIntervalView },
  'settings.installation': { request: Nothing, response: InstallationView },
  'settings.setEngineer': { request: SetEngineer, response: InstallationView },
  /** The laptop's trust store (Settings → Trust). */
  'trust.list': { request: Nothing, response: z.array(TrustEntryView) },
  'trust.add': { request: AddTrustEntry, response: AddedTrustEntry },
  'trust.remove': { request: RemoveTrustEntry, response: RemovedTrustEntry },
  /** Trust policies, most specific scope first. */
  'trust.policies': { request: Nothing, response: z.array(TrustPolicyView) },
  'trust.setPolicy': { request: SetTrustPolicy, response: TrustPolicyView },
  'trust.removePolicy': { request: TrustScope, response: Nothing },
  /** Settings → Margo devices: whether and where this app serves Margo devices, the trust domain. */
  'margo.status': { request: Nothing, response: MargoServingView },
  'margo.start': { request: StartMargoServing, response: MargoServingView },
  /** Closes both ports; devices keep running what they run and reach the laptop again at the next start. */
  'margo.stop': { request: Nothing, response: MargoServingView },
  'margo.clients': { request: Nothing, response: z.array(MargoClientView) },
  /** Accepts a client and writes its provisioning bundle to a picked folder or a download. */
  'margo.addClient': { request: AddMargoClient, response: ProvisionedMargoClient },
  /** A new certificate for an accepted client, in a new bundle; the old one stays valid until it expires. */
  'margo.renewClient': { request: AddMargoClient, response: ProvisionedMargoClient },
  /** Its next request is refused, also on a running server. */
  'margo.revokeClient': { request: MargoClientRef, response: MargoClientView },
  /** Who uses this window (the browser host with accounts), for the header and what it offers. */
  'session.current': { request: Nothing, response: SessionView },
  /** The browser host's named accounts (Settings → Accounts; `commissioner users`). */
  'users.list': { request: Nothing, response: z.array(AccountView) },
  'users.add': { request: AddAccount, response: AccountView },
  'users.remove': { request: AccountRef, response: Nothing },
  'users.setPassword': { request: SetAccountPassword, response: AccountView },
  /** The commissioning report, saved to a chosen file (desktop app) or downloaded (browser). */
  'reports.create': { request: CreateReport, response: CreatedReport },
  /** Settings → Backup: the last backup and the reminder. */
  'backups.status': { request: Nothing, response: BackupStatusView },
  'backups.setReminder': { request: SetBackupReminder, response: BackupStatusView },
  /** An encrypted archive of the data home, saved to a chosen file (desktop) or downloaded. */
  'backups.create': { request: CreateBackup, response: CreatedBackupView },
  /** Replaces this data home with an uploaded or picked backup; the app goes on with it. */
  'backups.restore': { request: RestoreBackup, response: RestoredBackupView },
} as const;

export type OperationName = keyof typeof OPERATIONS;
export type RequestOf<N extends OperationName> = z.input<(typeof OPERATIONS)[N]['request']>;
export type ResponseOf<N extends OperationName> = z.infer<(typeof OPERATIONS)[N]['response']>;

/** What the core tells the UI without being asked. */
export const EVENTS = {
  /** A job started, progressed or ended. */
  'job.updated': Job,
  /** Something the UI shows changed: refresh those views. */
  'store.changed': z.strictObject({
    what: z.array(z.enum(['catalog', 'devices', 'jobs', 'deployments', 'trust', 'margo'])),
  }),
  /** New output of a followed deployment's container, and the end of a follow. */
  'logs.text': LogsText,
  'logs.ended': LogsEnded,
  /** Desktop app only: File ▸ Import kit… / Import folder… in the application menu. */
  'menu.command': z.strictObject({ command: z.enum(['import-kit', 'import-folder']) }),
} as const;

export type EventName = keyof typeof EVENTS;
export type EventOf<N extends EventName> = z.infer<(typeof EVENTS)[N]>;

export function isOperation(name: string): name is OperationName {
  return Object.hasOwn(OPERATIONS, name);
}

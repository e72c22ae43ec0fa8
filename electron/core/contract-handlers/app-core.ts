import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  CommissionerError,
  type ContractError,
  type Envelope,
} from '../../../shared/contract/contract-error';
import {
  EVENTS,
  isOperation,
  OPERATIONS,
  type EventName,
  type EventOf,
  type OperationName,
  type ResponseOf,
} from '../../../shared/contract/operations';
import { OPERATION_ROLES, roleAllows, type Caller } from '../../../shared/contract/roles';
import type { EventMessage } from '../../../shared/contract/wire';
import { auditedAs } from '../../../shared/audit/audited-operations';
import type { AddMargoClient } from '../../../shared/contract/margo';
import { accountActor, hasActor, runAsActor } from '../audit/actor-context';
import { wasAudited } from '../audit/audited';
import { recordRefusedRequest } from '../audit/refused-request';
import type { CreateReport } from '../../../shared/contract/reports';
import type { CreateBackup, RestoreBackup } from '../../../shared/contract/backups';
import type { StartMargoServing } from '../../../shared/contract/margo';
import { logRawError } from '../errors/error-log';
import { backupFileName } from '../backup/backup-file-name';
import { backupStatus, setBackupReminder } from '../use-cases/backup-status';
import { createBackup, type CreatedBackup } from '../use-cases/create-backup';
import { restoreBackup } from '../use-cases/restore-backup';
import { toContractError } from '../errors/to-contract-error';
import { dataHome } from '../store/data-home';
import { finishedJobs, recordFinishedJob } from '../store/finished-jobs';
import type { StoreArea } from '../store/store-changes';
import { openStore, type Store } from '../store/store';
import { auditAccountEvent } from '../accounts/account-audit';
import { anyAccount } from '../store/accounts-table';
import {
  addAccount,
  authenticate,
  accountStanding,
  listAccounts,
  removeAccount,
  setAccountPassword,
} from '../use-cases/local-accounts';
import { addDevice } from '../use-cases/add-device';
import { addTrustEntry } from '../use-cases/add-trust-entry';
import { appInfo } from '../use-cases/app-info';
import { applicationIcons, catalogFacets, catalogPage } from '../use-cases/browse-catalog';
import { applicationReach } from '../use-cases/catalog-reach';
import { compatibilityOverview } from '../use-cases/compatibility';
import { deployForm } from '../use-cases/deploy-form';
import { deploymentLogs, saveDeploymentLogs } from '../use-cases/deployment-logs';
import { LogFollows } from './log-follows';
import type { SaveLogs } from '../../../shared/contract/deploy';
import { deploymentRows, refreshAllDeployments } from '../use-cases/list-deployments';
import { LiveStateWatcher } from '../live-state/live-state-watcher';
import { deviceView, listDevices } from '../use-cases/list-devices';
import { planDeploy } from '../use-cases/plan-deploy';
import { probeDevices } from '../use-cases/probe-devices';
import { showDevice } from '../use-cases/show-device';
import { setEngineer, showInstallation } from '../use-cases/installation-identity';
import { setWatchInterval, watchInterval } from '../use-cases/watch-interval';
import { adoptDeployments } from '../use-cases/adopt-deployments';
import { removeApplication } from '../use-cases/remove-application';
import { removeDevice } from '../use-cases/remove-device';
import { removeTrustEntry } from '../use-cases/remove-trust-entry';
import { removeTrustPolicy } from '../use-cases/remove-trust-policy';
import {
  addMargoClient,
  renewMargoClient,
  revokeMargoClient,
  type ProvisionedClient,
} from '../use-cases/margo-clients';
import { deliverBundle, type BundleTarget } from '../use-cases/margo-bundle-delivery';
import { margoClientView, margoClientViews } from '../use-cases/margo-client-views';
import { MargoServing, margoServingView } from '../use-cases/margo-serving';
import { appView } from '../use-cases/show-application';
import { setTrustPolicy } from '../use-cases/set-trust-policy';
import { showDeployment } from '../use-cases/show-deployment';
import { listTrustEntries } from '../use-cases/trust-entries';
import { listTrustPolicies } from '../use-cases/trust-policies';
import { updateDevice } from '../use-cases/update-device';
import { commissioningReport } from '../use-cases/commissioning-report';
import {
  REPORT_MEDIA_TYPES,
  renderReport,
  reportFileName,
  reportFormatOf,
} from '../report/report-file';
import type { AppCore, AppCoreOptions } from './app-core-api';
import { deployInput, startDeployJob, startDeploymentJob } from './deploy-job';
import { Downloads } from './downloads';
import { startImportJob } from './import-job';
import { JobBoard } from './job-board';
import { PickedFiles } from './picked-files';

export type { AppCore, AppCoreOptions } from './app-core-api';

type Handlers = {
  [N in OperationName]: (
    request: z.infer<(typeof OPERATIONS)[N]['request']>,
    caller: Caller | undefined,
  ) => Promise<ResponseOf<N>> | ResponseOf<N>;
};

/** How often open views are told that the store changed, at most. */
const CHANGE_INTERVAL_MS = 100;

/**
 * The core the faces carry: opens the store, answers every contract operation (request
 * validated first, errors returned as data), runs long work as jobs, and publishes events.
 * Each handler only adapts the request and the answer: the rules are the use cases' own.
 */
export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const home = options.home ?? dataHome();
  // Replaced as a whole when a backup is restored (`backups.restore`): handlers read it anew.
  let store = openStore(home);
  // Named like staging (`<what>-<pid>-…`): another process's start-up recovery then leaves it
  // alone while this one lives, and removes it once this one is gone.
  const uploadsDir =
    options.uploadsDir ??
    join(store.paths.tmp, `uploads-${process.pid}-${randomUUID().slice(0, 8)}`);
  mkdirSync(uploadsDir, { recursive: true, mode: 0o700 });
  const listeners = new Set<(message: EventMessage) => void>();
  const publish = <N extends EventName>(event: N, payload: EventOf<N>) => {
    for (const listener of listeners) listener({ event, payload });
  };

  // The store says what each write changed; open views hear it at most every 100 ms.
  const pending = new Set<EventOf<'store.changed'>['what'][number]>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const changed = (area: StoreArea | 'jobs') => {
    pending.add(area);
    timer ??= setTimeout(() => {
      timer = null;
      const what = [...pending];
      pending.clear();
      publish('store.changed', { what });
    }, CHANGE_INTERVAL_MS);
  };
  let stopListening = store.changes.subscribe(changed);

  const files = new PickedFiles();
  const board = new JobBoard(
    (job) => {
      publish('job.updated', job);
      if (job.state !== 'running') changed('jobs');
    },
    { record: (job) => recordFinishedJob(store, job), list: () => finishedJobs(store) },
  );
  const demoKit = options.demoKit ?? defaultDemoKit();

  // The same WFM as `margo serve`, on this core's store: what it records shows at once.
  // Started here with `--margo`; Settings starts and stops it while the app runs.
  let margo = new MargoServing(store);
  /** Where Margo devices were last served from: serving goes on there after a restore. */
  let margoAt: StartMargoServing | undefined = options.margo;
  if (options.margo) await margo.start(options.margo);
  const margoView = () => margoServingView(store, margo);
  const downloads = new Downloads();
  const follows = new LogFollows(publish);

  // Live state: only faces that stay open watch devices (one-shot CLI commands never do).
  const newWatcher = () =>
    options.liveState
      ? new LiveStateWatcher(store, options.liveState === true ? {} : options.liveState)
      : undefined;
  let watcher = newWatcher();
  watcher?.start();

  const picked = (token: string) => files.resolve(token, 'file').path;
  const face = options.host === 'browser' ? 'browser' : 'desktop';
  const refuseLocalTargets = options.allowLocalTargets !== true;
  const handlers: Handlers = {
    'app.info': () =>
      appInfo(store, {
        host: options.host,
        demoKit,
        margo: margo.current
          ? {
              url: margo.current.server.url,
              trustUrl: margo.current.server.trustUrl,
              trustDomain: margo.current.identity.trustDomain,
            }
          : null,
      }),
    'catalog.list': (q) => catalogPage(store, q),
    'catalog.facets': () => catalogFacets(store),
    'catalog.show': (r) => appView(store, r.id, r.version),
    'catalog.icons': (r) => ({ icons: applicationIcons(store, r.apps) }),
    'catalog.reach': (r) => applicationReach(store, r.apps),
    'catalog.remove': (r) => ({
      removed: removeApplication(store, r).removed.map((version) => ({ id: r.id, version })),
    }),
    'files.pick': async (r) => {
      if (!options.pickFile) {
        throw new CommissionerError(
          'not-supported',
          'in the browser, files are uploaded, not picked',
          {},
        );
      }
      const chosen = await options.pickFile(r.purpose);
      if (!chosen) return null;
      return files.register(
        chosen,
        chosen.path.split(/[\\/]/).filter(Boolean).pop() ?? chosen.path,
      );
    },
    'imports.start': (r) => ({
      jobId: startImportJob(store, board, files, r.sources, { demoKit, refuseLocalTargets }),
    }),
    'jobs.list': () => board.list(),
    'devices.list': () => listDevices(store).map(deviceView),
    'devices.add': async (r) => {
      const { device, warnings } = await addDevice(store, {
        ...r,
        ...(r.tls
          ? { tls: { ca: picked(r.tls.ca), cert: picked(r.tls.cert), key: picked(r.tls.key) } }
          : {}),
        ...(r.identity ? { identity: picked(r.identity) } : {}),
        refuseLocalTargets,
      });
      return { ...deviceView(device), warnings };
    },
    'devices.update': (r) => deviceView(updateDevice(store, r)),
    'devices.remove': (r) => {
      removeDevice(store, r.name);
      return {};
    },
    'devices.probe': (r) => probeDevices(store, r.names ?? []),
    'devices.show': (r) => showDevice(store, r.name),
    'compat.matrix': (r) => compatibilityOverview(store, r.appIds, r.devices),
    'deploy.form': (r) => deployForm(store, r),
    'deploy.plan': async (r) => {
      const planning = await planDeploy(store, deployInput(r));
      return { devices: planning.devices.map((d) => d.view), signatures: planning.signatures };
    },
    'deploy.start': (r) => ({ jobId: startDeployJob(store, board, r) }),
    'deployments.list': (r) => deploymentRows(store, { includeRemoved: r.includeRemoved === true }),
    'deployments.show': async (r) => (await showDeployment(store, r.id)).detail,
    'deployments.refresh': async (r) => {
      const { detail, refreshError } = await showDeployment(store, r.id, { refresh: true });
      if (refreshError) throw CommissionerError.fromContract(refreshError);
      return detail;
    },
    'deployments.refreshAll': async () => ({ checked: await refreshAllDeployments(store) }),
    'deployments.logs': (r) =>
      deploymentLogs(store, r.id, r.tail !== undefined ? { tail: r.tail } : {}),
    'deployments.followLogs': (r) => follows.follow(store, r),
    'deployments.stopLogs': (r) => {
      follows.stop(r.stream);
      return {};
    },
    'deployments.saveLogs': (r) => saveLogs(r),
    'deployments.rollback': (r) => ({
      jobId: startDeploymentJob(store, board, 'rollback', r.id, { takeOver: r.takeOver === true }),
    }),
    'deployments.remove': (r) => ({
      jobId: startDeploymentJob(store, board, 'remove', r.id, {
        volumes: r.volumes,
        takeOver: r.takeOver === true,
      }),
    }),
    'deployments.adopt': (r) =>
      adoptDeployments(store, { device: r.device, ...(r.id !== undefined ? { id: r.id } : {}) }),
    'settings.watchInterval': () => watchInterval(store),
    'settings.setWatchInterval': (r) => setWatchInterval(store, String(r.seconds)),
    'settings.installation': () => showInstallation(store),
    'settings.setEngineer': (r) => setEngineer(store, r.engineer),
    'trust.list': () => listTrustEntries(store),
    'trust.add': (r) => {
      const file = files.resolve(r.file, 'file');
      const { entry, warnings } = addTrustEntry(store, {
        name: r.name,
        type: r.type,
        path: file.path,
        shown: file.name,
      });
      return { ...entry, warnings };
    },
    'trust.remove': (r) =>
      removeTrustEntry(store, r.name, { dropFromPolicies: r.dropFromPolicies === true }),
    'trust.policies': () => listTrustPolicies(store),
    'trust.setPolicy': (r) => setTrustPolicy(store, r),
    'trust.removePolicy': (r) => {
      removeTrustPolicy(store, r.scope);
      return {};
    },
    'margo.status': () => margoView(),
    'margo.start': async (r) => {
      await margo.start(r);
      margoAt = r;
      changed('margo');
      return margoView();
    },
    'margo.stop': async () => {
      await margo.stop();
      changed('margo');
      return margoView();
    },
    'margo.clients': () => margoClientViews(store),
    'margo.addClient': (r) => provisionClient(r, addMargoClient),
    'margo.renewClient': (r) => provisionClient(r, renewMargoClient),
    'margo.revokeClient': (r) => margoClientView(store, revokeMargoClient(store, r.clientId)),
    'session.current': (_, caller) => ({
      account: caller?.account ?? null,
      role: caller?.role ?? null,
    }),
    'users.list': () => listAccounts(store),
    'users.add': (r) => addAccount(store, r),
    'users.remove': (r, caller) => {
      removeAccount(store, r.name, caller?.account);
      return {};
    },
    'users.setPassword': (r) => setAccountPassword(store, r.name, r.password),
    'reports.create': (r) => createReport(r),
    'backups.status': () => backupStatus(store),
    'backups.setReminder': (r) => setBackupReminder(store, r.days),
    'backups.create': (r) => makeBackup(r),
    'backups.restore': (r) => restoreInPlace(r),
  };

  /**
   * A backup of this data home, where the face can take it: the file the desktop app's save
   * dialog chose, or (browser) a file made in tmp/ for one download, streamed and then removed.
   */
  async function makeBackup(r: CreateBackup) {
    const input = { passphrase: r.passphrase, withStore: r.withStore };
    if (r.to.kind === 'file') {
      if (options.host === 'browser') {
        throw new CommissionerError(
          'not-supported',
          'in the browser, a backup is downloaded, not written to a file',
          {},
        );
      }
      const file = files.resolve(r.to.file, 'file');
      const made = await createBackup(store, { ...input, output: file.path });
      return { ...backupView(made), file: file.name, download: null };
    }
    if (options.host !== 'browser') {
      throw new CommissionerError(
        'not-supported',
        'the desktop app saves backups to a file: choose one',
        {},
      );
    }
    // Named like staging: a crash leaves a folder the next start removes.
    const folder = mkdtempSync(join(store.paths.tmp, `download-${process.pid}-`));
    const name = backupFileName(new Date());
    try {
      const made = await createBackup(store, { ...input, output: join(folder, name) });
      const download = downloads.offer({
        name,
        mediaType: 'application/octet-stream',
        file: { path: made.output, size: made.bytes },
      });
      return { ...backupView(made), file: null, download };
    } catch (e) {
      rmSync(folder, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * Replaces this data home with a backup while the app runs: everything is checked and staged
   * beside it first; only then are the store, the live-state watcher and Margo serving closed,
   * the homes swapped, and all of it opened again on the restored home (serving where it
   * served). Refused while jobs run: they write to the home being replaced.
   */
  async function restoreInPlace(r: RestoreBackup) {
    if (board.list().some((job) => job.state === 'running')) {
      throw new CommissionerError(
        'refused',
        'jobs are running (imports, deployments): restore once they have finished',
        { reasons: ['jobs running'] },
      );
    }
    const file = files.resolve(r.file, 'file');
    let released = false;
    let serveAgain: StartMargoServing | undefined;
    try {
      const restored = await restoreBackup({
        file: file.path,
        shown: file.name,
        passphrase: r.passphrase,
        home: store.paths.home,
        replace: true,
        release: async () => {
          released = true;
          follows.close();
          serveAgain = margo.current ? margoAt : undefined;
          await watcher?.stop();
          await margo.stop();
          stopListening();
          store.close();
        },
      });
      return {
        backupId: restored.header.backupId,
        createdAt: restored.header.createdAt,
        createdBy: restored.header.createdBy,
        from: restored.manifest.source.host,
        withStore: restored.header.withStore,
        summary: restored.manifest.summary,
        leftOut: restored.manifest.leftOut,
        auditIntact: restored.audit.intact,
      };
    } finally {
      if (released) {
        store = openStore(home);
        // Uploads were kept in the replaced home's tmp/: the folder is made again in this one.
        mkdirSync(uploadsDir, { recursive: true, mode: 0o700 });
        stopListening = store.changes.subscribe(changed);
        margo = new MargoServing(store);
        watcher = newWatcher();
        watcher?.start();
        if (serveAgain)
          await margo
            .start(serveAgain)
            .catch((e: unknown) => logRawError('serving Margo devices again after a restore', e));
        for (const area of ['catalog', 'devices', 'deployments', 'trust', 'margo'] as const)
          changed(area);
      }
    }
  }

  /**
   * The commissioning report, written where the face can take it: the file the desktop app's
   * save dialog chose (its extension decides the format), or a one-time download for the
   * browser, which cannot be handed a path to write.
   */
  /**
   * A deployment's full logs where the face can take them: the file the desktop app's save
   * dialog chose, or (browser) a file made in tmp/ for one download, streamed and then removed.
   */
  async function saveLogs(r: SaveLogs) {
    if (r.to.kind === 'file') {
      if (options.host === 'browser') {
        throw new CommissionerError(
          'not-supported',
          'in the browser, logs are downloaded, not written to a file',
          {},
        );
      }
      const file = files.resolve(r.to.file, 'file');
      const saved = await saveDeploymentLogs(store, r.id, file.path);
      return { ...saved, file: file.name, download: null };
    }
    if (options.host !== 'browser') {
      throw new CommissionerError(
        'not-supported',
        'the desktop app saves logs to a file: choose one',
        {},
      );
    }
    const folder = mkdtempSync(join(store.paths.tmp, `download-${process.pid}-`));
    const name = `logs-${r.id.slice(0, 8)}-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`;
    try {
      const saved = await saveDeploymentLogs(store, r.id, join(folder, name));
      const download = downloads.offer({
        name,
        mediaType: 'text/plain; charset=utf-8',
        file: { path: join(folder, name), size: saved.bytes },
      });
      return { ...saved, file: null, download };
    } catch (e) {
      rmSync(folder, { recursive: true, force: true });
      throw e;
    }
  }

  async function createReport(r: CreateReport) {
    const made = () =>
      commissioningReport(store, {
        devices: r.devices,
        since: r.since === undefined ? null : new Date(r.since).toISOString(),
      });
    if (r.to.kind === 'file') {
      if (options.host === 'browser') {
        throw new CommissionerError(
          'not-supported',
          'in the browser, a report is downloaded, not written to a file',
          {},
        );
      }
      const file = files.resolve(r.to.file, 'file');
      const format = reportFormatOf(file.path);
      const report = made();
      writeFileSync(file.path, await renderReport(report, format));
      return {
        digest: report.digest,
        devices: report.devices.length,
        file: file.name,
        download: null,
      };
    }
    if (options.host !== 'browser') {
      throw new CommissionerError(
        'not-supported',
        'the desktop app saves reports to a file: choose one',
        {},
      );
    }
    const report = made();
    const format = r.to.format;
    const download = downloads.offer({
      name: reportFileName(report, format),
      bytes: await renderReport(report, format),
      mediaType: REPORT_MEDIA_TYPES[format],
    });
    return { digest: report.digest, devices: report.devices.length, file: null, download };
  }

  /**
   * A client's bundle, new or renewed, delivered where the face can take it: a folder the
   * desktop app picked, or a one-time download for the browser.
   */
  function provisionClient(
    r: AddMargoClient,
    make: (
      store: Store,
      input: { clientId: string; dir: string; url?: string },
    ) => ProvisionedClient,
  ) {
    const delivered = deliverBundle(store, r.clientId, bundleTarget(r.to), (dir) =>
      make(store, { clientId: r.clientId, dir, ...(r.url !== undefined ? { url: r.url } : {}) }),
    );
    return {
      client: margoClientView(store, delivered.made.client),
      url: delivered.made.url,
      files: delivered.made.files,
      folder: delivered.folder,
      download: delivered.zip
        ? downloads.offer({ ...delivered.zip, mediaType: 'application/zip' })
        : null,
    };
  }

  /**
   * A picked folder in the desktop app; a download in the browser, which cannot be handed a
   * folder to write (its folders are uploads, copies in the data home).
   */
  function bundleTarget(to: AddMargoClient['to']): BundleTarget {
    if (to.kind === 'download') {
      if (options.host !== 'browser') {
        throw new CommissionerError(
          'not-supported',
          'the desktop app writes bundles into a folder: choose one',
          {},
        );
      }
      return { kind: 'zip' };
    }
    if (options.host === 'browser') {
      throw new CommissionerError(
        'not-supported',
        'in the browser, a bundle is downloaded as a .zip, not written into a folder',
        {},
      );
    }
    return { kind: 'folder', folder: files.resolve(to.folder, 'folder').path };
  }

  return {
    uploadsDir,
    accounts: {
      any: () => anyAccount(store),
      login: (name, password) => authenticate(store, name, password),
      standing: (name) => accountStanding(store, name),
      ended: (name, why) =>
        auditAccountEvent(store, {
          operation: why === 'logout' ? 'logout' : 'session.expired',
          target: name,
          by: name,
          outcome: { result: 'ok' },
        }),
    },
    async call(op: string, request: unknown, caller?: Caller): Promise<Envelope<unknown>> {
      if (!isOperation(op)) {
        return failure({
          name: 'not-found',
          message: `this app has no operation named ${op}: the window and the core do not match (reload the window)`,
          details: { thing: 'operation', name: op },
        });
      }
      // The guard is here, not in the faces: a page that hides a button is no defence against
      // a direct /api/call. The role is checked before the request is even read.
      if (caller && !roleAllows(caller.role, op)) {
        const needs = OPERATION_ROLES[op];
        const error: ContractError = {
          name: 'forbidden',
          message: `${caller.account} is ${article(caller.role)} ${caller.role}, and ${describeOperation(op)} needs the ${needs} role or higher: ask an admin`,
          details: { operation: op, role: caller.role, needs },
        };
        // A refused attempt to change something is part of the record of who tried what.
        const audited = auditedAs(op);
        if (audited !== null) {
          runAsActor(accountActor(caller.account), () =>
            recordRefusedRequest(store, audited, request, error, face),
          );
        }
        return failure(error);
      }
      const parsed = OPERATIONS[op].request.safeParse(request ?? {});
      if (!parsed.success) {
        return failure({
          name: 'invalid-request',
          message: `the request for ${op} is not valid: ${parsed.error.issues
            .map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`)
            .join('; ')}`,
          details: {
            issues: parsed.error.issues.map((i) => ({
              path: i.path.join('.'),
              message: i.message,
            })),
          },
        });
      }
      try {
        const handler = handlers[op] as (request: unknown, caller: Caller | undefined) => unknown;
        // Audit entries name who asked: the signed-in account on the browser host with
        // accounts, else the station's user through this face. Jobs inherit it.
        const result = await (caller
          ? runAsActor(accountActor(caller.account), () => handler(parsed.data, caller))
          : hasActor()
            ? handler(parsed.data, caller)
            : runAsActor(face, () => handler(parsed.data, caller)));
        // Our own answer is checked too: a shape drift is found here, named, not in the UI.
        const checked = OPERATIONS[op].response.safeParse(result);
        if (!checked.success) {
          return failure({
            name: 'contract-violation',
            message: `the core's answer to ${op} does not have the contract's shape: ${checked.error.issues
              .slice(0, 5)
              .map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`)
              .join('; ')}`,
            details: { operation: op },
          });
        }
        return { ok: true, result: checked.data };
      } catch (e) {
        const error = toContractError(e, describeOperation(op));
        // Refused before its use case ran (a picked file unknown, a bundle the face cannot
        // deliver): the attempt is recorded here, so every state-changing request leaves one.
        const audited = auditedAs(op);
        if (audited !== null && !wasAudited(e)) {
          recordRefusedRequest(store, audited, parsed.data, error, face);
        }
        return failure(error);
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    registerPicked: (chosen, name) => files.register(chosen, name),
    takeDownload: (token) => downloads.take(token),
    async close() {
      follows.close();
      await watcher?.stop();
      await margo.stop();
      stopListening();
      if (timer) clearTimeout(timer);
      listeners.clear();
      downloads.clear();
      store.close();
      if (!options.uploadsDir) rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}

function backupView(made: CreatedBackup) {
  return {
    backupId: made.backupId,
    createdAt: made.createdAt,
    bytes: made.bytes,
    withStore: made.withStore,
    files: made.files,
    leftOut: made.leftOut,
  };
}

function failure(error: ContractError): Envelope<unknown> {
  return { ok: false, error };
}

function article(role: string): string {
  return /^[aeiou]/.test(role) ? 'an' : 'a';
}

/** `deployments.rollback` → "deployments rollback", for "… failed" sentences. */
function describeOperation(op: OperationName): string {
  return op.replace('.', ' ');
}

/** resources/demo-kit.tar beside the sources (the packaged app passes its own path). */
function defaultDemoKit(): string | undefined {
  const path = new URL('../../../resources/demo-kit.tar', import.meta.url).pathname;
  return existsSync(path) ? path : undefined;
}

/** Event names, for faces that check what they forward. */
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

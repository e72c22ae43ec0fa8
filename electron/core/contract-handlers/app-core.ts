import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { ContractError, Envelope } from '../../../shared/contract/contract-error';
import {
  EVENTS,
  isOperation,
  OPERATIONS,
  type EventName,
  type EventOf,
  type OperationName,
  type ResponseOf,
} from '../../../shared/contract/operations';
import type { EventMessage } from '../../../shared/contract/wire';
import { onDeploymentChange } from '../deployments/deployment-records';
import { plantIdentity } from '../identity/plant-identity';
import { startWfmServer } from '../margo-server/wfm-server';
import { dataHome } from '../store/data-home';
import { removeApplication } from '../store/catalog-remove';
import { openStore, type Store } from '../store/store';
import { listDevices } from '../devices/device-inventory';
import { probeDevices } from '../devices/probe-devices';
import type { AppCore, AppCoreOptions } from './app-core-api';
import { iconDataUrl, iconResource } from '../use-cases/app-icon';
import { appView } from '../use-cases/app-view';
import { catalogFacets, catalogPage } from '../use-cases/catalog-queries';
import {
  addDeviceFromUi,
  deviceView,
  matrix,
  removeDeviceFromUi,
  updateDeviceFromUi,
} from '../use-cases/device-handlers';
import { deployForm, deployPlan } from '../use-cases/deploy-handlers';
import { startDeployJob, startDeploymentJob } from '../use-cases/deploy-job';
import {
  deploymentList,
  logsOf,
  refreshDeployment,
  showDeployment,
} from '../use-cases/deployment-handlers';
import { JobBoard } from './job-board';
import { startImportJob } from '../use-cases/import-job';
import { PickedFiles } from './picked-files';

export type { AppCore, AppCoreOptions } from './app-core-api';

/** The source name the demo kit's packages are recorded under. */
export const DEMO_SOURCE = 'demo kit';

type Handlers = {
  [N in OperationName]: (
    request: z.infer<(typeof OPERATIONS)[N]['request']>,
  ) => Promise<ResponseOf<N>> | ResponseOf<N>;
};

/**
 * The core the faces carry: opens the store, answers every contract operation (request
 * validated first, errors returned as data), runs long work as jobs, and publishes events.
 */
export async function createAppCore(options: AppCoreOptions): Promise<AppCore> {
  const home = options.home ?? dataHome();
  const store = openStore(home);
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
  const files = new PickedFiles();
  const board = new JobBoard((job) => publish('job.updated', job));
  const demoKit = options.demoKit ?? defaultDemoKit();
  const changed = (...what: EventOf<'store.changed'>['what']) => publish('store.changed', { what });

  // The same WFM as `margo serve`, on this core's store: devices and statuses it records show
  // in the open views at once.
  const wfmIdentity = options.margo ? plantIdentity(store.paths) : undefined;
  const wfm =
    options.margo && wfmIdentity
      ? await startWfmServer({
          store,
          identity: wfmIdentity,
          ...options.margo,
          onChange: (what) => changed(what === 'devices' ? 'devices' : 'deployments'),
        })
      : undefined;

  const handlers: Handlers = {
    'app.info': () => ({
      version: appVersion(),
      host: options.host,
      firstStart: isEmpty(store),
      demoKit: {
        available: demoKit !== undefined && existsSync(demoKit),
        imported:
          (store.db
            .prepare('SELECT COUNT(*) FROM package_versions WHERE source = ?')
            .pluck()
            .get(DEMO_SOURCE) as number) > 0,
      },
      margo: wfm
        ? { url: wfm.url, trustUrl: wfm.trustUrl, trustDomain: wfmIdentity?.trustDomain ?? '' }
        : null,
    }),
    'catalog.list': (q) => catalogPage(store, q),
    'catalog.facets': () => catalogFacets(store),
    'catalog.show': (r) => appView(store, r.id, r.version),
    'catalog.icons': (r) => ({
      icons: r.apps.map((a) => ({
        ...a,
        icon: iconDataUrl(store, iconResource(store.db, a.id, a.version)),
      })),
    }),
    'catalog.remove': (r) => {
      const removed = removeApplication(store, r.id, r.version);
      if (removed.length > 0) changed('catalog');
      return { removed: removed.map((version) => ({ id: r.id, version })) };
    },
    'files.pick': async (r) => {
      if (!options.pickFile) {
        throw Object.assign(new Error('in the browser, files are uploaded, not picked'), {
          name: 'NotSupported',
        });
      }
      const chosen = await options.pickFile(r.purpose);
      if (!chosen) return null;
      return files.register(
        chosen,
        chosen.path.split(/[\\/]/).filter(Boolean).pop() ?? chosen.path,
      );
    },
    'imports.start': (r) => ({
      jobId: startImportJob(store, board, files, r.sources, demoKit, () =>
        changed('catalog', 'jobs'),
      ),
    }),
    'jobs.list': () => board.list(),
    'devices.list': () => listDevices(store).map(deviceView),
    'devices.add': async (r) => {
      const view = await addDeviceFromUi(store, files, r);
      changed('devices');
      return view;
    },
    'devices.update': (r) => {
      const view = updateDeviceFromUi(store, r);
      changed('devices');
      return view;
    },
    'devices.remove': (r) => {
      removeDeviceFromUi(store, r.name);
      changed('devices');
      return {};
    },
    'devices.probe': async (r) => {
      const { results } = await probeDevices(store, r.names ?? []);
      changed('devices');
      return results;
    },
    'compat.matrix': (r) => matrix(store, r.appIds, r.devices),
    'deploy.form': (r) => deployForm(store, r),
    'deploy.plan': (r) => deployPlan(store, r),
    'deploy.start': (r) => ({ jobId: startDeployJob(store, board, r) }),
    'deployments.list': () => deploymentList(store),
    'deployments.show': (r) => showDeployment(store, r.id),
    'deployments.refresh': (r) => refreshDeployment(store, r.id),
    'deployments.logs': (r) => logsOf(store, r.id, r.tail),
    'deployments.rollback': (r) => ({
      jobId: startDeploymentJob(store, board, 'rollback', r.id),
    }),
    'deployments.remove': (r) => ({
      jobId: startDeploymentJob(store, board, 'remove', r.id, { volumes: r.volumes }),
    }),
  };

  // Deployments change while devices work: open views follow, at most every 200 ms.
  let pendingChange: ReturnType<typeof setTimeout> | null = null;
  const stopWatching = onDeploymentChange(() => {
    pendingChange ??= setTimeout(() => {
      pendingChange = null;
      changed('deployments');
    }, 200);
  });

  return {
    uploadsDir,
    async call(op: string, request: unknown): Promise<Envelope<unknown>> {
      if (!isOperation(op)) {
        return failure({ name: 'UnknownOperation', message: `no operation named ${op}` });
      }
      const parsed = OPERATIONS[op].request.safeParse(request ?? {});
      if (!parsed.success) {
        return failure({
          name: 'ValidationError',
          message: `the request for ${op} is not valid: ${parsed.error.issues
            .map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`)
            .join('; ')}`,
          details: parsed.error.issues,
        });
      }
      try {
        const handler = handlers[op] as (request: unknown) => unknown;
        const result = await handler(parsed.data);
        // Our own answer is checked too: a shape drift is found here, named, not in the UI.
        const checked = OPERATIONS[op].response.safeParse(result);
        if (!checked.success) {
          return failure({
            name: 'ContractViolation',
            message: `the core's answer to ${op} does not have the contract's shape: ${checked.error.issues
              .slice(0, 5)
              .map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`)
              .join('; ')}`,
          });
        }
        return { ok: true, result: checked.data };
      } catch (e) {
        return failure(asContractError(e));
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    registerPicked: (chosen, name) => files.register(chosen, name),
    async close() {
      await wfm?.close();
      stopWatching();
      if (pendingChange) clearTimeout(pendingChange);
      listeners.clear();
      store.close();
      if (!options.uploadsDir) rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}

function failure(error: ContractError): Envelope<unknown> {
  return { ok: false, error };
}

function asContractError(e: unknown): ContractError {
  if (e instanceof Error) {
    const details =
      (e as { diagnostics?: unknown; details?: unknown }).details ??
      (e as { diagnostics?: unknown }).diagnostics;
    return { name: e.name, message: e.message, ...(details !== undefined ? { details } : {}) };
  }
  return { name: 'Error', message: String(e) };
}

function isEmpty(store: Store): boolean {
  const apps = store.db.prepare('SELECT COUNT(*) FROM applications').pluck().get() as number;
  return apps === 0 && listDevices(store).length === 0;
}

/** resources/demo-kit.tar beside the sources (the packaged app passes its own path). */
function defaultDemoKit(): string | undefined {
  const path = new URL('../../../resources/demo-kit.tar', import.meta.url).pathname;
  return existsSync(path) ? path : undefined;
}

let version: string | undefined;
function appVersion(): string {
  if (version === undefined) {
    try {
      const pkg = JSON.parse(
        readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
      ) as { version?: string };
      version = pkg.version ?? '0.0.0';
    } catch {
      version = '0.0.0';
    }
  }
  return version;
}

/** Event names, for faces that check what they forward. */
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

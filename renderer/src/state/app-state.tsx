import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { AppInfo } from '../../../shared/contract/app-info';
import type { ContractError } from '../../../shared/contract/contract-error';
import type { ImportSourceRequest } from '../../../shared/contract/imports';
import type { SessionView } from '../../../shared/contract/accounts';
import type { EventOf, OperationName } from '../../../shared/contract/operations';
import { roleAllows } from '../../../shared/contract/roles';
import { asContractError } from '../transport/contract-check';
import type { Transport } from '../transport/transport';
import { IconCache } from './icon-cache';
import { ReachCache } from './reach-cache';
import { JobStore } from './job-store';
import { useHashRoute, type Route } from './route';
import { JobsContext } from './use-jobs';

export type StoreArea = EventOf<'store.changed'>['what'][number];
type ChangeListener = (what: readonly StoreArea[]) => void;

/**
 * What every screen may read: the core's info, the route, the connection, and the actions that
 * do not depend on jobs. Jobs and the tray are in the job store (use-jobs.ts), so a job's
 * progress redraws the views of jobs only.
 */
export interface AppState {
  transport: Transport;
  /** Catalog icons, fetched for the rows on screen. */
  icons: IconCache;
  /** Where each catalog card's app runs, fetched for the cards on screen. */
  reach: ReachCache;
  info: AppInfo | null;
  infoError: ContractError | null;
  refreshInfo(): void;
  /** Reads the job list again (a job's first event may come before the id that names it). */
  refreshJobs(): void;
  /** The event channel is up (always true in the desktop app). */
  connected: boolean;
  route: Route;
  navigate(route: Route, replace?: boolean): void;
  /** Starts an import; the job shows in the tray and on the Imports screen. */
  startImport(sources: ImportSourceRequest[]): Promise<string>;
  /** Called by a screen once its first data arrived (or failed): the app is then "loaded". */
  reportScreenLoaded(): void;
  onStoreChanged(listener: ChangeListener): () => void;
  /** The desktop menu asked to import (the Imports screen opens the dialog, then clears it). */
  menuCommand: { command: 'import-kit' | 'import-folder'; seq: number } | null;
  clearMenuCommand(): void;
  /** Who uses this window (the browser host with accounts); null account: the station's own user. */
  session: SessionView | null;
  /**
   * Whether this window's account may call `op`: what the screens hide or disable. The core
   * checks again at every call; this only spares people buttons that would be refused.
   */
  may(op: OperationName): boolean;
}

const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside AppProvider');
  return state;
}

/** Calls `refresh` when the core says one of `areas` changed. */
export function useStoreChanged(areas: readonly StoreArea[], refresh: () => void) {
  const { onStoreChanged } = useApp();
  const latest = useRef(refresh);
  useEffect(() => {
    latest.current = refresh;
  });
  const key = areas.join(',');
  useEffect(
    () =>
      onStoreChanged((what) => {
        if (what.some((w) => key.split(',').includes(w))) latest.current();
      }),
    [onStoreChanged, key],
  );
}

function setRootState(state: 'loading' | 'loaded' | 'error') {
  document.getElementById('root')?.setAttribute('data-app-state', state);
}

export function AppProvider({
  transport,
  children,
}: {
  transport: Transport;
  children: ReactNode;
}) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<ContractError | null>(null);
  const [connected, setConnected] = useState(true);
  const [route, navigate] = useHashRoute();
  const [screenLoaded, setScreenLoaded] = useState(false);
  const [menuCommand, setMenuCommand] = useState<AppState['menuCommand']>(null);
  const [session, setSession] = useState<SessionView | null>(null);
  const listeners = useRef(new Set<ChangeListener>());
  const [jobs] = useState(() => new JobStore());
  const jobsLoaded = useSyncExternalStore(jobs.subscribe, () => jobs.status().loaded);

  const refreshInfo = useCallback(() => {
    transport.call('app.info', {}).then(
      (answer) => {
        setInfo(answer);
        setInfoError(null);
      },
      (error: unknown) => setInfoError(asContractError(error)),
    );
  }, [transport]);

  const refreshJobs = useCallback(() => {
    transport.call('jobs.list', {}).then(
      (list) => jobs.listed(list),
      (error: unknown) => jobs.listFailed(asContractError(error)),
    );
  }, [transport, jobs]);

  useEffect(() => {
    refreshInfo();
    refreshJobs();
    // An older core without accounts answers not-found: the station's own user, as before.
    transport
      .call('session.current', {})
      .then(setSession, () => setSession({ account: null, role: null }));
  }, [refreshInfo, refreshJobs, transport]);

  const may = useCallback(
    (op: OperationName) => session?.role == null || roleAllows(session.role, op),
    [session],
  );

  useEffect(
    () =>
      transport.onEvent((message) => {
        if (message.event === 'menu.command') {
          const { command } = message.payload;
          setMenuCommand((old) => ({ command, seq: (old?.seq ?? 0) + 1 }));
          navigate({ screen: 'import', params: {} });
        } else if (message.event === 'job.updated') {
          const job = message.payload;
          jobs.jobUpdated(job);
          if (job.state !== 'running' && job.kind === 'import') refreshInfo();
        } else if (message.event === 'store.changed') {
          const what = message.payload.what;
          if (what.includes('jobs')) refreshJobs();
          if (what.includes('catalog') || what.includes('devices')) refreshInfo();
          for (const listener of listeners.current) listener(what);
        }
      }),
    [transport, jobs, refreshInfo, refreshJobs, navigate],
  );

  useEffect(() => transport.onUpload?.((upload) => jobs.uploadProgress(upload)), [transport, jobs]);

  useEffect(() => transport.onConnection?.(setConnected), [transport]);

  const loaded = (info !== null || infoError !== null) && jobsLoaded && screenLoaded;
  useEffect(() => {
    if (infoError && !info) setRootState('error');
    else setRootState(loaded ? 'loaded' : 'loading');
  }, [loaded, info, infoError]);

  const startImport = useCallback(
    async (sources: ImportSourceRequest[]) => {
      const { jobId } = await transport.call('imports.start', { sources });
      jobs.importStarted(jobId);
      // The job's first event may have come before its id: the list has it either way.
      refreshJobs();
      return jobId;
    },
    [transport, jobs, refreshJobs],
  );

  const onStoreChanged = useCallback((listener: ChangeListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const reportScreenLoaded = useCallback(() => setScreenLoaded(true), []);
  const clearMenuCommand = useCallback(() => setMenuCommand(null), []);

  const icons = useMemo(() => new IconCache(transport), [transport]);
  const reach = useMemo(() => new ReachCache(transport), [transport]);

  // One object per change of what it holds, so a screen redraws when its app state changed,
  // not whenever the provider does.
  const state = useMemo<AppState>(
    () => ({
      transport,
      icons,
      reach,
      info,
      infoError,
      refreshInfo,
      refreshJobs,
      connected,
      route,
      navigate,
      startImport,
      reportScreenLoaded,
      onStoreChanged,
      menuCommand,
      clearMenuCommand,
      session,
      may,
    }),
    [
      transport,
      icons,
      reach,
      info,
      infoError,
      refreshInfo,
      refreshJobs,
      connected,
      route,
      navigate,
      startImport,
      reportScreenLoaded,
      onStoreChanged,
      menuCommand,
      clearMenuCommand,
      session,
      may,
    ],
  );
  return (
    <AppContext.Provider value={state}>
      <JobsContext.Provider value={jobs}>{children}</JobsContext.Provider>
    </AppContext.Provider>
  );
}

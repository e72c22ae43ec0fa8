import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { AppInfo } from '../../../shared/contract/app-info';
import type { ContractError } from '../../../shared/contract/contract-error';
import type { ImportSourceRequest } from '../../../shared/contract/imports';
import type { Job } from '../../../shared/contract/jobs';
import type { EventOf } from '../../../shared/contract/operations';
import { asContractError } from '../transport/contract-check';
import type { Transport, UploadProgress } from '../transport/transport';
import { IconCache } from './icon-cache';
import { newerJob, type TrayJob } from './jobs';
import { useHashRoute, type Route } from './route';

export type StoreArea = EventOf<'store.changed'>['what'][number];
type ChangeListener = (what: readonly StoreArea[]) => void;

export interface AppState {
  transport: Transport;
  /** Catalog icons, fetched for the rows on screen. */
  icons: IconCache;
  info: AppInfo | null;
  infoError: ContractError | null;
  refreshInfo(): void;
  /** Newest first. */
  jobs: TrayJob[];
  jobsError: ContractError | null;
  /** The core's job list has been read once (a job not found then is not known at all). */
  jobsLoaded: boolean;
  jobById(id: string): Job | undefined;
  /** Reads the job list again (a job's first event may come before the id that names it). */
  refreshJobs(): void;
  /** The event channel is up (always true in the desktop app). */
  connected: boolean;
  route: Route;
  navigate(route: Route, replace?: boolean): void;
  /** Starts an import; the job shows in the tray and on the Imports screen. */
  startImport(sources: ImportSourceRequest[]): Promise<string>;
  /** Jobs started from the Imports screen in this window, newest first. */
  importJobIds: string[];
  /** Called by a screen once its first data arrived (or failed): the app is then "loaded". */
  reportScreenLoaded(): void;
  onStoreChanged(listener: ChangeListener): () => void;
  trayOpen: boolean;
  setTrayOpen(open: boolean): void;
  /** The desktop menu asked to import (the Imports screen opens the dialog, then clears it). */
  menuCommand: { command: 'import-kit' | 'import-folder'; seq: number } | null;
  clearMenuCommand(): void;
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
  const [coreJobs, setCoreJobs] = useState<Map<string, Job>>(new Map());
  const [jobsLoaded, setJobsLoaded] = useState(false);
  const [jobsError, setJobsError] = useState<ContractError | null>(null);
  const [uploads, setUploads] = useState<Map<string, UploadProgress>>(new Map());
  const [connected, setConnected] = useState(true);
  const [route, navigate] = useHashRoute();
  const [importJobIds, setImportJobIds] = useState<string[]>([]);
  const [screenLoaded, setScreenLoaded] = useState(false);
  const [trayOpen, setTrayOpen] = useState(false);
  const [menuCommand, setMenuCommand] = useState<AppState['menuCommand']>(null);
  const listeners = useRef(new Set<ChangeListener>());

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
      (list) => {
        setCoreJobs((old) => {
          const next = new Map<string, Job>();
          for (const job of list) next.set(job.id, newerJob(old.get(job.id), job));
          // A job started since the list was made stays.
          for (const [id, job] of old) if (!next.has(id)) next.set(id, job);
          return next;
        });
        setJobsError(null);
        setJobsLoaded(true);
      },
      (error: unknown) => {
        setJobsError(asContractError(error));
        setJobsLoaded(true);
      },
    );
  }, [transport]);

  useEffect(() => {
    refreshInfo();
    refreshJobs();
  }, [refreshInfo, refreshJobs]);

  useEffect(
    () =>
      transport.onEvent((message) => {
        if (message.event === 'menu.command') {
          const { command } = message.payload;
          setMenuCommand((old) => ({ command, seq: (old?.seq ?? 0) + 1 }));
          navigate({ screen: 'import', params: {} });
        } else if (message.event === 'job.updated') {
          const job = message.payload;
          setCoreJobs((old) => new Map(old).set(job.id, job));
          if (job.state !== 'running' && job.kind === 'import') refreshInfo();
        } else {
          const what = message.payload.what;
          if (what.includes('jobs')) refreshJobs();
          if (what.includes('catalog') || what.includes('devices')) refreshInfo();
          for (const listener of listeners.current) listener(what);
        }
      }),
    [transport, refreshInfo, refreshJobs, navigate],
  );

  useEffect(
    () =>
      transport.onUpload?.((upload) => {
        setUploads((old) => new Map(old).set(upload.id, upload));
        if (upload.state === 'running') setTrayOpen(true);
      }),
    [transport],
  );

  useEffect(() => transport.onConnection?.(setConnected), [transport]);

  const loaded = (info !== null || infoError !== null) && jobsLoaded && screenLoaded;
  useEffect(() => {
    if (infoError && !info) setRootState('error');
    else setRootState(loaded ? 'loaded' : 'loading');
  }, [loaded, info, infoError]);

  const startImport = useCallback(
    async (sources: ImportSourceRequest[]) => {
      const { jobId } = await transport.call('imports.start', { sources });
      setImportJobIds((ids) => [jobId, ...ids.filter((id) => id !== jobId)]);
      setTrayOpen(true);
      // The job's first event may have come before its id: the list has it either way.
      refreshJobs();
      return jobId;
    },
    [transport, refreshJobs],
  );

  const jobs = useMemo(() => {
    const all: TrayJob[] = [
      ...[...coreJobs.values()].map((job): TrayJob => ({
        source: 'core',
        id: job.id,
        startedAt: job.startedAt,
        job,
      })),
      // A finished upload is only the first half of its import (or a certificate for a
      // form): the tray keeps the ones running or failed, not a trail of "done".
      ...[...uploads.values()]
        .filter((upload) => upload.state !== 'succeeded')
        .map((upload): TrayJob => ({
          source: 'upload',
          id: upload.id,
          startedAt: upload.startedAt,
          upload,
        })),
    ];
    return all.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }, [coreJobs, uploads]);

  const onStoreChanged = useCallback((listener: ChangeListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const reportScreenLoaded = useCallback(() => setScreenLoaded(true), []);
  const clearMenuCommand = useCallback(() => setMenuCommand(null), []);
  const jobById = useCallback((id: string) => coreJobs.get(id), [coreJobs]);

  const icons = useMemo(() => new IconCache(transport), [transport]);

  const state: AppState = {
    transport,
    icons,
    info,
    infoError,
    refreshInfo,
    jobs,
    jobsError,
    jobsLoaded,
    jobById,
    refreshJobs,
    connected,
    route,
    navigate,
    startImport,
    importJobIds,
    reportScreenLoaded,
    onStoreChanged,
    trayOpen,
    setTrayOpen,
    menuCommand,
    clearMenuCommand,
  };
  return <AppContext.Provider value={state}>{children}</AppContext.Provider>;
}

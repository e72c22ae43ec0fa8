import CreateNewFolderOutlinedIcon from '@mui/icons-material/FolderOpenOutlined';
import InventoryIcon from '@mui/icons-material/Inventory2Outlined';
import UploadFileIcon from '@mui/icons-material/UploadFileOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Alert from '@mui/material/Alert';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useEffect, useState, type DragEvent } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { ImportSourceRequest } from '../../../../shared/contract/imports';
import type { Job } from '../../../../shared/contract/jobs';
import type { FilePurpose } from '../../../../shared/contract/picked-file';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RoleRefusal } from '../../components/RoleRefusal';
import { JobItems, StateWord, reportSummary } from '../../components/JobView';
import { dateTime, timeAgo } from '../../format';
import { useApp } from '../../state/app-state';
import { jobError } from '../../state/jobs';
import { useImportJobIds, useJob, useTrayJobs } from '../../state/use-jobs';
import { asContractError } from '../../transport/contract-check';
import { droppedFiles } from '../../transport/local-files';
import { ImportResult } from './ImportResult';
import { RegistryForm } from './RegistryForm';
import { testIds } from '../../test-ids';

/** Sources per imports.start call (the contract's limit). */
const MAX_SOURCES = 50;

function JobPanel({ job }: { job: Job }) {
  const error = jobError(job);
  return (
    <Paper
      variant="outlined"
      sx={{ p: 1.5 }}
      data-testid={testIds.imports.job}
      data-job-id={job.id}
      data-state={job.state}
    >
      <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1, mb: 0.5 }}>
        <Typography variant="subtitle2" component="h3" sx={{ flex: 1 }}>
          {job.title}
        </Typography>
        <Typography variant="caption" color="text.secondary" title={dateTime(job.startedAt)}>
          started {timeAgo(job.startedAt)}
        </Typography>
        <StateWord state={job.state} job={job} />
      </Box>
      <JobItems job={job} />
      {error && <ErrorAlert error={error} testId={testIds.imports.jobError} />}
      {job.result && <ImportResult report={job.result} />}
    </Paper>
  );
}

export function ImportScreen() {
  const {
    transport,
    info,
    route,
    navigate,
    startImport,
    reportScreenLoaded,
    menuCommand,
    clearMenuCommand,
    may,
  } = useApp();
  // A role that may not import (the screen's address typed or linked) keeps the jobs to read.
  const mayImport = may('imports.start');
  const importJobIds = useImportJobIds();
  const jobs = useTrayJobs();
  const [error, setError] = useState<ContractError | null>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [dropNote, setDropNote] = useState<string | null>(null);

  useEffect(() => reportScreenLoaded(), [reportScreenLoaded]);

  // The job shown: the one asked for (tray "Show result"), else the newest started here.
  const shownId = route.params.job ?? importJobIds[0] ?? null;
  const shown = useJob(shownId);
  const earlier = jobs.filter(
    (j) => j.source === 'core' && j.job.kind === 'import' && j.id !== shownId,
  );

  const show = (jobId: string) => navigate({ screen: 'import', params: { job: jobId } }, true);

  const run = async (what: string, work: () => Promise<ImportSourceRequest[] | null>) => {
    setError(null);
    setBusy(what);
    try {
      const sources = await work();
      if (sources && sources.length) {
        for (let i = 0; i < sources.length; i += MAX_SOURCES) {
          show(await startImport(sources.slice(i, i + MAX_SOURCES)));
        }
      }
    } catch (e) {
      setError(asContractError(e));
    } finally {
      setBusy(null);
    }
  };

  const pick = (purpose: FilePurpose, kind: 'file' | 'folder') => {
    // The chooser must open within the click: pickFile is called before anything awaits.
    const picking = transport.pickFile(purpose, kind);
    void run(purpose, async () => {
      const picked = await picking;
      return picked ? [{ kind: 'picked', token: picked.token }] : null;
    });
  };

  // File ▸ Import kit… / Import folder… in the desktop app's menu.
  const menuSeq = menuCommand?.seq;
  useEffect(() => {
    if (!menuCommand) return;
    clearMenuCommand();
    if (!mayImport) return;
    if (menuCommand.command === 'import-kit') pick('import-kit', 'file');
    else pick('import-folder', 'folder');
    // Once per menu command (pick is a new function on every render).
  }, [menuSeq]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    setDropNote(null);
    const upload = transport.uploadLocal?.bind(transport);
    if (!upload) {
      setDropNote(
        'The desktop app cannot take dropped files yet: use “Choose kit file…” or “Choose folder…”.',
      );
      return;
    }
    const listing = droppedFiles(e.dataTransfer);
    void run('drop', async () => {
      const local = await listing;
      if (local.length === 0) {
        setDropNote('Nothing to import was dropped: drop a kit file (.tar, .tar.gz) or a folder.');
        return null;
      }
      const picked = await Promise.all(
        local.map((l) => upload(l, l.kind === 'folder' ? 'import-folder' : 'import-kit')),
      );
      return picked.map((p) => ({ kind: 'picked' as const, token: p.token }));
    });
  };

  const offerDemo = info?.demoKit.available === true && !info.demoKit.imported;

  return (
    <Box data-testid={testIds.imports.screen} sx={{ height: '100%', overflowY: 'auto', p: 2 }}>
      <Typography variant="h5" component="h1" gutterBottom>
        Import
      </Typography>
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) minmax(0, 1fr)' },
          alignItems: 'start',
        }}
      >
        {!mayImport ? (
          <RoleRefusal
            op="imports.start"
            doing="import packages"
            testId={testIds.imports.roleRefused}
          />
        ) : (
          <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 }}>
            {offerDemo && (
              <Paper
                variant="outlined"
                sx={{ p: 1.5, display: 'flex', gap: 1.5, alignItems: 'center' }}
              >
                <InventoryIcon color="primary" />
                <Box sx={{ flex: 1 }}>
                  <Typography variant="subtitle2">Demo kit</Typography>
                  <Typography variant="body2" color="text.secondary">
                    A few small apps that ship with Commissioner, to try the catalog and the
                    compatibility matrix.
                  </Typography>
                </Box>
                <Button
                  variant="contained"
                  data-testid={testIds.imports.demo}
                  disabled={busy !== null}
                  onClick={() => void run('demo', async () => [{ kind: 'demo' }])}
                >
                  Import the demo kit
                </Button>
              </Paper>
            )}
            <Paper
              variant="outlined"
              data-testid={testIds.imports.dropzone}
              data-dragging={dragging}
              onDragEnter={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragOver={(e) => {
                e.preventDefault();
                e.dataTransfer.dropEffect = 'copy';
              }}
              onDragLeave={(e) => {
                if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
              }}
              onDrop={onDrop}
              sx={{
                p: 3,
                textAlign: 'center',
                borderStyle: 'dashed',
                borderWidth: 2,
                borderColor: dragging ? 'primary.main' : 'divider',
                bgcolor: dragging ? 'action.hover' : 'background.paper',
              }}
            >
              <Typography variant="subtitle1">Drop a kit file or a package folder here</Typography>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
                A kit (an OCI layout as .tar, .tar.gz or a folder), a package folder (margo.yaml and
                resources/), or a whole USB stick to scan.
              </Typography>
              <Box sx={{ display: 'flex', gap: 1, justifyContent: 'center', flexWrap: 'wrap' }}>
                <Button
                  variant="contained"
                  startIcon={<UploadFileIcon />}
                  onClick={() => pick('import-kit', 'file')}
                  disabled={busy !== null}
                  data-testid={testIds.imports.kit}
                >
                  Choose kit file…
                </Button>
                <Button
                  variant="outlined"
                  startIcon={<CreateNewFolderOutlinedIcon />}
                  onClick={() => pick('import-folder', 'folder')}
                  disabled={busy !== null}
                  data-testid={testIds.imports.folder}
                >
                  Choose folder…
                </Button>
              </Box>
              {busy && (
                <Typography variant="body2" sx={{ mt: 1 }} aria-live="polite">
                  {busy === 'drop' || transport.host === 'browser'
                    ? 'Uploading… (progress in Jobs below)'
                    : 'Waiting for your choice…'}
                </Typography>
              )}
            </Paper>
            {dropNote && (
              <Alert
                severity="info"
                onClose={() => setDropNote(null)}
                data-testid={testIds.imports.dropNote}
              >
                {dropNote}
              </Alert>
            )}
            {error && (
              <ErrorAlert
                error={error}
                testId={testIds.imports.error}
                onClose={() => setError(null)}
              />
            )}
            <RegistryForm onStarted={show} />
          </Box>
        )}
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 }}>
          {shown ? (
            <JobPanel job={shown} />
          ) : shownId ? (
            <Paper variant="outlined" sx={{ p: 1.5 }}>
              <Typography variant="body2">Starting the import…</Typography>
            </Paper>
          ) : (
            mayImport && (
              <Paper variant="outlined" sx={{ p: 1.5 }} data-testid={testIds.imports.noJob}>
                <Typography variant="body2" color="text.secondary">
                  Choose a kit, a folder or a registry: the import runs as a job, shown here and in
                  Jobs, and ends with what was imported, unchanged, in conflict, invalid, refused,
                  unreadable or skipped.
                </Typography>
              </Paper>
            )
          )}
          {earlier.length > 0 && (
            <Paper variant="outlined" sx={{ p: 1.5 }} data-testid={testIds.imports.history}>
              <Typography variant="subtitle2" component="h3" gutterBottom>
                Other imports
              </Typography>
              <Box component="ul" sx={{ m: 0, pl: 0, listStyle: 'none' }}>
                {earlier.map((j) =>
                  j.source === 'core' ? (
                    <Box
                      component="li"
                      key={j.id}
                      sx={{ display: 'flex', gap: 1, py: 0.25, alignItems: 'baseline' }}
                    >
                      <Link
                        component="button"
                        onClick={() => show(j.id)}
                        sx={{ textAlign: 'left' }}
                      >
                        {j.job.title}
                      </Link>
                      <Typography variant="caption" color="text.secondary" sx={{ flex: 1 }}>
                        {j.job.result ? reportSummary(j.job.result) : ''}
                      </Typography>
                      <StateWord state={j.job.state} job={j.job} />
                    </Box>
                  ) : null,
                )}
              </Box>
            </Paper>
          )}
        </Box>
      </Box>
    </Box>
  );
}

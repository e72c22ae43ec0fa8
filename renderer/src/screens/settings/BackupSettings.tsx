import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { CreatedBackupView, RestoredBackupView } from '../../../../shared/contract/backups';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { PickedFile } from '../../../../shared/contract/picked-file';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilePick } from '../../components/FilePick';
import { dateTime, formatBytes, plural } from '../../format';
import { useApp } from '../../state/app-state';
import { useQuery } from '../../state/use-query';
import { asContractError } from '../../transport/contract-check';
import { testIds } from '../../test-ids';

/** As the core asks: long enough to seal the plant's keys with. */
const MIN_PASSPHRASE = 8;

/**
 * Settings → Backup: one encrypted file holding this laptop's data home (the Margo CA, the
 * devices' keys, deployments, the audit trail, settings; the package store if asked), saved
 * where the desktop app's dialog says or downloaded in the browser; a backup restored in place
 * of everything here; when the last one was made, and a reminder once it is too long ago (the
 * CLI's `backup create`, `backup restore`).
 */
export function BackupSettings() {
  const { transport } = useApp();
  const desktop = transport.host === 'electron';
  const [changed, setChanged] = useState(0);
  const status = useQuery('backups.status', {}, { refreshKey: changed });
  const [days, setDays] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [withStore, setWithStore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<CreatedBackupView | null>(null);
  const [failure, setFailure] = useState<ContractError | null>(null);
  const [restoring, setRestoring] = useState(false);
  const [restored, setRestored] = useState<RestoredBackupView | null>(null);
  useEffect(() => {
    if (status.data) setDays(String(status.data.reminderDays));
  }, [status.data]);

  const mismatch = again !== '' && again !== passphrase;
  const tooShort = passphrase !== '' && [...passphrase].length < MIN_PASSPHRASE;
  const ready = passphrase !== '' && !tooShort && again === passphrase;

  const create = async () => {
    setFailure(null);
    setMade(null);
    setBusy(true);
    try {
      let to: { kind: 'file'; file: string } | { kind: 'download' } = { kind: 'download' };
      if (desktop) {
        const file = await transport.pickFile('backup-file', 'file');
        if (!file) return;
        to = { kind: 'file', file: file.token };
      }
      const answer = await transport.call('backups.create', { passphrase, withStore, to });
      if (answer.download) transport.download?.(answer.download);
      setMade(answer);
      setPassphrase('');
      setAgain('');
      setChanged((n) => n + 1);
    } catch (e) {
      setFailure(asContractError(e));
    } finally {
      setBusy(false);
    }
  };

  const saveDays = async () => {
    setFailure(null);
    try {
      await transport.call('backups.setReminder', { days: Number(days.trim()) });
      setChanged((n) => n + 1);
    } catch (e) {
      setFailure(asContractError(e));
    }
  };

  const wholeDays = /^\d{1,3}$/.test(days.trim()) && Number(days) >= 1 && Number(days) <= 365;
  const view = status.data;
  return (
    <Paper
      variant="outlined"
      sx={{ p: 1.5, mb: 2, maxWidth: 560 }}
      data-testid={testIds.backup.section}
    >
      <Typography variant="subtitle2" component="h2" gutterBottom>
        Backup
      </Typography>
      {status.error && <ErrorAlert error={status.error} testId={testIds.backup.statusError} />}
      {view && (
        <Typography
          variant="body2"
          data-testid={testIds.backup.last}
          data-last={view.lastBackupAt ?? ''}
          sx={{ mb: 1 }}
        >
          {view.lastBackupAt
            ? `Last backup: ${dateTime(view.lastBackupAt)} (${view.daysSince === 0 ? 'today' : `${plural(view.daysSince ?? 0, 'day')} ago`}).`
            : 'This laptop has not been backed up yet.'}
        </Typography>
      )}
      {view?.due && (
        <Alert severity="warning" data-testid={testIds.backup.reminder} sx={{ mb: 1.5 }}>
          {view.lastBackupAt
            ? `No backup for ${plural(view.daysSince ?? 0, 'day')}.`
            : 'No backup yet.'}{' '}
          The Margo devices&rsquo; certificate authority, the devices&rsquo; keys, the deployments
          and the audit trail are only on this laptop: back it up, and keep the file somewhere else.
        </Alert>
      )}
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
        <TextField
          size="small"
          type="password"
          label="Passphrase"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          error={tooShort}
          helperText={
            tooShort
              ? `At least ${MIN_PASSPHRASE} characters`
              : 'Needed to restore the backup: without it the file cannot be opened, with it anyone can act as this laptop'
          }
          slotProps={{
            htmlInput: { 'data-testid': testIds.backup.passphrase, autoComplete: 'new-password' },
          }}
        />
        <TextField
          size="small"
          type="password"
          label="Passphrase again"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          error={mismatch}
          helperText={mismatch ? 'The two passphrases differ' : ' '}
          slotProps={{
            htmlInput: {
              'data-testid': testIds.backup.passphraseAgain,
              autoComplete: 'new-password',
            },
          }}
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={withStore}
              onChange={(e) => setWithStore(e.target.checked)}
              slotProps={{ input: { 'data-testid': testIds.backup.withStore } as object }}
            />
          }
          label="Include the imported packages (can be many gigabytes; otherwise they are imported again after a restore)"
        />
        <Box sx={{ display: 'flex', gap: 1 }}>
          <Button
            variant="contained"
            disabled={busy || !ready}
            onClick={() => void create()}
            data-testid={testIds.backup.create}
          >
            {desktop ? 'Back up to a file…' : 'Back up and download'}
          </Button>
          <Button
            variant="outlined"
            disabled={busy}
            onClick={() => {
              setRestored(null);
              setRestoring(true);
            }}
            data-testid={testIds.backup.restore}
          >
            Restore a backup…
          </Button>
        </Box>
      </Box>
      {made && (
        <Alert
          severity="success"
          onClose={() => setMade(null)}
          data-testid={testIds.backup.made}
          sx={{ my: 1 }}
        >
          {made.file
            ? `Backed up to ${made.file} (${formatBytes(made.bytes)}).`
            : `Backup downloaded as ${made.download?.name ?? 'a file'} (${formatBytes(made.bytes)}).`}{' '}
          Keep the passphrase apart from the file.
          {made.leftOut.length > 0 &&
            ` The imported packages were left out: after a restore, import them again (${made.leftOut.join(', ')}).`}
        </Alert>
      )}
      {restored && (
        <Alert
          severity="success"
          onClose={() => setRestored(null)}
          data-testid={testIds.backup.restored}
          sx={{ my: 1 }}
        >
          {`Restored the backup made ${dateTime(restored.createdAt)} on ${restored.from}: ${plural(restored.summary.devices, 'device')}, ${plural(restored.summary.deployments, 'deployment')}, ${plural(restored.summary.margoClients, 'Margo device client')}.`}
          {restored.auditIntact
            ? ' Its audit trail is intact; the restore is its latest entry.'
            : ' Its audit trail does not verify: it was altered before the backup was made.'}
          {restored.leftOut.length > 0 &&
            ` Import these packages again before deploying them: ${restored.leftOut.join(', ')}.`}
        </Alert>
      )}
      {failure && (
        <ErrorAlert
          error={failure}
          title="No backup was made"
          testId={testIds.backup.createError}
          onClose={() => setFailure(null)}
        />
      )}
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', mt: 2 }}>
        <TextField
          size="small"
          type="number"
          label="Remind me after (days)"
          value={days}
          onChange={(e) => setDays(e.target.value)}
          error={days !== '' && !wholeDays}
          helperText={days !== '' && !wholeDays ? 'Whole days, 1 to 365' : ' '}
          slotProps={{
            htmlInput: { 'data-testid': testIds.backup.reminderDays, min: 1, max: 365 },
          }}
          sx={{ flex: 1 }}
        />
        <Button
          variant="outlined"
          disabled={!view || !wholeDays || Number(days) === view.reminderDays}
          onClick={() => void saveDays()}
          data-testid={testIds.backup.reminderSave}
        >
          Save
        </Button>
      </Box>
      {restoring && (
        <RestoreDialog
          onClose={() => setRestoring(false)}
          onRestored={(r) => {
            setRestoring(false);
            setRestored(r);
            setChanged((n) => n + 1);
          }}
        />
      )}
    </Paper>
  );
}

/** Choose the backup, type its passphrase, confirm that everything here is replaced. */
function RestoreDialog({
  onClose,
  onRestored,
}: {
  onClose: () => void;
  onRestored: (restored: RestoredBackupView) => void;
}) {
  const { transport } = useApp();
  const [file, setFile] = useState<PickedFile | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ContractError | null>(null);
  const restore = async () => {
    if (!file) return;
    setBusy(true);
    setFailure(null);
    try {
      onRestored(await transport.call('backups.restore', { file: file.token, passphrase }));
    } catch (e) {
      setFailure(asContractError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={busy ? undefined : onClose} data-testid={testIds.backup.restoreDialog}>
      <DialogTitle>Restore a backup</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
        <Alert severity="warning">
          Everything on this laptop is replaced by what the backup holds: devices, deployments,
          Margo devices and their certificate authority, trust, accounts, the audit trail. It is
          checked in full first; a wrong passphrase or a damaged file changes nothing.
        </Alert>
        <FilePick
          label="Choose the backup"
          purpose="backup-archive"
          value={file}
          onChange={setFile}
          testId={testIds.backup.restoreFile}
        />
        <TextField
          size="small"
          type="password"
          label="Its passphrase"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          slotProps={{ htmlInput: { 'data-testid': testIds.backup.restorePassphrase } }}
        />
        {failure && (
          <ErrorAlert
            error={failure}
            title="Nothing was restored"
            testId={testIds.backup.restoreError}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="warning"
          variant="contained"
          disabled={busy || !file || passphrase === ''}
          onClick={() => void restore()}
          data-testid={testIds.backup.restoreConfirm}
        >
          {busy ? 'Restoring…' : 'Replace everything with this backup'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

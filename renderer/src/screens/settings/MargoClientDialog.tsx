import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { ProvisionedMargoClient } from '../../../../shared/contract/margo';
import type { PickedFile } from '../../../../shared/contract/picked-file';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilePick } from '../../components/FilePick';
import { useApp } from '../../state/app-state';
import { asContractError } from '../../transport/contract-check';
import { testIds } from '../../test-ids';

/**
 * Adding a Margo client: its id, the WFM URL written into its bundle, and where the bundle
 * goes — a folder the engineer chooses in the desktop app (a USB stick), a .zip download in
 * the browser. Then what was written and what to do with it on the device.
 */
export function MargoClientDialog({
  bundleUrl,
  serving,
  onClose,
  onAdded,
  renew,
}: {
  /** The URL the core puts into bundles unless another is typed. */
  bundleUrl: string;
  /** Whether the WFM serves now (a bundle for a WFM that does not serve yet is worth a word). */
  serving: boolean;
  onClose: () => void;
  onAdded: () => void;
  /** Renews this accepted client instead: its id is fixed, the old bundle stays valid. */
  renew?: string;
}) {
  const { transport } = useApp();
  const desktop = transport.host === 'electron';
  const [clientId, setClientId] = useState(renew ?? '');
  const [url, setUrl] = useState(bundleUrl);
  const [folder, setFolder] = useState<PickedFile | null>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ContractError | null>(null);
  const [added, setAdded] = useState<ProvisionedMargoClient | null>(null);

  const id = clientId.trim();
  // The id's rules (a SPIFFE ID segment) are the core's: its refusal says which character.
  const idProblem = tried && id === '' ? 'Name the client' : undefined;
  const folderProblem = tried && desktop && !folder ? 'choose where to write it' : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setFailure(null);
    if (id === '' || (desktop && !folder)) return;
    setBusy(true);
    try {
      const answer = await transport.call(renew ? 'margo.renewClient' : 'margo.addClient', {
        clientId: id,
        ...(url.trim() !== '' && url.trim() !== bundleUrl ? { url: url.trim() } : {}),
        to: desktop && folder ? { kind: 'folder', folder: folder.token } : { kind: 'download' },
      });
      if (answer.download) transport.download?.(answer.download);
      setAdded(answer);
      onAdded();
    } catch (e) {
      setFailure(asContractError(e));
    } finally {
      setBusy(false);
    }
  };

  if (added) {
    return (
      <Dialog open onClose={onClose} data-testid={testIds.margo.addDialog} maxWidth="sm" fullWidth>
        <DialogTitle>
          Client {added.client.clientId} {renew ? 'renewed' : 'added'}
        </DialogTitle>
        <DialogContent data-testid={testIds.margo.added}>
          <Typography variant="body2" gutterBottom>
            {added.folder
              ? `Its bundle was written to ${added.folder}: ${added.files.join(', ')}.`
              : `Its bundle is downloaded as ${added.download?.name ?? 'a .zip'} (${added.files.join(', ')} in a folder ${added.client.clientId}).`}
          </Typography>
          <Typography variant="body2" gutterBottom>
            On the device, give its Margo client ca.pem (the plant CA it trusts), cert.pem and
            key.pem (its identity) and the WFM URL in wfm.json ({added.url}). It shows in the list
            and under Devices once it reports.
          </Typography>
          <Alert severity="warning" sx={{ mt: 1 }}>
            key.pem lets whoever holds it act as this client: keep the bundle like a password, and
            delete it from the stick or the downloads once the device has it.
          </Alert>
        </DialogContent>
        <DialogActions>
          <Button variant="contained" onClick={onClose} data-testid={testIds.margo.addedDone}>
            Done
          </Button>
        </DialogActions>
      </Dialog>
    );
  }

  const downloadName = `${id || '<client>'}-margo-bundle.zip`;
  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      data-testid={testIds.margo.addDialog}
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <DialogTitle>{renew ? `Renew client ${renew}` : 'Add a Margo client'}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {renew
              ? 'A new certificate for this client, in a new bundle to install on its device. The bundle it has now stays valid until its certificate expires or the client is revoked, so the device keeps working until the new one is installed.'
              : 'A client is what a device (or a gateway for several) uses to reach this computer: it gets a certificate of the plant’s trust domain, in a bundle to install on it.'}
          </Typography>
          <TextField
            fullWidth
            size="small"
            label="Client id"
            value={clientId}
            disabled={renew !== undefined}
            onChange={(e) => setClientId(e.target.value)}
            error={idProblem !== undefined}
            helperText={
              idProblem ??
              `Its devices show as ${id || '<client>'}/<device>. Letters, digits, ".", "_", "~", "-".`
            }
            slotProps={{ htmlInput: { 'data-testid': testIds.margo.addClientId, maxLength: 128 } }}
            sx={{ mb: 2 }}
            autoFocus
          />
          <TextField
            fullWidth
            size="small"
            label="WFM URL the device calls"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            helperText={
              serving
                ? 'Written into the bundle: an address of this computer the device can reach.'
                : 'Written into the bundle. Not serving now: start serving at this address before the device calls.'
            }
            slotProps={{ htmlInput: { 'data-testid': testIds.margo.addUrl, maxLength: 2048 } }}
            sx={{ mb: 2 }}
          />
          {desktop ? (
            <>
              <FilePick
                label="Choose folder"
                purpose="margo-bundle-folder"
                kind="folder"
                value={folder}
                onChange={setFolder}
                testId={testIds.margo.addFolder}
                error={folderProblem}
              />
              <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 0.5 }}>
                A USB stick, say: the bundle goes into a new folder {id || '<client>'} inside it.
              </Typography>
            </>
          ) : (
            <Typography variant="body2" data-testid={testIds.margo.addDownload}>
              Your browser downloads the bundle as {downloadName}.
            </Typography>
          )}
          {failure && (
            <ErrorAlert
              error={failure}
              title={renew ? 'The client was not renewed' : 'The client was not added'}
              testId={testIds.margo.addError}
            />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy} data-testid={testIds.margo.addCancel}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy}
            data-testid={testIds.margo.addSubmit}
          >
            {busy
              ? 'Working…'
              : `${renew ? 'Renew' : 'Add'} and ${desktop ? 'write bundle' : 'download'}`}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

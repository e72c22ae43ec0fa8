import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { PickedFile } from '../../../../shared/contract/picked-file';
import { TrustEntryType } from '../../../../shared/contract/trust';
import { TrustEntryName, type AddedTrustEntry } from '../../../../shared/contract/trust-store';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilePick } from '../../components/FilePick';
import { useApp } from '../../state/app-state';
import { asContractError } from '../../transport/contract-check';
import { testIds } from '../../test-ids';
import { TYPE_WORDS } from './trust-text';

/** Adding a certificate, key or trusted root to the trust store; its warnings shown before closing. */
export function TrustEntryDialog({
  open,
  onClose,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { transport } = useApp();
  const [name, setName] = useState('');
  const [type, setType] = useState<TrustEntryType>('ca');
  const [file, setFile] = useState<PickedFile | null>(null);
  const [errors, setErrors] = useState<{ name?: string; file?: string }>({});
  const [failure, setFailure] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<AddedTrustEntry | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const errs: typeof errors = {};
    const parsedName = TrustEntryName.safeParse(name);
    if (name === '') errs.name = 'Give the entry a short name, e.g. plant-root';
    else if (!parsedName.success) errs.name = parsedName.error.issues[0]?.message ?? 'not a name';
    if (!file) errs.file = 'choose the file to trust';
    setErrors(errs);
    if (Object.keys(errs).length > 0 || !file) return;
    setBusy(true);
    try {
      const answer = await transport.call('trust.add', { name, type, file: file.token });
      setBusy(false);
      if (answer.warnings.length > 0) setAdded(answer);
      else onSaved();
    } catch (err) {
      setBusy(false);
      setFailure(asContractError(err));
    }
  };

  if (added) {
    return (
      <Dialog
        open={open}
        onClose={onSaved}
        data-testid={testIds.trust.addDialog}
        maxWidth="sm"
        fullWidth
      >
        <DialogTitle>{added.name} added</DialogTitle>
        <DialogContent>
          <Alert severity="warning" data-testid={testIds.trust.addedWarnings}>
            {added.warnings.map((w) => (
              <div key={w}>{w}</div>
            ))}
          </Alert>
        </DialogContent>
        <DialogActions>
          <Button variant="contained" onClick={onSaved} data-testid={testIds.trust.addedDone}>
            Done
          </Button>
        </DialogActions>
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      data-testid={testIds.trust.addDialog}
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle>Trust a certificate, key or trusted root</DialogTitle>
        <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          <TextField
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.name !== undefined}
            helperText={errors.name ?? 'How policies name it: letters, digits, dots, dashes'}
            slotProps={{ htmlInput: { 'data-testid': testIds.trust.addName } }}
            autoFocus
            margin="dense"
          />
          <FormControl>
            <FormLabel id="trust-add-type-label">What it is</FormLabel>
            <RadioGroup
              aria-labelledby="trust-add-type-label"
              value={type}
              onChange={(e) => setType(e.target.value as TrustEntryType)}
              data-testid={testIds.trust.addType}
            >
              {TrustEntryType.options.map((t) => (
                <FormControlLabel
                  key={t}
                  value={t}
                  control={
                    <Radio
                      slotProps={{
                        input: { 'data-testid': testIds.trust.addTypeOption(t) } as object,
                      }}
                    />
                  }
                  label={
                    <span>
                      {TYPE_WORDS[t].label}
                      <Typography component="span" variant="body2" color="text.secondary">
                        {' '}
                        — {TYPE_WORDS[t].help}
                      </Typography>
                    </span>
                  }
                />
              ))}
            </RadioGroup>
          </FormControl>
          <FilePick
            label="Choose file"
            purpose="trust-file"
            value={file}
            onChange={setFile}
            testId={testIds.trust.addFile}
            error={errors.file}
          />
          <Typography variant="body2" color="text.secondary">
            The file is copied into this computer&apos;s store: the original may be removed. Give
            certificates or public keys only, never a private key.
          </Typography>
          {failure && <ErrorAlert error={failure} testId={testIds.trust.addError} />}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy} data-testid={testIds.trust.addCancel}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy}
            data-testid={testIds.trust.addSubmit}
          >
            {busy ? 'Adding…' : 'Add'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

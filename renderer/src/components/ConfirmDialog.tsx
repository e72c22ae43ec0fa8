import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import { useState, type ReactNode } from 'react';
import type { ContractError } from '../../../shared/contract/contract-error';
import { asContractError } from '../transport/contract-check';
import { ErrorAlert } from './ErrorAlert';
import { derived } from '../test-ids';

/**
 * Asks before something that cannot be undone; shows the core's answer if it fails. `neutral`
 * for what can be (a rollback the engineer asks for keeps every revision): not in red.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  testId,
  tone = 'danger',
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  testId: string;
  tone?: 'danger' | 'neutral';
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const close = () => {
    if (busy) return;
    setError(null);
    onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setBusy(false);
      onClose();
    } catch (e) {
      setBusy(false);
      setError(asContractError(e));
    }
  };
  return (
    <Dialog open={open} onClose={close} data-testid={testId} maxWidth="xs" fullWidth>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        {children}
        {error && <ErrorAlert error={error} testId={derived.error(testId)} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy} data-testid={derived.cancel(testId)}>
          Cancel
        </Button>
        <Button
          onClick={confirm}
          disabled={busy}
          color={tone === 'danger' ? 'error' : 'primary'}
          variant="contained"
          data-testid={derived.confirm(testId)}
        >
          {busy ? 'Working…' : confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { ContractError } from '../../../shared/contract/contract-error';
import type { FilePurpose, PickedFile } from '../../../shared/contract/picked-file';
import { useApp } from '../state/app-state';
import { asContractError } from '../transport/contract-check';
import { derived } from '../test-ids';
import { ErrorAlert } from './ErrorAlert';

/**
 * A file (or folder) chosen for a form: the button opens the desktop dialog or the browser's chooser (an
 * upload), and the chosen file's name shows beside it; the core gets only its token.
 */
export function FilePick({
  label,
  purpose,
  value,
  onChange,
  testId,
  error,
  kind = 'file',
}: {
  label: string;
  purpose: FilePurpose;
  /** A folder, for purposes that take one (the desktop dialog knows by the purpose). */
  kind?: 'file' | 'folder';
  value: PickedFile | null;
  onChange: (file: PickedFile | null) => void;
  testId: string;
  error?: string | undefined;
}) {
  const { transport } = useApp();
  const [problem, setProblem] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);
  const pick = () => {
    setProblem(null);
    setBusy(true);
    transport.pickFile(purpose, kind).then(
      (picked) => {
        setBusy(false);
        if (picked) onChange(picked);
      },
      (e: unknown) => {
        setBusy(false);
        setProblem(asContractError(e));
      },
    );
  };
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
      <Button
        variant="outlined"
        onClick={pick}
        disabled={busy}
        data-testid={testId}
        sx={{ minWidth: 150 }}
      >
        {label}…
      </Button>
      <Typography
        variant="body2"
        data-testid={derived.fileName(testId)}
        sx={{ color: value ? 'text.primary' : error ? 'error.main' : 'text.secondary' }}
      >
        {value ? value.name : (error ?? 'none chosen')}
      </Typography>
      {value && <Button onClick={() => onChange(null)}>Remove</Button>}
      {problem && <ErrorAlert error={problem} testId={derived.error(testId)} />}
    </Box>
  );
}

import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import type { ContractError } from '../../../shared/contract/contract-error';
import { derived, testIds } from '../test-ids';
import { errorDetailLines } from './error-details';
import { screenWords } from './screen-words';

/** An error in plain words: the core's message, and below it what its details name. */
export function ErrorAlert({
  error,
  title,
  testId = testIds.shell.error,
  onClose,
}: {
  error: ContractError;
  title?: string;
  testId?: string;
  onClose?: () => void;
}) {
  const lines = errorDetailLines(error);
  return (
    <Alert severity="error" data-testid={testId} onClose={onClose} sx={{ my: 1 }}>
      {title && <AlertTitle>{title}</AlertTitle>}
      <Box component="span" data-testid={derived.message(testId)}>
        {screenWords(error.message)}
      </Box>
      {lines.length > 0 && (
        <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2.5, fontFamily: 'monospace', fontSize: 12 }}>
          {lines.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </Box>
      )}
    </Alert>
  );
}

import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import type { ContractError } from '../../../shared/contract/contract-error';
import { locationOf } from '../format';

interface Issue {
  path?: unknown;
  message?: unknown;
}

/** What `details` may hold that a person can read: diagnostics, refused values, zod issues. */
function detailLines(details: unknown): string[] {
  if (!Array.isArray(details)) {
    if (typeof details === 'string') return [details];
    if (details && typeof details === 'object') {
      const inner =
        (details as { diagnostics?: unknown; issues?: unknown; errors?: unknown }).diagnostics ??
        (details as { issues?: unknown }).issues ??
        (details as { errors?: unknown }).errors;
      if (inner) return detailLines(inner);
    }
    return [];
  }
  return details.slice(0, 20).map((d: unknown) => {
    if (d && typeof d === 'object') {
      const o = d as Issue & { file?: unknown; line?: unknown; column?: unknown; rule?: unknown };
      if (typeof o.file === 'string' && typeof o.line === 'number' && typeof o.column === 'number')
        return `${locationOf(o as { file: string; line: number; column: number })} ${String(o.rule ?? '')} ${String(o.message ?? '')}`;
      if (typeof o.message === 'string') {
        const path = Array.isArray(o.path)
          ? o.path.join('.')
          : typeof o.path === 'string'
            ? o.path
            : '';
        return path ? `${path}: ${o.message}` : o.message;
      }
    }
    return typeof d === 'string' ? d : JSON.stringify(d);
  });
}

/** An error in plain words: the core's message first, its kind small, details below. */
export function ErrorAlert({
  error,
  title,
  testId = 'error',
  onClose,
}: {
  error: ContractError;
  title?: string;
  testId?: string;
  onClose?: () => void;
}) {
  const lines = detailLines(error.details);
  return (
    <Alert severity="error" data-testid={testId} onClose={onClose} sx={{ my: 1 }}>
      {title && <AlertTitle>{title}</AlertTitle>}
      <Box component="span" data-testid={`${testId}-message`}>
        {error.message}
      </Box>
      {error.name && error.name !== 'Error' && (
        <Box component="span" sx={{ ml: 1, opacity: 0.7, fontSize: '0.85em' }}>
          ({error.name})
        </Box>
      )}
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

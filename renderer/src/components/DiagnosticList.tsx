import Box from '@mui/material/Box';
import type { Diagnostic } from '../../../shared/validation/diagnostic';
import { locationOf } from '../format';
import { screenWords } from './screen-words';

/** Validator findings, one per line: `file:line:col rule message`. */
export function DiagnosticList({
  diagnostics,
  testId,
}: {
  diagnostics: readonly Diagnostic[];
  testId?: string;
}) {
  return (
    <Box component="ul" data-testid={testId} sx={{ m: 0, pl: 0, listStyle: 'none' }}>
      {diagnostics.map((d, i) => (
        <Box
          component="li"
          key={i}
          sx={{ fontSize: 12, py: 0.25, display: 'flex', gap: 1, flexWrap: 'wrap' }}
        >
          <Box component="span" sx={{ fontFamily: 'monospace' }}>
            {locationOf(d)}
          </Box>
          <Box
            component="span"
            sx={{
              fontWeight: 600,
              color: d.severity === 'error' ? 'error.main' : 'warning.main',
            }}
          >
            {d.severity}
          </Box>
          <Box component="span" sx={{ fontFamily: 'monospace', color: 'text.secondary' }}>
            [{d.rule}]
          </Box>
          <Box component="span" sx={{ flexBasis: '100%' }}>
            {screenWords(d.message)}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

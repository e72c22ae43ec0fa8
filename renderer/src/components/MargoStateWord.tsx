import Box from '@mui/material/Box';
import type { MargoState } from '../../../shared/compose/margo-state';

/** Margo's deployment states in words, with a mark and a colour (never colour alone). */
export const MARGO_STATE_TEXT: Record<MargoState, { word: string; mark: string; color: string }> = {
  pending: { word: 'pending', mark: '…', color: 'text.secondary' },
  installing: { word: 'installing', mark: '●', color: 'info.main' },
  installed: { word: 'installed', mark: '✓', color: 'success.main' },
  failed: { word: 'failed', mark: '✗', color: 'error.main' },
  removing: { word: 'removing', mark: '●', color: 'warning.main' },
  removed: { word: 'removed', mark: '○', color: 'text.secondary' },
};

export function MargoStateWord({ state, testId }: { state: MargoState; testId?: string }) {
  const s = MARGO_STATE_TEXT[state];
  return (
    <Box
      component="span"
      data-testid={testId}
      data-state={state}
      sx={{ color: s.color, fontWeight: 600, whiteSpace: 'nowrap' }}
    >
      {s.mark} {s.word}
    </Box>
  );
}

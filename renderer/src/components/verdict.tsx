import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import CancelIcon from '@mui/icons-material/Cancel';
import HelpIcon from '@mui/icons-material/Help';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import type { Check, Verdict } from '../../../shared/compatibility/verdict';

export const VERDICT_TEXT: Record<
  Verdict,
  { word: string; short: string; color: 'success' | 'error' | 'warning' }
> = {
  compatible: { word: 'compatible', short: '✓ runs', color: 'success' },
  incompatible: { word: 'incompatible', short: '✗ no', color: 'error' },
  unknown: { word: 'unknown', short: '? unknown', color: 'warning' },
};

const ICON = {
  compatible: <CheckCircleIcon />,
  incompatible: <CancelIcon />,
  unknown: <HelpIcon />,
};

/** A verdict as a word, an icon and a colour (never colour alone). */
export function VerdictChip({ verdict, testId }: { verdict: Verdict; testId?: string }) {
  const v = VERDICT_TEXT[verdict];
  return (
    <Chip
      icon={ICON[verdict]}
      label={v.word}
      color={v.color}
      variant="outlined"
      data-testid={testId}
      data-verdict={verdict}
    />
  );
}

/** The checks that explain a verdict that is not "compatible". */
export function notPassed(checks: readonly Check[]): Check[] {
  return checks.filter((c) => c.status !== 'passed');
}

export function checkLine(c: Check): string {
  const facts = [c.expected && `expected: ${c.expected}`, c.actual && `found: ${c.actual}`]
    .filter(Boolean)
    .join('; ');
  return `${c.name}: ${c.reason}${facts ? ` (${facts})` : ''}`;
}

/** The checks that did not pass, each with its status in colour and word and why. */
export function CheckList({ checks }: { checks: readonly Check[] }) {
  return (
    <Box component="ul" sx={{ m: 0, pl: 2.5, fontSize: 12 }}>
      {checks.map((c, i) => (
        <Box
          component="li"
          key={i}
          sx={{ color: c.status === 'failed' ? 'error.main' : 'warning.main' }}
        >
          <Box component="span" sx={{ fontWeight: 600 }}>
            {c.status === 'failed' ? 'failed' : 'unknown'}
          </Box>{' '}
          <Box component="span" sx={{ color: 'text.primary' }}>
            {checkLine(c)}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

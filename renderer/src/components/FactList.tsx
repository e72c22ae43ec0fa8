import Box from '@mui/material/Box';
import type { ReactNode } from 'react';

/** One line of a FactList: its label, its value, and a test id for the value. */
export interface Fact {
  label: string;
  value: ReactNode;
  testId?: string;
  /** Addresses, fingerprints: in a fixed-width font. */
  mono?: boolean;
}

/** Label and value pairs in two columns (a definition list), values wrapping anywhere. */
export function FactList({ facts }: { facts: Fact[] }) {
  return (
    <Box
      component="dl"
      sx={{
        m: 0,
        mb: 1,
        display: 'grid',
        gridTemplateColumns: 'max-content 1fr',
        columnGap: 2,
        rowGap: 0.5,
        fontSize: 13,
        '& dt': { color: 'text.secondary' },
        '& dd': { m: 0, overflowWrap: 'anywhere' },
      }}
    >
      {facts.map((f) => (
        <Box key={f.label} sx={{ display: 'contents' }}>
          <dt>{f.label}</dt>
          <Box
            component="dd"
            data-testid={f.testId}
            sx={f.mono ? { fontFamily: 'monospace' } : undefined}
          >
            {f.value}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

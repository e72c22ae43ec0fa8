import Box from '@mui/material/Box';
import type { ReactNode } from 'react';
import { testIds } from '../test-ids';
import { ErrorBoundary } from './ErrorBoundary';

/**
 * A piece of what a supplier's package brings (its texts, icon, names, the validator's findings
 * about it): should it fail to draw, a plain sentence takes its place and the rest of the
 * window keeps working. `resetKey` names what is shown (e.g. the package's reference): another
 * package in the same place is tried again. `inline` for pieces inside a line of text.
 */
export function SupplierContent({
  children,
  resetKey,
  inline,
}: {
  children: ReactNode;
  resetKey?: string | undefined;
  inline?: boolean;
}) {
  return (
    <ErrorBoundary
      resetKey={resetKey}
      fallback={
        <Box
          component={inline ? 'span' : 'div'}
          role="note"
          data-testid={testIds.packageContent.unavailable}
          sx={{ color: 'text.secondary', fontStyle: 'italic', fontSize: 13 }}
        >
          This part of the package cannot be shown.
        </Box>
      }
    >
      {children}
    </ErrorBoundary>
  );
}

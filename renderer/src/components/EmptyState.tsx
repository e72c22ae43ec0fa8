import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

/** What is missing and what to do next. */
export function EmptyState({
  title,
  children,
  actions,
  testId,
}: {
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  testId?: string;
}) {
  return (
    <Box
      data-testid={testId}
      sx={{ p: 4, textAlign: 'center', maxWidth: 560, mx: 'auto', color: 'text.secondary' }}
    >
      <Typography variant="h6" color="text.primary" gutterBottom>
        {title}
      </Typography>
      {children && <Typography variant="body2">{children}</Typography>}
      {actions && (
        <Box sx={{ mt: 2, display: 'flex', gap: 1, justifyContent: 'center', flexWrap: 'wrap' }}>
          {actions}
        </Box>
      )}
    </Box>
  );
}

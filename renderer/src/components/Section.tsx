import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { SupplierContent } from './SupplierContent';

/**
 * A titled part of a detail pane (app detail, device detail). `fromPackage`, the reference of
 * the package it shows: what a supplier's package brought is drawn inside its own boundary
 * (SupplierContent), tried again for another package.
 */
export function Section({
  title,
  children,
  testId,
  fromPackage,
}: {
  title: string;
  children: ReactNode;
  testId?: string | undefined;
  fromPackage?: string | undefined;
}) {
  return (
    <Box component="section" data-testid={testId} sx={{ py: 1.25 }}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {title}
      </Typography>
      {fromPackage === undefined ? (
        children
      ) : (
        <SupplierContent resetKey={fromPackage}>{children}</SupplierContent>
      )}
    </Box>
  );
}

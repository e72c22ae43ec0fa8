import CloseIcon from '@mui/icons-material/Close';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import type { ReactNode } from 'react';

/** The top of a detail pane: what is open, and the button that closes it. */
export function DetailHeader({
  children,
  onClose,
  closeTestId,
  align = 'flex-start',
}: {
  /** The title (and whatever goes before or under it). */
  children: ReactNode;
  onClose: () => void;
  closeTestId: string;
  align?: 'flex-start' | 'center';
}) {
  return (
    <Box sx={{ display: 'flex', alignItems: align, gap: 1 }}>
      <Box sx={{ flex: 1, minWidth: 0, display: 'flex', alignItems: align, gap: 1.5 }}>
        {children}
      </Box>
      <IconButton onClick={onClose} aria-label="Close the detail" data-testid={closeTestId}>
        <CloseIcon />
      </IconButton>
    </Box>
  );
}

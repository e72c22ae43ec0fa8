import CloseIcon from '@mui/icons-material/Close';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import { useEffect, useRef, type ReactNode } from 'react';
import { closesPane } from './escape-closes-pane';

/** The top of a detail pane: what is open, and the button (and Escape) that closes it. */
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
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!closesPane(e)) return;
      e.preventDefault();
      close.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
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

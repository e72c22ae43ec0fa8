import Box from '@mui/material/Box';
import useMediaQuery from '@mui/material/useMediaQuery';
import type { ReactNode } from 'react';

/**
 * A list with one of its items open beside it (Catalog, Devices, Deployments). The list keeps
 * its place: it stays mounted, scrolled where it was, while the detail is open; on a narrow
 * window the detail covers it instead of squeezing it (the list is hidden, not removed).
 */
export function MasterDetail({
  list,
  detail,
  narrowBelow,
  detailWidth,
}: {
  list: ReactNode;
  /** The open item's pane (with its own DetailHeader), or null when none is open. */
  detail: ReactNode | null;
  /** Below this window width (px) the detail covers the list. */
  narrowBelow: number;
  /** The pane's width beside the list (a CSS width, e.g. `clamp(360px, 38%, 560px)`). */
  detailWidth: string;
}) {
  const narrow = useMediaQuery(`(max-width: ${narrowBelow}px)`);
  const open = detail !== null;
  return (
    <Box sx={{ display: 'flex', flex: 1, minHeight: 0, position: 'relative' }}>
      <Box
        sx={{
          display: 'flex',
          flexDirection: 'column',
          flex: 1,
          minWidth: 0,
          overflow: 'auto',
          visibility: narrow && open ? 'hidden' : 'visible',
        }}
      >
        {list}
      </Box>
      {open && (
        <Box
          sx={{
            width: narrow ? '100%' : detailWidth,
            position: narrow ? 'absolute' : 'relative',
            inset: narrow ? 0 : undefined,
            minHeight: 0,
            borderLeft: 1,
            borderColor: 'divider',
            bgcolor: 'background.paper',
          }}
        >
          {detail}
        </Box>
      )}
    </Box>
  );
}

import Box from '@mui/material/Box';

/**
 * A name on one line that ends in "…" where there is no room, never broken mid-word
 * ("press-/61"). Only the drawing is cut: the text (and so the accessible name) stays whole,
 * and the element around it carries the full name as its title.
 */
export function TruncatedText({ children }: { children: string }) {
  return (
    <Box
      component="span"
      sx={{
        display: 'block',
        minWidth: 0,
        overflow: 'hidden',
        textOverflow: 'ellipsis',
        whiteSpace: 'nowrap',
      }}
    >
      {children}
    </Box>
  );
}

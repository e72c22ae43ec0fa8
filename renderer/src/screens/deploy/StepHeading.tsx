import Typography from '@mui/material/Typography';
import { useEffect, useRef } from 'react';

/**
 * The open step's heading. It takes the focus when the step appears (the wizard opening, Next,
 * Back), so a keyboard or screen reader user starts at the top of the new step instead of on
 * a button that may have gone, and hears where they are.
 */
export function StepHeading({ children, testId }: { children: string; testId: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, [children]);
  return (
    <Typography
      ref={ref}
      variant="h6"
      component="h2"
      tabIndex={-1}
      data-testid={testId}
      sx={{ mt: 1.5, mb: 1, outlineOffset: '2px' }}
    >
      {children}
    </Typography>
  );
}

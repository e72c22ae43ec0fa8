import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { DeviceCheck } from '../../../shared/contract/deployments';
import { dateTime, timeAgo } from '../format';

/** How often "checked … ago" is redrawn: the words change in steps of seconds. */
const REDRAW_MS = 5_000;

/**
 * When a device was last asked what it runs: "checked 12 seconds ago", or "did not answer …"
 * with the reason as its title; "not checked yet" before the first check.
 */
export function CheckedAgo({ check, testId }: { check: DeviceCheck | null; testId: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), REDRAW_MS);
    return () => clearInterval(timer);
  }, []);
  if (!check) {
    return (
      <Typography variant="caption" color="text.secondary" component="div" data-testid={testId}>
        not checked yet
      </Typography>
    );
  }
  const ago = timeAgo(check.checkedAt, Math.max(now, Date.now()));
  return (
    <Typography
      variant="caption"
      component="div"
      data-testid={testId}
      data-checked-at={check.checkedAt}
      title={
        check.error ? `${dateTime(check.checkedAt)}: ${check.error}` : dateTime(check.checkedAt)
      }
      sx={{ color: check.error ? 'error.main' : 'text.secondary' }}
    >
      {check.error ? `did not answer ${ago}` : `checked ${ago}`}
    </Typography>
  );
}

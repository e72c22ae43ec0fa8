import Fade from '@mui/material/Fade';
import LinearProgress from '@mui/material/LinearProgress';
import { testIds } from '../test-ids';

/**
 * While a screen's code is fetched (its first opening): a bar, shown only when that takes
 * long enough to notice, so a quick opening does not flash.
 */
export function ScreenLoading() {
  return (
    <Fade in appear style={{ transitionDelay: '300ms' }}>
      <LinearProgress aria-label="Opening the view" data-testid={testIds.shell.screenLoading} />
    </Fade>
  );
}

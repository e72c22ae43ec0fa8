import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import type { ReactNode } from 'react';
import { recordCrashedRoute } from '../state/crashed-route';
import { testIds } from '../test-ids';
import { ErrorBoundary } from './ErrorBoundary';

function rememberCrash() {
  recordCrashedRoute(window.location.hash);
}

function Failed({
  testId,
  title,
  children,
  action,
}: {
  testId: string;
  title: string;
  children: ReactNode;
  action: ReactNode;
}) {
  return (
    <Alert severity="error" data-testid={testId}>
      <AlertTitle>{title}</AlertTitle>
      {children}
      <Box sx={{ mt: 1 }}>{action}</Box>
    </Alert>
  );
}

/**
 * The open view (screen): if it fails to draw, the navigation stays usable, the window
 * remembers the view (the next load opens the catalog instead) and the catalog is offered.
 * Opening another view (`routeKey` changes) tries again.
 */
export function ViewBoundary({
  routeKey,
  onCatalog,
  children,
}: {
  routeKey: string;
  onCatalog: () => void;
  children: ReactNode;
}) {
  return (
    <ErrorBoundary
      resetKey={routeKey}
      onError={rememberCrash}
      fallback={
        <Box sx={{ p: 2 }}>
          <Failed
            testId={testIds.shell.screenFailed}
            title="This view stopped with an error"
            action={
              <Button
                variant="outlined"
                onClick={onCatalog}
                data-testid={testIds.shell.screenFailedCatalog}
              >
                Open the catalog
              </Button>
            }
          >
            The rest of Commissioner works: choose another view on the left. Reloading the window
            opens the catalog rather than this view.
          </Failed>
        </Box>
      }
    >
      {children}
    </ErrorBoundary>
  );
}

/**
 * Around everything: the last resort when the app's frame itself fails. Nothing of the app is
 * left to navigate with, so it offers a reload, which opens the catalog (the failed view is
 * remembered) rather than the view that failed.
 */
export function AppBoundary({ children }: { children: ReactNode }) {
  return (
    <ErrorBoundary
      onError={() => {
        rememberCrash();
        document.getElementById('root')?.setAttribute('data-app-state', 'error');
      }}
      fallback={
        <Box sx={{ p: 3, maxWidth: 640 }}>
          <Failed
            testId={testIds.shell.appFailed}
            title="Commissioner stopped with an error"
            action={
              <Button
                variant="contained"
                onClick={() => window.location.reload()}
                data-testid={testIds.shell.appFailedReload}
              >
                Reload
              </Button>
            }
          >
            Only the window failed to draw: imports and deployments under way go on. Reload the
            window to go on; it opens the catalog rather than the view that failed.
          </Failed>
        </Box>
      }
    >
      {children}
    </ErrorBoundary>
  );
}

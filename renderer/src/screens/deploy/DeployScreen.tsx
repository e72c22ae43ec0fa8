import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useEffect } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { RoleRefusal } from '../../components/RoleRefusal';
import { useApp } from '../../state/app-state';
import { routeDevices } from '../../state/route';
import { DeployWizard } from './DeployWizard';
import { testIds } from '../../test-ids';

/**
 * The deploy screen: the wizard for the app (and version) in the route, or the progress of
 * the deploy job in it. A new app or version is a new wizard; the job and devices in the
 * route are the same wizard moving on. A role that may not deploy (its address typed or
 * linked) is told so instead of the wizard; a deploy job's progress stays open to it (reading).
 */
export function DeployScreen() {
  const { route, navigate, reportScreenLoaded, may } = useApp();
  const appId = route.params.app;
  const version = route.params.version;
  const jobId = route.params.job;
  const nothing = !appId && !jobId;
  const refused = !jobId && !may('deploy.start');
  useEffect(() => {
    if (nothing || refused) reportScreenLoaded();
  }, [nothing, refused, reportScreenLoaded]);
  return (
    <Box data-testid={testIds.deploy.screen} sx={{ height: '100%', minHeight: 0 }}>
      {refused ? (
        <RoleRefusal op="deploy.start" doing="deploy" testId={testIds.deploy.roleRefused} />
      ) : nothing ? (
        <EmptyState
          testId={testIds.deploy.empty}
          title="Nothing to deploy yet"
          actions={
            <Button variant="contained" onClick={() => navigate({ screen: 'catalog', params: {} })}>
              Open the catalog
            </Button>
          }
        >
          Open an application in the catalog and choose Deploy… to pick its devices, configure it
          and deploy it.
        </EmptyState>
      ) : (
        <DeployWizard
          key={`${appId ?? ''}|${version ?? ''}`}
          appId={appId}
          version={version}
          jobId={jobId}
          preselected={routeDevices(route)}
        />
      )}
    </Box>
  );
}

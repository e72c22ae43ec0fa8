import AppsIcon from '@mui/icons-material/Apps';
import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import DarkModeIcon from '@mui/icons-material/DarkModeOutlined';
import DevicesIcon from '@mui/icons-material/DevicesOther';
import GridOnIcon from '@mui/icons-material/GridOn';
import LightModeIcon from '@mui/icons-material/LightModeOutlined';
import MoveToInboxIcon from '@mui/icons-material/MoveToInbox';
import RocketLaunchIcon from '@mui/icons-material/RocketLaunchOutlined';
import SettingsIcon from '@mui/icons-material/SettingsOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { ErrorAlert } from './components/ErrorAlert';
import { JobTray } from './components/JobTray';
import { SessionBadge } from './components/SessionBadge';
import { ViewBoundary } from './components/ShellBoundaries';
import { ScreenLoading } from './components/ScreenLoading';
import {
  CompatScreen,
  DeployScreen,
  DeploymentsScreen,
  DevicesScreen,
  ImportScreen,
  SettingsScreen,
  preloadScreen,
} from './lazy-screens';
import { CatalogScreen } from './screens/catalog/CatalogScreen';
import { useApp } from './state/app-state';
import { SCREEN_TITLES, hashOf, type Screen } from './state/route';
import { TOUCH_TARGET, type Density } from './density';
import type { ThemeMode } from './theme';
import { testIds } from './test-ids';

const NAV: { screen: Screen; label: string; icon: ReactNode }[] = [
  { screen: 'catalog', label: 'Catalog', icon: <AppsIcon /> },
  { screen: 'devices', label: 'Devices', icon: <DevicesIcon /> },
  { screen: 'compat', label: 'Compatibility', icon: <GridOnIcon /> },
  { screen: 'deployments', label: 'Deployments', icon: <RocketLaunchIcon /> },
  { screen: 'import', label: 'Imports', icon: <MoveToInboxIcon /> },
];

const NAV_KEY = 'commissioner.navCollapsed';

function NavItem({
  screen,
  label,
  icon,
  collapsed,
  density,
}: {
  screen: Screen;
  label: string;
  icon: ReactNode;
  collapsed: boolean;
  density: Density;
}) {
  const { route, navigate } = useApp();
  // The wizard belongs to the Deployments part of the app: it is where deployments are made.
  const current =
    route.screen === screen || (screen === 'deployments' && route.screen === 'deploy');
  const button = (
    <ListItemButton
      selected={current}
      aria-current={current ? 'page' : undefined}
      onClick={() => navigate({ screen, params: {} })}
      onPointerEnter={() => void preloadScreen(screen)}
      onFocus={() => void preloadScreen(screen)}
      data-testid={testIds.shell.navTo(screen)}
      // Collapsed, the icon is all that shows: the label is its name (the tooltip describes).
      aria-label={collapsed ? label : undefined}
      sx={{
        borderRadius: 1,
        mx: 0.5,
        px: collapsed ? 1.5 : 1.25,
        minHeight: density === 'touch' ? TOUCH_TARGET : 40,
      }}
    >
      <ListItemIcon sx={{ minWidth: collapsed ? 0 : 36 }}>{icon}</ListItemIcon>
      {!collapsed && <ListItemText primary={label} />}
    </ListItemButton>
  );
  return collapsed ? (
    <Tooltip title={label} placement="right">
      {button}
    </Tooltip>
  ) : (
    button
  );
}

export function App({
  mode,
  onMode,
  density = 'standard',
  onDensity = () => {},
  routeNotice = null,
}: {
  mode: ThemeMode;
  onMode: (mode: ThemeMode) => void;
  density?: Density;
  onDensity?: (density: Density) => void;
  /** Why this load did not open the view in the address (it failed at the last load). */
  routeNotice?: string | null;
}) {
  const { route, navigate, connected, info, infoError, refreshInfo, may } = useApp();
  const [notice, setNotice] = useState(routeNotice);
  const small = useMediaQuery('(max-width: 900px)');
  const [collapsedPref, setCollapsedPref] = useState(() => {
    try {
      return localStorage.getItem(NAV_KEY) === '1';
    } catch {
      return false;
    }
  });
  const collapsed = small || collapsedPref;

  useEffect(() => {
    document.title = `${SCREEN_TITLES[route.screen]} — Commissioner`;
  }, [route.screen]);

  const screen = {
    catalog: <CatalogScreen />,
    devices: <DevicesScreen />,
    compat: <CompatScreen />,
    import: <ImportScreen />,
    deploy: <DeployScreen />,
    deployments: <DeploymentsScreen />,
    settings: (
      <SettingsScreen mode={mode} onMode={onMode} density={density} onDensity={onDensity} />
    ),
  }[route.screen];

  return (
    <Box
      sx={{ display: 'flex', height: '100vh', overflow: 'hidden', bgcolor: 'background.default' }}
    >
      <Box
        component="nav"
        aria-label="Main"
        data-testid={testIds.shell.nav}
        sx={{
          width: collapsed ? 60 : 200,
          flexShrink: 0,
          display: 'flex',
          flexDirection: 'column',
          borderRight: 1,
          borderColor: 'divider',
          bgcolor: 'background.paper',
        }}
      >
        <Box
          sx={{ display: 'flex', alignItems: 'center', px: collapsed ? 1 : 1.75, py: 1.25, gap: 1 }}
        >
          <Box
            aria-hidden
            sx={{
              width: 28,
              height: 28,
              borderRadius: 1,
              bgcolor: 'primary.main',
              color: 'primary.contrastText',
              display: 'grid',
              placeItems: 'center',
              fontWeight: 700,
              flexShrink: 0,
              mx: collapsed ? 'auto' : 0,
            }}
          >
            C
          </Box>
          {!collapsed && (
            <Typography variant="subtitle1" sx={{ fontWeight: 600 }} component="div">
              Commissioner
            </Typography>
          )}
        </Box>
        <List dense component="div" sx={{ flex: 1 }}>
          {NAV.filter((n) => n.screen !== 'import' || may('imports.start')).map((n) => (
            <NavItem key={n.screen} {...n} collapsed={collapsed} density={density} />
          ))}
        </List>
        <List dense component="div">
          <NavItem
            screen="settings"
            label="Settings"
            icon={<SettingsIcon />}
            collapsed={collapsed}
            density={density}
          />
        </List>
        <SessionBadge collapsed={collapsed} />
        <Box
          sx={{
            display: 'flex',
            justifyContent: collapsed ? 'center' : 'space-between',
            alignItems: 'center',
            px: 1,
            pb: 1,
          }}
        >
          <Tooltip title={mode === 'dark' ? 'Light theme' : 'Dark theme'}>
            <IconButton
              onClick={() => onMode(mode === 'dark' ? 'light' : 'dark')}
              aria-label={
                mode === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'
              }
              data-testid={testIds.shell.themeToggle}
              data-theme={mode}
            >
              {mode === 'dark' ? <LightModeIcon /> : <DarkModeIcon />}
            </IconButton>
          </Tooltip>
          {!small && (
            <Tooltip title={collapsed ? 'Expand the navigation' : 'Collapse the navigation'}>
              <IconButton
                onClick={() => {
                  setCollapsedPref(!collapsedPref);
                  try {
                    localStorage.setItem(NAV_KEY, collapsedPref ? '0' : '1');
                  } catch {
                    // Not remembered.
                  }
                }}
                aria-label={collapsed ? 'Expand the navigation' : 'Collapse the navigation'}
                data-testid={testIds.shell.navCollapse}
              >
                {collapsed ? <ChevronRightIcon /> : <ChevronLeftIcon />}
              </IconButton>
            </Tooltip>
          )}
        </Box>
      </Box>
      <Box component="main" sx={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
        {!connected && (
          <Alert
            severity="warning"
            data-testid={testIds.shell.connectionLost}
            sx={{ borderRadius: 0 }}
          >
            The connection to the Commissioner host was lost; reconnecting… The views refresh once
            it is back.
          </Alert>
        )}
        {infoError && !info && (
          <Box sx={{ px: 2 }}>
            <ErrorAlert
              error={infoError}
              title="Commissioner could not start"
              testId={testIds.shell.appError}
            />
            <Button variant="outlined" onClick={refreshInfo} data-testid={testIds.shell.appRetry}>
              Try again
            </Button>
          </Box>
        )}
        {notice && (
          <Alert
            severity="info"
            onClose={() => setNotice(null)}
            data-testid={testIds.shell.routeSkipped}
            sx={{ borderRadius: 0 }}
          >
            {notice}
          </Alert>
        )}
        <Box sx={{ flex: 1, minHeight: 0 }}>
          <ViewBoundary
            routeKey={hashOf(route)}
            onCatalog={() => navigate({ screen: 'catalog', params: {} })}
          >
            <Suspense fallback={<ScreenLoading />}>{screen}</Suspense>
          </ViewBoundary>
        </Box>
        <JobTray />
      </Box>
    </Box>
  );
}

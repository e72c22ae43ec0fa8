import './zod-setup';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AppBoundary } from './components/ShellBoundaries';
import { leaveCrashedRoute } from './state/crashed-route';
import { AppProvider } from './state/app-state';
import { storeDensity, storedDensity, type Density } from './density';
import { makeTheme, storeThemeMode, storedThemeMode, type ThemeMode } from './theme';
import { createTransport } from './transport/create-transport';

const transport = createTransport();
// Before anything reads the address: a view that failed at the last load is not reopened.
const routeNotice = leaveCrashedRoute();

function Root() {
  const [mode, setMode] = useState<ThemeMode>(storedThemeMode);
  const [density, setDensity] = useState<Density>(storedDensity);
  const theme = useMemo(() => makeTheme(mode, density), [mode, density]);
  const changeMode = (next: ThemeMode) => {
    setMode(next);
    storeThemeMode(next);
  };
  const changeDensity = (next: Density) => {
    setDensity(next);
    storeDensity(next);
  };
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline enableColorScheme />
      <AppProvider transport={transport}>
        <App
          mode={mode}
          onMode={changeMode}
          density={density}
          onDensity={changeDensity}
          routeNotice={routeNotice}
        />
      </AppProvider>
    </ThemeProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <AppBoundary>
      <Root />
    </AppBoundary>
  </StrictMode>,
);
